// Health and report against real components: the CAPI status shapes the health rules are
// tested on go through the real kube-apiserver with the real CAPI v1.14 CRD schemas (status
// subresource, strict field validation), and a commit on a real Gitea goes pending → success as
// the test writes status the way CAPI's controllers would, and pending → failure after a short
// provisioning timeout. The objects are created by the test (what Drover's apply does); times
// are logical (appliedAt/now are fixed numbers), never the wall clock.
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { KubeObject } from '../../agent/core/kube-object.js';
import type { ObjectRef } from '../../agent/core/object-ref.js';
import { groupClusterObjects } from '../../agent/health/cluster-objects.js';
import { computeClusterHealth } from '../../agent/health/compute.js';
import { computeRevisionHealth, type RevisionHealth } from '../../agent/health/revision-health.js';
import { StatusContext, toApplyStatus, toHealthStatus, type CommitStatus } from '../../agent/report/commit-status.js';
import { createGiteaForge } from '../../agent/report/gitea.js';
import { postStatuses } from '../../agent/report/post-statuses.js';
import {
  availableConditions, clusterV1beta2, condition as c, counters, kcpV1beta2, mdV1beta2, mhcV1beta2, minutes, mpV1beta2, packetMachine, provisioningConditions, setConditions, T0,
} from '../support/capi-shapes.js';
import { giteaBinary, startGitea, type GiteaInstance } from '../support/forge/gitea.js';
import { memoryLogger } from '../support/forge/memory-logger.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';

const PLURAL: Record<string, string> = { Cluster: 'clusters', KubeadmControlPlane: 'kubeadmcontrolplanes', MachineDeployment: 'machinedeployments', MachinePool: 'machinepools', MachineHealthCheck: 'machinehealthchecks', PacketMachine: 'packetmachines' };

let api: CustomObjectsApi;
let ns: string;
let gitea: GiteaInstance;

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('kubeconfigPath'));
  api = kc.makeApiClient(CustomObjectsApi);
  ns = await createTestNamespace(inject('kubeconfigPath'), 'report-health');
  gitea = await startGitea(giteaBinary());
}, 180_000);
afterAll(async () => {
  await gitea?.stop();
  if (ns) await deleteTestNamespace(inject('kubeconfigPath'), ns);
});

const coords = (o: KubeObject) => {
  const [group, version] = o.apiVersion.split('/') as [string, string];
  return { group, version, namespace: ns, plural: PLURAL[o.kind]! };
};

/** Creates the object without its status, as apply would; returns the stored object (with its generation). */
async function create(fixture: KubeObject): Promise<KubeObject> {
  const { status: _status, ...rest } = fixture;
  const body = { ...rest, metadata: { name: fixture.metadata.name, namespace: ns, ...(fixture.metadata.labels ? { labels: fixture.metadata.labels } : {}), ...(fixture.metadata.annotations ? { annotations: fixture.metadata.annotations } : {}) } };
  return (await api.createNamespacedCustomObject({ ...coords(fixture), body, fieldValidation: 'Strict' })) as KubeObject;
}

/** Writes status through the status subresource, as a CAPI controller does; unknown fields are rejected, not pruned. */
async function writeStatus(fixture: KubeObject, status: unknown): Promise<KubeObject> {
  const live = (await api.getNamespacedCustomObject({ ...coords(fixture), name: fixture.metadata.name! })) as KubeObject;
  return (await api.replaceNamespacedCustomObjectStatus({ ...coords(fixture), name: fixture.metadata.name!, body: { ...live, status }, fieldValidation: 'Strict' })) as KubeObject;
}

async function list(): Promise<KubeObject[]> {
  const kinds = [clusterV1beta2(), kcpV1beta2(), mdV1beta2(), mpV1beta2(), mhcV1beta2({ expected: 1, healthy: 1 }), packetMachine({ name: 'x', instanceStatus: 'active' })];
  const out: KubeObject[] = [];
  for (const k of kinds) {
    const res = (await api.listNamespacedCustomObject(coords(k))) as { items: KubeObject[] };
    for (const item of res.items) out.push({ ...item, apiVersion: k.apiVersion, kind: k.kind });
  }
  return out;
}

const ref = (o: KubeObject): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name! });

