import { describe, expect, it } from 'vitest';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { refKey } from '../core/object-ref.js';
import { computePlan, type PlanInput } from './compute-plan.js';
import { ChangeType, FindingCode, type Plan } from './plan.js';

const NS = 'fleet-prod';

function cluster(name: string, extra: Partial<KubeObject> & { annotations?: Record<string, string>; spec?: Record<string, unknown> } = {}): KubeObject {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: { name, namespace: NS, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: extra.spec ?? {
      controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: `${name}-cp` },
      infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'PacketCluster', name },
    },
  };
}
function kcp(name: string, replicas: number, version = 'v1.33.2', template = `${name}-cp-v1`): KubeObject {
  return {
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
    kind: 'KubeadmControlPlane',
    metadata: { name: `${name}-cp`, namespace: NS },
    spec: { replicas, version, machineTemplate: { spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'PacketMachineTemplate', name: template } } } },
  };
}
function md(name: string, replicas: number | undefined, opts: { version?: string; template?: string; annotations?: Record<string, string> } = {}): KubeObject {
  const spec: Record<string, unknown> = {
    clusterName: name,
    selector: { matchLabels: {} },
    template: {
      spec: {
        clusterName: name,
        version: opts.version ?? 'v1.33.2',
        bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: `${name}-md-0-v1` } },
        infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'PacketMachineTemplate', name: opts.template ?? `${name}-md-0-v1` },
      },
    },
  };
  if (replicas !== undefined) spec.replicas = replicas;
  return { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', metadata: { name: `${name}-md-0`, namespace: NS, ...(opts.annotations ? { annotations: opts.annotations } : {}) }, spec };
}
function pmt(name: string, machineType = 'c3.small.x86'): KubeObject {
  return { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'PacketMachineTemplate', metadata: { name, namespace: NS }, spec: { template: { spec: { machineType, os: 'ubuntu_22_04' } } } };
}
function withUid<T extends KubeObject>(o: T, managed?: unknown): T {
  return { ...o, metadata: { ...o.metadata, uid: `uid-${o.metadata.name}`, resourceVersion: '7', ...(managed ? { managedFields: [managed] } : {}) } };
}
function members(name: string, objs: KubeObject[]) {
  return [`${NS}/${name}`, { objects: objs }] as const;
}

/** A plan where live = desired as applied before, changed by `edit`. */
function plan(input: { desired: KubeObject[]; live: KubeObject[]; clusters?: Array<readonly [string, { objects: KubeObject[] }]> } & Omit<Partial<PlanInput>, 'clusters'>): Plan {
  const clusters = new Map(input.clusters ?? []);
  return computePlan({
    environment: 'prod',
    revision: `main@sha1:${'a'.repeat(40)}`,
    dryRun: new Map(),
    ...input,
    clusters: { clusters },
  });
}

