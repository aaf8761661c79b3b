// A fleet written the v1beta1 way (refs with apiVersion, no namespace) against CAPI v1.14, whose
// storage version is v1beta2: the real conversion webhooks turn every object into v1beta2 and the
// server answers refs in their v1beta2 form. Drover must see that as no change: the second apply
// of the same revision writes nothing (no generation bump, no rollout), before and after the
// controllers have provisioned the cluster.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KubeObject } from '../../agent/core/kube-object.js';
import { readCapiObjects } from '../support/capi-status-recorder.js';
import { devClusterObjects } from '../support/dev-cluster-objects.js';
import { fleetFiles, followStatus, startE2eForge, type E2eForge } from '../support/e2e-fleet.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const kubeconfigPath = inject('kubeconfigPath');
const id = randomBytes(3).toString('hex');
const repo = `fleet-v1beta1-${id}`;

let forge: E2eForge;
let ns: string;

beforeAll(async () => {
  ns = await createTestNamespace(kubeconfigPath, 'e2e-v1beta1');
  forge = await startE2eForge(kubeconfigPath);
}, 900_000);
afterAll(async () => {
  await forge?.stop();
  if (ns) await deleteTestNamespace(kubeconfigPath, ns);
});

const generations = (objects: readonly KubeObject[]) =>
  Object.fromEntries(objects.filter((o) => ['Cluster', 'KubeadmControlPlane', 'MachineDeployment'].includes(o.kind)).map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.generation]));

describe('a v1beta1-written fleet', () => {
  it('converges, and applying the same revision again writes nothing, before and after provisioning', async () => {
    const sha = await forge.hostFleet(repo, fleetFiles([{ name: 'old', namespace: ns, clusters: { o1: devClusterObjects(ns, 'o1', { apiVersion: 'v1beta1' }) }, provisioningTimeout: '10m' }]));
    const first = await forge.drover(repo, 'apply', '--ref', 'main', '--env', 'old');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const before = generations(await readCapiObjects(kubeconfigPath, ns));

    const second = await forge.drover(repo, 'apply', '--ref', 'main', '--env', 'old');
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/nothing to (write|apply)|no changes|7 unchanged/);
    expect(generations(await readCapiObjects(kubeconfigPath, ns))).toEqual(before);
    const plan = await forge.drover(repo, 'plan', '--ref', 'main', '--env', 'old');
    expect(plan.code).toBe(0);
    expect(plan.stdout).not.toMatch(/^\s+~ /m);

    const runs = await followStatus(forge, repo, ['--ref', sha, '--env', 'old'], { timeoutMs: 480_000 });
    expect(runs.at(-1)!.code, runs.at(-1)!.stdout).toBe(0);
    const provisioned = generations(await readCapiObjects(kubeconfigPath, ns));
    const third = await forge.drover(repo, 'apply', '--ref', 'main', '--env', 'old');
    expect(third.code, third.stdout + third.stderr).toBe(0);
    expect(third.stdout).toMatch(/nothing to (write|apply)|no changes|7 unchanged/);
    expect(generations(await readCapiObjects(kubeconfigPath, ns))).toEqual(provisioned);
  });
});
