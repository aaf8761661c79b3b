// One workload cluster's life through Drover's CLI and the real Cluster API controllers (core,
// kubeadm bootstrap, kubeadm control plane, CAPD's in-memory backend, kube-controller-manager's
// garbage collector): created, resized, upgraded and deleted by commits on a real Gitea, with
// `drover apply --report` and `drover status --report` posting what the controllers really did.
// Nobody writes CAPI status here. What the controllers wrote is recorded for the health fixtures.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { readCapiObjects, recordCapiStatus } from '../support/capi-status-recorder.js';
import { devClusterObjects, type DevClusterOptions } from '../support/dev-cluster-objects.js';
import { fleetFiles, followStatus, startE2eForge, type CliRun, type E2eForge } from '../support/e2e-fleet.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const id = randomBytes(3).toString('hex');
const repo = `fleet-life-${id}`;
const env = 'stg';
const cluster = 'c1';

let forge: E2eForge;
let ns: string;
let seq = 0;

const files = (o: DevClusterOptions & { annotate?: Record<string, string> } = {}) => {
  const objects = devClusterObjects(ns, cluster, o).map((obj): KubeObject =>
    obj.kind === 'Cluster' && o.annotate ? { ...obj, metadata: { ...obj.metadata, annotations: o.annotate } } : obj);
  return fleetFiles([{ name: env, namespace: ns, clusters: { [cluster]: objects }, provisioningTimeout: '10m' }]);
};
const record = (moment: string, run?: CliRun) =>
  recordCapiStatus(kubeconfigPath, ns, { scenario: `lifecycle-${id}`, moment, droverSaid: run ? clusterLines(run.stdout) : undefined }, seq++);
/** The per-cluster lines of `drover status` ("<state>  <env>/<cluster>: …"). */
const clusterLines = (stdout: string) => stdout.split('\n').filter((l) => /^(success|pending|failure|error)\s+\S+\/\S+:/.test(l));
const follow = (sha: string) =>
  followStatus(forge, repo, ['--ref', sha, '--env', env], { timeoutMs: 480_000, onRun: async (r) => { await record(`status-exit-${r.code}`, r); } });
const condition = (obj: KubeObject | undefined, type: string) =>
  ((obj?.status as { conditions?: Array<{ type: string; status: string; reason?: string }> } | undefined)?.conditions ?? []).find((c) => c.type === type);

beforeAll(async () => {
  ns = await createTestNamespace(kubeconfigPath, 'e2e-life');
  forge = await startE2eForge(kubeconfigPath);
}, 900_000);
afterAll(async () => {
  await forge?.stop();
  if (ns) await deleteTestNamespace(kubeconfigPath, ns);
});