describe('computePlan', () => {
  const eu1 = [cluster('eu-1'), kcp('eu-1', 3), md('eu-1', 3), pmt('eu-1-md-0-v1')];

  it('reports a pool resize with from and to', () => {
    const desired = [cluster('eu-1'), kcp('eu-1', 3), md('eu-1', 5), pmt('eu-1-md-0-v1')];
    const p = plan({ desired, live: eu1.map((o) => withUid(o)), clusters: [members('eu-1', desired)] });
    expect(p.clusters).toHaveLength(1);
    expect(p.clusters[0]!.name).toBe(`${NS}/eu-1`);
    expect(p.clusters[0]!.changes).toEqual([
      { type: ChangeType.Resize, object: `MachineDeployment/${NS}/eu-1-md-0`, path: 'spec.replicas', target: 'eu-1-md-0', from: 3, to: 5, machines: undefined },
    ]);
    expect(p.counts).toMatchObject({ desired: 4, update: 1, unchanged: 3, create: 0, delete: 0 });
    expect(p.blocked).toBe(false);
  });

  it('takes what the server would store from the dry-run, not the rendered object', () => {
    const desired = [md('eu-1', 3)];
    const live = [withUid(md('eu-1', 3))];
    const after = { ...live[0]!, spec: { ...(live[0]!.spec as object), replicas: 4 } };
    const p = plan({ desired, live, dryRun: new Map([[refKey(toRef(desired[0]!)), after]]) });
    expect(p.changes).toMatchObject([{ type: 'resize', from: 3, to: 4 }]);
  });

  it.each([
    ['control plane upgrade rolls its machines', [kcp('eu-1', 3, 'v1.34.0')], { type: 'upgrade', target: 'control plane', from: 'v1.33.2', to: 'v1.34.0', machines: 3, path: 'spec.version' }],
    ['pool upgrade rolls its machines', [md('eu-1', 3, { version: 'v1.34.0' })], { type: 'upgrade', target: 'eu-1-md-0', from: 'v1.33.2', to: 'v1.34.0', machines: 3 }],
    ['pool template swap names both templates', [md('eu-1', 3, { template: 'eu-1-md-0-v2' })], { type: 'template-swap', from: 'eu-1-md-0-v1', to: 'eu-1-md-0-v2', machines: 3, path: 'spec.template.spec.infrastructureRef' }],
    ['control plane template swap', [kcp('eu-1', 3, 'v1.33.2', 'eu-1-cp-v2')], { type: 'template-swap', target: 'control plane', from: 'eu-1-cp-v1', to: 'eu-1-cp-v2', machines: 3 }],
  ])('%s', (_name, changed, expected) => {
    const desired = eu1.map((o) => changed.find((c) => c.kind === o.kind) ?? o);
    const p = plan({ desired, live: eu1.map((o) => withUid(o)), clusters: [members('eu-1', desired)] });
    expect(p.clusters[0]!.changes).toEqual([expect.objectContaining(expected)]);
  });

  it('reports other fields as one update with their paths', () => {
    const changed = { ...cluster('eu-1'), metadata: { ...cluster('eu-1').metadata, labels: { tier: 'gold' } } };
    const p = plan({ desired: [changed], live: [withUid(cluster('eu-1'))] });
    expect(p.clusters[0]!.changes).toEqual([{ type: 'update', object: `Cluster/${NS}/eu-1`, paths: ['metadata.labels'], target: undefined, machines: undefined }]);
  });

  it('blocks an in-place edit of a machine template', () => {
    const p = plan({ desired: [pmt('eu-1-md-0-v1', 'c3.large.x86')], live: [withUid(pmt('eu-1-md-0-v1'))], clusters: [members('eu-1', [pmt('eu-1-md-0-v1')])] });
    expect(p.blocked).toBe(true);
    expect(p.clusters[0]!.findings).toEqual([
      expect.objectContaining({ severity: 'block', code: FindingCode.TemplateEditedInPlace, message: expect.stringContaining('PacketMachineTemplate/fleet-prod/eu-1-md-0-v1 spec.template.spec.machineType') }),
    ]);
  });

  it('blocks a Cluster removed from git without a tombstone, with its deletion listed', () => {
    const live = eu1.map((o) => withUid(o));
    const p = plan({ desired: [], live, clusters: [members('eu-1', live)], owned: new Set(live.map((o) => refKey(toRef(o)))) });
    expect(p.blocked).toBe(true);
    const c = p.clusters[0]!;
    expect(c.changes.map((x) => x.type)).toEqual(['delete-cluster', 'delete', 'delete', 'delete']);
    expect(c.findings.map((f) => f.code)).toEqual([FindingCode.ClusterRemovedWithoutTombstone]);
  });

  it('plans a tombstoned Cluster as a deletion that does not block', () => {
    const tomb = cluster('eu-1', { annotations: { 'drover.dev/delete': 'true' } });
    const live = eu1.map((o) => withUid(o));
    const p = plan({ desired: [tomb], live, clusters: [members('eu-1', live)] });
    expect(p.blocked).toBe(false);
    expect(p.clusters[0]!.changes[0]).toMatchObject({ type: 'delete-cluster', object: `Cluster/${NS}/eu-1`, from: { version: 'v1.33.2', controlPlane: 3, pools: { 'eu-1-md-0': 3 } } });
    expect(p.counts.delete).toBe(4);
  });

  it('never deletes live objects Drover does not own', () => {
    const p = plan({ desired: [], live: [withUid(pmt('someone-elses'))], owned: new Set() });
    expect(p.changes).toEqual([]);
    expect(p.counts.delete).toBe(0);
  });

  it.each([
    [2, true],
    [0, true],
    [4, true],
    [3, false],
    [1, false],
  ])('control plane of %i replicas with stacked etcd blocks: %s', (replicas, blocked) => {
    const p = plan({ desired: [kcp('eu-1', replicas)], live: [] });
    expect(p.blocked).toBe(blocked);
    if (blocked) expect(p.changes.length + p.findings.length).toBeGreaterThan(0);
  });

  it('lets an even control plane through with external etcd', () => {
    const k = kcp('eu-1', 2);
    (k.spec as Record<string, unknown>).kubeadmConfigSpec = { clusterConfiguration: { etcd: { external: { endpoints: ['https://etcd:2379'] } } } };
    expect(plan({ desired: [k], live: [] }).blocked).toBe(false);
  });

  it('warns when replicas are sent for an autoscaled pool', () => {
    const ann = { 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '2', 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '9' };
    const p = plan({ desired: [md('eu-1', 5, { annotations: ann })], live: [] });
    expect(p.blocked).toBe(false);
    expect(p.findings.concat(p.clusters.flatMap((c) => c.findings))).toEqual([expect.objectContaining({ severity: 'warn', code: FindingCode.ReplicasOnAutoscaledPool })]);
  });

  it('warns when replicas Drover managed are removed from a live pool', () => {
    const managed = { manager: 'drover', operation: 'Apply', apiVersion: 'cluster.x-k8s.io/v1beta2', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };
    const p = plan({ desired: [md('eu-1', undefined)], live: [withUid(md('eu-1', 4), managed)] });
    const findings = p.clusters.flatMap((c) => c.findings).concat(p.findings);
    expect(findings).toEqual([expect.objectContaining({ severity: 'warn', code: FindingCode.ReplicasRemoved, message: expect.stringContaining('live pool has 4') })]);
  });

  it.each([
    ['paused by spec', { spec: { paused: true } }, FindingCode.ClusterPaused],
    ['paused by annotation', { annotations: { 'cluster.x-k8s.io/paused': '' } }, FindingCode.ClusterPaused],
    ['moved by clusterctl', { annotations: { 'clusterctl.cluster.x-k8s.io/delete-for-move': '' } }, FindingCode.ClusterMoving],
  ])('skips the objects of a cluster %s, with a finding', (_n, hold, code) => {
    const liveCluster = withUid(cluster('eu-1', hold as never));
    const desired = [cluster('eu-1'), md('eu-1', 9)];
    const p = plan({ desired, live: [liveCluster, withUid(md('eu-1', 3))], clusters: [members('eu-1', desired)] });
    const c = p.clusters[0]!;
    expect(c.skipped).toBe(true);
    expect(c.changes).toEqual([]);
    expect(c.findings).toEqual([expect.objectContaining({ severity: 'warn', code })]);
    expect(p.counts.skipped).toBe(2);
  });

  it('blocks on a failed dry-run, naming the object and field', () => {
    const desired = [md('eu-1', 3)];
    const message = 'MachineDeployment/fleet-prod/eu-1-md-0 Invalid: spec.bogus: field not declared in schema';
    const p = plan({ desired, live: [], dryRunErrors: new Map([[refKey(toRef(desired[0]!)), { message }]]) });
    expect(p.blocked).toBe(true);
    expect(p.findings).toEqual([{ severity: 'block', code: FindingCode.DryRunFailed, message }]);
  });

  it('summarizes a new cluster in one create-cluster change', () => {
    const desired = [cluster('eu-3'), kcp('eu-3', 3), md('eu-3', 5)];
    const p = plan({ desired, live: [], clusters: [members('eu-3', desired)] });
    expect(p.clusters[0]!.changes[0]).toMatchObject({ type: 'create-cluster', to: { version: 'v1.33.2', controlPlane: 3, pools: { 'eu-3-md-0': 5 }, objects: 3 } });
    expect(p.counts.create).toBe(3);
  });

  it.each([
    ['more stale objects than the limit', 7, false, true],
    ['within the limit', 5, false, false],
    ['over the limit with the override', 7, true, false],
  ])('prune threshold: %s', (_n, stale, overrideThreshold, blocked) => {
    const live = Array.from({ length: stale }, (_, i) => withUid(pmt(`t-${i}`)));
    const p = plan({
      desired: [pmt('keep')],
      live,
      protections: { prune: { enabled: true, maxDeletions: 5, maxFraction: 0.1, allowEmpty: false, overrideThreshold } },
    });
    expect(p.blocked).toBe(blocked);
    if (blocked) expect(p.findings.map((f) => f.code)).toEqual([FindingCode.PruneThreshold]);
  });

  it.each([
    ['blocks', 0, false, true],
    ['blocks even with the threshold override', 0, true, true],
    ['allows with --allow-cluster-deletions', 2, false, false],
  ])('two tombstoned clusters past the prune limit: %s (issue 8 #3)', (_n, allowClusterDeletions, overrideThreshold, blocked) => {
    const tomb = (n: string) => cluster(n, { annotations: { 'drover.dev/delete': 'true' } });
    const objs = (n: string) => [kcp(n, 3), md(n, 2), pmt(`${n}-md-0-v1`)];
    const desired = [tomb('eu-1'), ...objs('eu-1'), tomb('eu-2'), ...objs('eu-2')];
    const live = [cluster('eu-1'), ...objs('eu-1'), cluster('eu-2'), ...objs('eu-2')].map((o) => withUid(o));
    const p = plan({
      desired,
      live,
      clusters: [members('eu-1', [tomb('eu-1'), ...objs('eu-1')]), members('eu-2', [tomb('eu-2'), ...objs('eu-2')])],
      protections: { prune: { enabled: true, maxDeletions: 5, maxFraction: 0.1, allowEmpty: false, overrideThreshold, allowClusterDeletions } },
    });
    expect(p.blocked).toBe(blocked);
    if (blocked) expect(p.findings.map((f) => f.message)).toEqual([expect.stringContaining('refusing to delete 2 clusters marked drover.dev/delete (8 objects) of 8 inventory objects: more than the limit of 5')]);
  });

  it('blocks pruning everything when the environment renders empty', () => {
    const p = plan({ desired: [], live: [withUid(pmt('t'))], protections: { prune: { enabled: true, maxDeletions: 5, maxFraction: 0.1, allowEmpty: false } } });
    expect(p.findings.map((f) => f.code)).toEqual([FindingCode.EmptyRender]);
  });

  it('reports topology resizes and upgrades on the Cluster', () => {
    const topo = (cp: number, mdReplicas: number, version: string): KubeObject =>
      cluster('eu-9', { spec: { topology: { classRef: { name: 'quick-start' }, version, controlPlane: { replicas: cp }, workers: { machineDeployments: [{ class: 'default-worker', name: 'md-0', replicas: mdReplicas }] } } } });
    const p = plan({ desired: [topo(3, 5, 'v1.34.0')], live: [withUid(topo(3, 2, 'v1.33.2'))] });
    expect(p.clusters[0]!.changes).toEqual([
      expect.objectContaining({ type: 'upgrade', from: 'v1.33.2', to: 'v1.34.0', machines: 5, path: 'spec.topology.version' }),
      expect.objectContaining({ type: 'resize', target: 'pool md-0', from: 2, to: 5, path: 'spec.topology.workers.machineDeployments[0].replicas' }),
    ]);
  });
});

