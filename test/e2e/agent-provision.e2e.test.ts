// Drover's AGENT, not the CLI, with the real Cluster API controllers (core, kubeadm bootstrap,
// kubeadm control plane, CAPD's in-memory backend, kube-controller-manager): a Fleet points at a
// repository on a real Gitea; commits are pushed and nothing else happens. The agent polls the
// source, applies, follows the CAPI objects through its watches and posts the commit statuses,
// which go pending → success by themselves as the controllers provision and then resize.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { latestStatuses, startCapiAgent, type CapiAgent } from '../support/capi-agent.js';
import { devClusterObjects, type DevClusterOptions } from '../support/dev-cluster-objects.js';
import { fleetFiles, startE2eForge, type E2eForge } from '../support/e2e-fleet.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { waitUntil } from '../support/wait-until.js';

const kubeconfigPath = inject('kubeconfigPath');
const id = randomBytes(3).toString('hex');
const repo = `fleet-agent-${id}`;
const env = 'agt';
const cluster = 'a1';

let forge: E2eForge;
let drover: CapiAgent;
let ns: string;

const files = (o: DevClusterOptions = {}) =>
  fleetFiles([{ name: env, namespace: ns, clusters: { [cluster]: devClusterObjects(ns, cluster, o) }, provisioningTimeout: '10m' }]);
const condition = (obj: KubeObject | undefined, type: string) =>
  ((obj?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).find((c) => c.type === type)?.status;
/** Waits until both contexts are success on `sha`; fails at once, with the agent's last log lines, on failure or error. */
const untilGreen = (sha: string) =>
  waitUntil(async () => {
    const s = await latestStatuses(forge, repo, sha);
    for (const [context, st] of s) if (st.state === 'failure' || st.state === 'error') throw new Error(`${context} ${st.state}: ${st.description}\n${drover.log.slice(-15).join('\n')}`);
    const ctx = [`drover/${env}`, `drover/${env}/${cluster}`];
    return ctx.every((c) => s.get(c)?.state === 'success') ? s : undefined;
  }, { what: `drover/${env} and drover/${env}/${cluster} success on ${sha}`, timeoutMs: 480_000, intervalMs: 1_000 });

beforeAll(async () => {
  ns = await createTestNamespace(kubeconfigPath, 'e2e-agent');
  forge = await startE2eForge(kubeconfigPath);
  drover = await startCapiAgent({ kubeconfigPath, forge });
}, 900_000);
afterAll(async () => {
  await drover?.stop();
  await forge?.stop();
  if (ns) await deleteTestNamespace(kubeconfigPath, ns);
});

describe('the agent provisions a cluster through the real controllers, driven by commits only', () => {
  it('applies the commit of a Fleet it watches; drover/agt/a1 goes pending → success by itself', async () => {
    const sha = await forge.hostFleet(repo, files());
    await drover.createFleet(ns, repo);
    const green = await untilGreen(sha);
    expect(green.get(`drover/${env}/${cluster}`)?.description).toBe(`${env}/${cluster}: Available, cp 1/1, workers 1/1, v1.33.4`);
    const states = (await forge.history(repo, sha, `drover/${env}/${cluster}`)).map((s) => s.state);
    expect(states[0]).toBe('pending');
    expect(states).not.toContain('failure');
    const live = await drover.admin.get({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', namespace: ns, name: cluster });
    expect(condition(live, 'Available')).toBe('True');
    expect(drover.agent.state.get(`${ns}/${repo}`)?.environments.find((e) => e.name === env)?.phase).toBe('ready');
  });

  it('a pushed resize of md-0 1 → 2 rolls: pending while the machine comes up, success after', async () => {
    drover.requests.reset();
    const sha = await forge.push(repo, files({ workerReplicas: 2 }), { message: `${cluster}: md-0 to 2 machines` });
    const green = await untilGreen(sha);
    expect(green.get(`drover/${env}/${cluster}`)?.description).toBe(`${env}/${cluster}: Available, cp 1/1, workers 2/2, v1.33.4`);
    const states = (await forge.history(repo, sha, `drover/${env}/${cluster}`)).map((s) => s.state);
    expect(states[0]).toBe('pending');
    expect(states).not.toContain('failure');
    const md = await drover.admin.get({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', namespace: ns, name: `${cluster}-md-0` });
    expect((md?.status as { readyReplicas?: number } | undefined)?.readyReplicas).toBe(2);
    // Health came from the watches: the agent did not re-plan while the machine came up (at most
    // one dry-run per object of the environment, for the resize's own apply).
    expect(drover.requests.get('dry-run')).toBeLessThanOrEqual(7);
  });
});