describe('one in-memory cluster through its life, driven by commits', () => {
  let sha0: string;

  it('apply → the real controllers provision it → drover/stg/c1 goes pending → success', async () => {
    sha0 = await forge.hostFleet(repo, files());
    const applied = await forge.drover(repo, 'apply', '--ref', 'main', '--env', env, '--report');
    expect(applied.stderr).not.toMatch(/error/i);
    expect(applied.code).toBe(0);
    await record('applied');
    const runs = await follow(sha0);
    const last = runs.at(-1)!;
    expect(last.code, last.stdout + last.stderr).toBe(0);
    expect(clusterLines(last.stdout)).toEqual([`success  ${env}/${cluster}: Available, cp 1/1, workers 1/1, v1.33.4`]);
    const live = await readCapiObjects(kubeconfigPath, ns);
    expect(condition(live.find((o) => o.kind === 'Cluster'), 'Available')?.status).toBe('True');
    const states = (await forge.history(repo, sha0, `drover/${env}/${cluster}`)).map((s) => s.state);
    expect(states[0]).toBe('pending');
    expect(states.at(-1)).toBe('success');
    expect(states).not.toContain('failure');
    expect((await forge.history(repo, sha0, `drover/${env}`)).at(-1)?.state).toBe('success');
  });

  it('resize md-0 1 → 3: the plan says so, status is pending while machines come up, success after', async () => {
    await forge.push(repo, files({ workerReplicas: 3 }), { message: 'c1: md-0 to 3 machines', branch: 'resize' });
    const plan = await forge.drover(repo, 'plan', '--ref', 'resize', '--env', env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`~ resize ${cluster}-md-0: 1 → 3 (MachineDeployment/${ns}/${cluster}-md-0 spec.replicas)`);
    const sha = await forge.push(repo, files({ workerReplicas: 3 }), { message: 'c1: md-0 to 3 machines' });
    const applied = await forge.drover(repo, 'apply', '--ref', 'main', '--env', env, '--report');
    expect(applied.code, applied.stderr).toBe(0);
    const runs = await follow(sha);
    expect(runs.at(-1)!.code, runs.at(-1)!.stdout).toBe(0);
    expect(clusterLines(runs.at(-1)!.stdout)).toEqual([`success  ${env}/${cluster}: Available, cp 1/1, workers 3/3, v1.33.4`]);
    const history = await forge.history(repo, sha, `drover/${env}/${cluster}`);
    expect(history[0]).toMatchObject({ state: 'pending' });
    expect(history.at(-1)).toMatchObject({ state: 'success' });
    const machines = (await readCapiObjects(kubeconfigPath, ns)).filter((o) => o.kind === 'Machine');
    expect(machines).toHaveLength(4);
  });

  it('upgrade v1.33.4 → v1.34.2 through the control plane and the pool: planned, rolled, followed', async () => {
    const upgraded = files({ workerReplicas: 3, version: 'v1.34.2' });
    await forge.push(repo, upgraded, { message: 'c1: Kubernetes v1.34.2', branch: 'upgrade' });
    const plan = await forge.drover(repo, 'plan', '--ref', 'upgrade', '--env', env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/~ upgrade control plane: v1\.33\.4 → v1\.34\.2, 1 machine roll/);
    expect(plan.stdout).toMatch(new RegExp(`~ upgrade ${cluster}-md-0: v1\\.33\\.4 → v1\\.34\\.2, 3 machines roll`));
    const sha = await forge.push(repo, upgraded, { message: 'c1: Kubernetes v1.34.2' });
    const applied = await forge.drover(repo, 'apply', '--ref', 'main', '--env', env, '--report');
    expect(applied.code, applied.stderr).toBe(0);
    const runs = await follow(sha);
    expect(runs.at(-1)!.code, runs.at(-1)!.stdout).toBe(0);
    expect(clusterLines(runs.at(-1)!.stdout)).toEqual([`success  ${env}/${cluster}: Available, cp 1/1, workers 3/3, v1.34.2`]);
    expect(runs.some((r) => r.code === 3), 'status was pending while the machines rolled').toBe(true);
    const machines = (await readCapiObjects(kubeconfigPath, ns)).filter((o) => o.kind === 'Machine');
    expect(machines.map((m) => (m.spec as { version?: string }).version)).toEqual(['v1.34.2', 'v1.34.2', 'v1.34.2', 'v1.34.2']);
  });

  it('tombstone: the Cluster is deleted first, CAPI tears it down, then the rest is pruned; nothing is left', async () => {
    await forge.push(repo, files({ workerReplicas: 3, version: 'v1.34.2', annotate: { 'drover.dev/delete': 'true' } }), { message: 'c1: delete' });
    const plan = await forge.drover(repo, 'plan', '--ref', 'main', '--env', env);
    expect(plan.stdout).toContain(`- delete cluster Cluster/${ns}/${cluster}: v1.34.2, control plane 1, ${cluster}-md-0 ×3; 7 objects`);
    // Its 7 objects pass the prune limit of 5: deleting a cluster that large needs explicit consent.
    const refused = await forge.drover(repo, 'apply', '--ref', 'main', '--env', env, '--report');
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stdout).toContain('allow with --allow-cluster-deletions 1');
    const applied = await forge.drover(repo, 'apply', '--ref', 'main', '--env', env, '--report', '--allow-cluster-deletions', '1');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    await record('deleted', applied);
    // Machines, MachineSets, KubeadmConfigs, DevMachines and Secrets go through ownerReferences (the garbage collector).
    const deadline = Date.now() + 120_000;
    let left = await readCapiObjects(kubeconfigPath, ns);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2_000));
      left = await readCapiObjects(kubeconfigPath, ns);
    }
    expect(left.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });
});