describe('computePlan: environment isolation', () => {
  const settings = (data: Record<string, string>, ns = NS): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data });
  const live = (o: KubeObject, managers: string[]) => ({ ...o, metadata: { ...o.metadata, uid: 'u1', managedFields: managers.map((manager) => ({ manager, operation: 'Apply' })) } });
  const where = 'ConfigMap/drover-system/drover-inventory-staging';

  it("blocks an object another environment's inventory owns, naming both environments", () => {
    const desired = settings({ size: 'large' });
    const p = plan({ desired: [desired], live: [live(settings({ size: 'small' }), ['drover/staging'])], owned: new Set(), isolation: { foreignOwners: new Map([[refKey(toRef(desired)), { environment: 'staging', where }]]), outside: new Map() } });
    expect(p.blocked).toBe(true);
    expect(p.findings).toEqual([
      {
        severity: 'block',
        code: FindingCode.OwnedByAnotherEnvironment,
        message: `ConfigMap/${NS}/settings belongs to environment staging (listed in its inventory ${where}): environment prod may not take it over; declare it in one environment only`,
      },
    ]);
    // Not an adoption: it is someone's.
    expect(p.counts.adopt).toBe(0);
  });

  it('blocks an object outside the environment with the reason apply gives', () => {
    const desired = settings({ a: '1' }, 'elsewhere');
    const p = plan({ desired: [desired], live: [], owned: new Set(), isolation: { foreignOwners: new Map(), outside: new Map([[refKey(toRef(desired)), 'why it is outside']]) } });
    expect(p.blocked).toBe(true);
    expect(p.findings).toEqual([{ severity: 'block', code: FindingCode.OutsideEnvironment, message: 'why it is outside' }]);
  });

  it('an existing object in no inventory is an adopt change with its fields and writers, counted apart', () => {
    const desired = settings({ size: 'large' });
    const current = live(settings({ size: 'small' }), ['kubectl', 'kubectl']);
    const p = plan({ desired: [desired], live: [current], owned: new Set(), dryRun: new Map([[refKey(toRef(desired)), { ...current, data: { size: 'large' } }]]) });
    expect(p.blocked).toBe(false);
    expect(p.changes).toEqual([{ type: ChangeType.Adopt, object: `ConfigMap/${NS}/settings`, paths: ['data.size'], managers: ['kubectl'] }]);
    expect(p.counts).toMatchObject({ adopt: 1, update: 0, unchanged: 0, create: 0 });
  });

  it('an object this environment owns is no adoption', () => {
    const desired = settings({ size: 'large' });
    const p = plan({ desired: [desired], live: [live(desired, ['drover/prod'])], owned: new Set([refKey(toRef(desired))]) });
    expect(p.counts).toMatchObject({ adopt: 0, unchanged: 1 });
  });

  it('a stale object another environment owns is not deleted: a warning, not a delete', () => {
    const stale = live(settings({ a: '1' }), ['drover']);
    const p = plan({ desired: [], live: [stale], owned: new Set([refKey(toRef(stale))]), protections: { prune: { enabled: true, maxDeletions: 5, maxFraction: 0.1, allowEmpty: true } }, isolation: { foreignOwners: new Map([[refKey(toRef(stale)), { environment: 'staging', where }]]), outside: new Map() } });
    expect(p.counts.delete).toBe(0);
    expect(p.findings).toEqual([{ severity: 'warn', code: FindingCode.OwnedByAnotherEnvironment, message: `ConfigMap/${NS}/settings is not deleted: environment staging owns it (${where}); environment prod forgets it` }]);
  });

  it('still warns about replicas removed from a pool the legacy drover manager applied (before its migration)', () => {
    const pool = md('eu-1', 3);
    const legacy = { ...pool, metadata: { ...pool.metadata, uid: 'u', managedFields: [{ manager: 'drover', operation: 'Apply', apiVersion: 'cluster.x-k8s.io/v1beta2', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] } };
    const p = plan({ desired: [md('eu-1', undefined)], live: [legacy], owned: new Set([refKey(toRef(pool))]), fieldManager: 'drover/prod' });
    expect([...p.findings, ...p.clusters.flatMap((c) => c.findings)].map((f) => f.code)).toContain(FindingCode.ReplicasRemoved);
  });
});