describe('CAPI status shapes through the real CRD schemas', () => {
  it.each([
    ['an available v1beta2 Cluster', clusterV1beta2({ name: 'shape-available' })],
    ['a v1beta2 Cluster rolling out its control plane', clusterV1beta2({ name: 'shape-rolling', conditions: setConditions(availableConditions(), c('RollingOut', 'True', 'RollingOut', '* KubeadmControlPlane shape-rolling-cp: Rolling out 2 not up-to-date replicas')), cp: counters(3, 3, 1, 4) })],
    ['a provisioning v1beta2 Cluster', clusterV1beta2({ name: 'shape-provisioning', conditions: provisioningConditions(), cp: counters(3, 0, 0, 0), phase: 'Provisioning' })],
    ['a Cluster with deprecated v1beta1 failure fields', clusterV1beta2({ name: 'shape-failed', deprecated: { failureReason: 'CreateError', failureMessage: 'quota exceeded' } })],
    ['a rolling-out KubeadmControlPlane', kcpV1beta2({ cluster: 'shape-rolling', counters: { replicas: 4, upToDateReplicas: 1 }, conditions: [c('Available', 'True', 'Available'), c('RollingOut', 'True', 'RollingOut', 'Rolling out 2 not up-to-date replicas'), c('EtcdClusterHealthy', 'False', 'NotHealthy', '* Machine a: Etcd member is not healthy')], lastRemediation: { machine: 'shape-cp-abc', time: '2026-11-25T07:58:00Z', retryCount: 1 } })],
    ['a scaling MachineDeployment', mdV1beta2({ cluster: 'shape-rolling', counters: { replicas: 3, availableReplicas: 3, readyReplicas: 3, upToDateReplicas: 3 }, conditions: [c('Available', 'True', 'Available'), c('ScalingUp', 'True', 'ScalingUp', 'Scaling up from 3 to 5 replicas')] })],
    ['a scaling MachinePool', mpV1beta2({ cluster: 'shape-rolling', replicas: 4, counters: { replicas: 2, availableReplicas: 2, readyReplicas: 2, upToDateReplicas: 2 }, conditions: [c('Available', 'True', 'Available'), c('ScalingUp', 'True', 'ScalingUp', 'Scaling up from 2 to 4 replicas')] })],
    ['a blocked MachineHealthCheck', mhcV1beta2({ cluster: 'shape-rolling', expected: 5, healthy: 2, allowed: false })],
    ['an errored PacketMachine (CAPP v1beta1)', packetMachine({ name: 'shape-cp-x', cluster: 'shape-rolling', instanceStatus: 'errored', failureReason: 'CreateError', failureMessage: 'device failed to provision' })],
  ])('%s is stored exactly as the health tests use it', async (_name, fixture) => {
    await create(fixture);
    const stored = await writeStatus(fixture, fixture.status);
    expect(stored.status).toEqual(fixture.status);
  });

  it('gives the same health from the objects read back as from the fixtures', async () => {
    const bundles = groupClusterObjects(await list());
    expect(computeClusterHealth(bundles.find((b) => b.name === 'shape-available')!, { env: 'prod', now: T0 })).toMatchObject({ state: 'success', description: 'prod/shape-available: Available, cp 3/3, workers 5/5, v1.33.2' });
    const live = bundles.find((b) => b.name === 'shape-rolling')!;
    const health = computeClusterHealth(live, { env: 'prod', now: T0 });
    // The KCP rolls out, etcd is unhealthy, a device errored: pending while Available, with each part named.
    expect(health.state).toBe('pending');
    expect(health.message).toContain('prod/shape-rolling: Progressing (RollingOut, cp 1/3 up to date), cp 3/3, workers 5/5, v1.33.2');
    expect(health.message).toContain('cp: etcd unhealthy (Machine a: Etcd member is not healthy)');
    expect(health.message).toContain('PacketMachines 1 errored');
    expect(health.message).toContain('mp-0: Scaling up from 2 to 4 replicas');
  });
});

describe('a commit on a real Gitea follows the revision health', () => {
  async function report(sha: string, env: string, revision: RevisionHealth): Promise<void> {
    const statuses: CommitStatus[] = [
      toApplyStatus(env, { result: 'applied', changes: { created: 3 }, health: revision }),
      ...revision.clusters.map((h) => toHealthStatus(env, h.cluster.name, h)),
    ];
    await postStatuses(createGiteaForge({ baseUrl: gitea.url, owner: 'drover', repo: 'fleet-flow', token: gitea.token, fetch: globalThis.fetch }), sha, statuses, { log: memoryLogger() });
  }
  const history = async (sha: string, context: string): Promise<string[]> =>
    (await gitea.api<{ status: string; context: string; id: number }[]>('GET', `/repos/drover/fleet-flow/statuses/${sha}?limit=50`))
      .filter((s) => s.context === context)
      .sort((a, b) => a.id - b.id)
      .map((s) => s.status);

  it('goes pending on apply and success once CAPI reports the cluster available at the applied generation', async () => {
    const { sha } = await gitea.createRepo('fleet-flow');
    const fixtures = [clusterV1beta2({ name: 'flow-1' }), kcpV1beta2({ cluster: 'flow-1' }), mdV1beta2({ cluster: 'flow-1' })];
    const created = await Promise.all(fixtures.map(create));
    const applied = created.map((o): [ObjectRef, number] => [ref(o), o.metadata.generation!]);
    const revision = async (now: number) => computeRevisionHealth({ env: 'prod', appliedAt: T0, now, generationsApplied: applied, clusters: groupClusterObjects(await list()).filter((b) => b.name === 'flow-1') });

    // 1. just applied: nothing observed yet
    const r1 = await revision(T0 + 5_000);
    expect(r1.state).toBe('pending');
    await report(sha, 'prod', r1);
    // 2. CAPI starts provisioning
    const [cluster, kcp, md] = fixtures as [KubeObject, KubeObject, KubeObject];
    await writeStatus(cluster, clusterV1beta2({ name: 'flow-1', generation: created[0]!.metadata.generation, conditions: provisioningConditions(), cp: counters(3, 0, 0, 0), workers: counters(5, 0, 0, 0), phase: 'Provisioning' }).status);
    const r2 = await revision(T0 + minutes(3));
    expect(r2.clusters[0]!.description).toMatch(/^prod\/flow-1: (Provisioning \(InfrastructureReady\)|Reconciling)/);
    await report(sha, 'prod', r2);
    // 3. available, every part observed at its applied generation
    await writeStatus(kcp, kcpV1beta2({ cluster: 'flow-1', generation: created[1]!.metadata.generation }).status);
    await writeStatus(md, mdV1beta2({ cluster: 'flow-1', generation: created[2]!.metadata.generation }).status);
    await writeStatus(cluster, clusterV1beta2({ name: 'flow-1', generation: created[0]!.metadata.generation }).status);
    const r3 = await revision(T0 + minutes(12));
    expect(r3.state).toBe('success');
    await report(sha, 'prod', r3);

    expect(await history(sha, StatusContext.apply('prod'))).toEqual(['pending', 'success']);
    expect(await history(sha, StatusContext.health('prod', 'flow-1'))).toEqual(['pending', 'pending', 'success']);

    // 4. a resize: the new generation keeps the commit pending until CAPI has observed it and scaled
    const { sha: sha2 } = await gitea.api<{ commit: { sha: string } }>('POST', '/repos/drover/fleet-flow/contents/resize.txt', { content: Buffer.from('md-0: 7').toString('base64'), message: 'resize md-0 to 7' }).then((r) => ({ sha: r.commit.sha }));
    const liveMd = (await api.getNamespacedCustomObject({ ...coords(md), name: md.metadata.name! })) as KubeObject;
    const resized = (await api.replaceNamespacedCustomObject({ ...coords(md), name: md.metadata.name!, body: { ...liveMd, spec: { ...(liveMd.spec as object), replicas: 7 } } })) as KubeObject;
    expect(resized.metadata.generation).toBe(created[2]!.metadata.generation! + 1);
    const resize = async (now: number) => computeRevisionHealth({ env: 'prod', appliedAt: T0 + minutes(60), now, generationsApplied: [[ref(resized), resized.metadata.generation!]], clusters: groupClusterObjects(await list()).filter((b) => b.name === 'flow-1') });
    const before = await resize(T0 + minutes(61));
    expect(before.clusters[0]!.description).toBe(`prod/flow-1: Reconciling (MachineDeployment flow-1-md-0 generation ${resized.metadata.generation} not yet observed)`);
    await report(sha2, 'prod', before);
    await writeStatus(md, mdV1beta2({ cluster: 'flow-1', replicas: 7, generation: resized.metadata.generation, counters: { replicas: 7, availableReplicas: 7, readyReplicas: 7, upToDateReplicas: 7 } }).status);
    await writeStatus(cluster, clusterV1beta2({ name: 'flow-1', generation: created[0]!.metadata.generation, workers: counters(7) }).status);
    const after = await resize(T0 + minutes(70));
    expect(after.state).toBe('success');
    await report(sha2, 'prod', after);
    expect(await history(sha2, StatusContext.apply('prod'))).toEqual(['pending', 'success']);
  });

  it('turns failure when a cluster is still provisioning after the environment\'s timeout', async () => {
    const { sha } = await gitea.api<{ commit: { sha: string } }>('POST', '/repos/drover/fleet-flow/contents/eu-9.txt', { content: Buffer.from('eu-9').toString('base64'), message: 'add eu-9' }).then((r) => ({ sha: r.commit.sha }));
    const fixture = clusterV1beta2({ name: 'flow-9' });
    const created = await create(fixture);
    await writeStatus(fixture, clusterV1beta2({ name: 'flow-9', generation: created.metadata.generation, conditions: provisioningConditions(), phase: 'Provisioning' }).status);
    const revision = async (now: number) => computeRevisionHealth({ env: 'prod', appliedAt: T0, now, provisioningTimeoutSeconds: 60, generationsApplied: [[ref(created), created.metadata.generation!]], clusters: groupClusterObjects(await list()).filter((b) => b.name === 'flow-9') });
    const early = await revision(T0 + 30_000);
    expect(early.state).toBe('pending');
    await report(sha, 'prod', early);
    const late = await revision(T0 + 61_000);
    expect(late.state).toBe('failure');
    expect(late.clusters[0]!.description).toBe('prod/flow-9: Timed out after 1m: Provisioning (InfrastructureReady), cp 3/3, workers 5/5, v1.33.2');
    await report(sha, 'prod', late);
    expect(await history(sha, StatusContext.apply('prod'))).toEqual(['pending', 'failure']);
    expect(await history(sha, StatusContext.health('prod', 'flow-9'))).toEqual(['pending', 'failure']);
  });
});
