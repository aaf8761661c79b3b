import { describe, expect, it } from 'vitest';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { refKey } from '../core/object-ref.js';
import { defaultApplyOptions } from './apply-options.js';
import { computeClusterScope } from './cluster-scope.js';
import { toInventoryEntry, withEntries, withPending, type Inventory } from './inventory.js';
import { planPrune } from './prune-plan.js';

const NS = 'fleet';
const obj = (apiVersion: string, kind: string, name: string, meta: Record<string, unknown> = {}, spec?: Record<string, unknown>): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: NS, uid: `uid-${kind}-${name}`, ...meta },
  ...(spec ? { spec } : {}),
});
const cluster = (name: string, meta: Record<string, unknown> = {}, spec?: Record<string, unknown>) => obj('cluster.x-k8s.io/v1beta2', 'Cluster', name, meta, spec);
const kcp = (name: string) => obj('controlplane.cluster.x-k8s.io/v1beta2', 'KubeadmControlPlane', `${name}-cp`);
const md = (name: string) => obj('cluster.x-k8s.io/v1beta2', 'MachineDeployment', `${name}-md-0`);
const tmpl = (name: string) => obj('infrastructure.cluster.x-k8s.io/v1beta1', 'PacketMachineTemplate', name);
const cm = (name: string) => obj('v1', 'ConfigMap', name);
const key = (o: KubeObject) => refKey(toRef(o));
const inventoryOf = (objs: KubeObject[]): Inventory => withEntries(new Map(), objs.map((o) => toInventoryEntry(o)!));

function run(args: {
  desired: KubeObject[];
  live: KubeObject[];
  inventory: KubeObject[];
  clusters?: Record<string, KubeObject[]>;
  options?: Partial<ReturnType<typeof defaultApplyOptions>>;
  foreignOwners?: Map<string, { environment: string }>;
  fieldManager?: string;
  pending?: boolean;
}) {
  const live = new Map(args.live.map((o) => [key(o), o]));
  const attribution = { clusters: new Map(Object.entries(args.clusters ?? {}).map(([k, objects]) => [`${NS}/${k}`, { objects }])) };
  const options = { ...defaultApplyOptions(), ...args.options };
  return planPrune({
    inventory: args.pending ? withPending(new Map(), args.inventory.map((o) => ({ ...toInventoryEntry(o)!, uid: '' }))) : inventoryOf(args.inventory),
    foreignOwners: args.foreignOwners,
    fieldManager: args.fieldManager,
    desiredKeys: new Set(args.desired.map(key)),
    live,
    scope: computeClusterScope(args.desired, live, attribution),
    options,
  });
}

describe('planPrune', () => {
  const eu1 = [cluster('eu-1'), kcp('eu-1'), md('eu-1'), tmpl('eu-1-md-0-v1')];

  it('prunes only inventory objects Git no longer declares, in reverse stage order', () => {
    const unrelated = cm('not-ours');
    const p = run({ desired: [cm('keep')], live: [cm('keep'), cm('gone'), tmpl('old'), unrelated], inventory: [cm('keep'), cm('gone'), tmpl('old')] });
    expect(p.refusals).toEqual([]);
    expect(p.objects.map((t) => t.entry.name)).toEqual(['gone', 'old']);
  });

  it('forgets entries already gone, and skips objects recreated outside Drover', () => {
    const recreated = { ...cm('b'), metadata: { ...cm('b').metadata, uid: 'someone-else' } };
    const p = run({ desired: [cm('keep')], live: [cm('keep'), recreated], inventory: [cm('keep'), cm('a'), cm('b')] });
    expect(p.objects).toEqual([]);
    expect(p.forget.sort()).toEqual([key(cm('a')), key(cm('b'))].sort());
    expect(p.skipped).toEqual([{ entry: expect.objectContaining({ name: 'b' }), reason: expect.stringContaining('uid changed') }]);
  });

  it('refuses the whole prune when a Cluster leaves Git without a tombstone', () => {
    const p = run({ desired: [cm('keep')], live: [cm('keep'), ...eu1], inventory: [cm('keep'), ...eu1], clusters: { 'eu-1': eu1 }, options: { prune: { ...defaultApplyOptions().prune, overrideThreshold: true } } });
    expect(p.refusals).toEqual([expect.stringContaining('Cluster/fleet/eu-1 was removed from git without the drover.dev/delete: "true" tombstone')]);
  });

  it('deletes a tombstoned Cluster first and its objects after, whether or not Git still lists them', () => {
    const tomb = cluster('eu-1', { annotations: { 'drover.dev/delete': 'true' } });
    const p = run({ desired: [tomb, kcp('eu-1')], live: eu1, inventory: eu1, clusters: { 'eu-1': eu1 } });
    expect(p.refusals).toEqual([]);
    expect(p.clusters.map((t) => t.entry.name)).toEqual(['eu-1']);
    expect(p.objects.map((t) => t.entry.kind)).toEqual(['KubeadmControlPlane', 'MachineDeployment', 'PacketMachineTemplate']);
  });

  it('counts tombstoned deletions against the prune limit, and only --allow-cluster-deletions lifts it (issue 8 #3)', () => {
    const tomb = cluster('eu-1', { annotations: { 'drover.dev/delete': 'true' } });
    const tight = { ...defaultApplyOptions().prune, maxDeletions: 0, maxFraction: 0 };
    const refused = run({ desired: [tomb], live: eu1, inventory: eu1, clusters: { 'eu-1': eu1 }, options: { prune: { ...tight, overrideThreshold: true } } });
    expect(refused.refusals).toEqual([
      'refusing to delete 1 cluster marked drover.dev/delete (4 objects) of 4 inventory objects: more than the limit of 0; allow with --allow-cluster-deletions 1 or prune.allowClusterDeletions: 1 in drover.yaml',
    ]);
    const allowed = run({ desired: [tomb], live: eu1, inventory: eu1, clusters: { 'eu-1': eu1 }, options: { prune: { ...tight, allowClusterDeletions: 1 } } });
    expect(allowed.refusals).toEqual([]);
    expect(allowed.objects).toHaveLength(3);
  });

  it('refuses a commonAnnotations tombstone on every cluster of an environment (876 of 886 objects)', () => {
    const all: KubeObject[] = [];
    const clusters: Record<string, KubeObject[]> = {};
    for (let i = 0; i < 219; i++) {
      const objs = [cluster(`c${i}`), kcp(`c${i}`), md(`c${i}`), tmpl(`c${i}-t`)];
      clusters[`c${i}`] = objs;
      all.push(...objs);
    }
    const rest = Array.from({ length: 10 }, (_, i) => cm(`env-${i}`));
    const tombstoned = all.map((o) => (o.kind === 'Cluster' ? { ...o, metadata: { ...o.metadata, annotations: { 'drover.dev/delete': 'true' } } } : o));
    const p = run({ desired: [...tombstoned, ...rest], live: [...all, ...rest], inventory: [...all, ...rest], clusters });
    expect(p.refusals).toEqual([expect.stringContaining('refusing to delete 219 clusters marked drover.dev/delete (876 objects) of 886 inventory objects: more than the limit of 88')]);
  });

  it('lets a tombstone within the prune limit go without an allowance, and a deletion already under way continue', () => {
    const tomb = cluster('eu-1', { annotations: { 'drover.dev/delete': 'true' } });
    const keep = Array.from({ length: 40 }, (_, i) => cm(`keep-${i}`));
    expect(run({ desired: [tomb, ...keep], live: [...eu1, ...keep], inventory: [...eu1, ...keep], clusters: { 'eu-1': eu1 } }).refusals).toEqual([]);
    const going = cluster('eu-1', { deletionTimestamp: '2026-01-01T00:00:00Z' });
    const p = run({ desired: [tomb], live: [going, ...eu1.slice(1)], inventory: eu1, clusters: { 'eu-1': eu1 }, options: { prune: { ...defaultApplyOptions().prune, maxDeletions: 0, maxFraction: 0 } } });
    expect(p.refusals).toEqual([]);
  });

  it('refuses a tombstone when cluster deletion is disabled', () => {
    const tomb = cluster('eu-1', { annotations: { 'drover.dev/delete': 'true' } });
    const p = run({ desired: [tomb], live: eu1, inventory: eu1, clusters: { 'eu-1': eu1 }, options: { clusterDeletion: 'never' } });
    expect(p.clusters).toEqual([]);
    expect(p.refusals).toEqual([expect.stringContaining('cluster deletion is disabled')]);
  });

  it.each([
    ['paused', { annotations: { 'cluster.x-k8s.io/paused': '' } }, undefined],
    ['paused by spec', {}, { paused: true }],
    ['moving', { annotations: { 'clusterctl.cluster.x-k8s.io/block-move': '' } }, undefined],
  ])('keeps every object of a %s cluster', (_n, meta, spec) => {
    const held = cluster('eu-1', meta, spec);
    const objs = [held, kcp('eu-1'), md('eu-1')];
    const p = run({ desired: [cm('keep')], live: [cm('keep'), ...objs], inventory: [cm('keep'), ...objs], clusters: { 'eu-1': objs } });
    expect(p.refusals).toEqual([]);
    expect(p.objects).toEqual([]);
    expect(p.skipped).toHaveLength(3);
  });

  it.each([
    [6, 20, false, true],
    [5, 20, false, false],
    [12, 100, false, true],
    [10, 100, false, false],
    [12, 100, true, false],
  ])('refuses pruning %i of %i objects unless within max(5, 10%%) or overridden (override %s → refused %s)', (stale, total, overrideThreshold, refused) => {
    const keep = Array.from({ length: total - stale }, (_, i) => cm(`keep-${i}`));
    const gone = Array.from({ length: stale }, (_, i) => cm(`gone-${i}`));
    const p = run({ desired: keep, live: [...keep, ...gone], inventory: [...keep, ...gone], options: { prune: { ...defaultApplyOptions().prune, overrideThreshold } } });
    expect(p.refusals.length > 0).toBe(refused);
  });

  it('refuses when the environment renders empty, unless allowed', () => {
    const inv = [cm('a')];
    expect(run({ desired: [], live: inv, inventory: inv }).refusals).toEqual([expect.stringContaining('renders no objects')]);
    expect(run({ desired: [], live: inv, inventory: inv, options: { prune: { ...defaultApplyOptions().prune, allowEmpty: true } } }).refusals).toEqual([]);
  });

  it('with prune disabled, deletes only tombstoned clusters', () => {
    const tomb = cluster('eu-1', { annotations: { 'drover.dev/delete': 'true' } });
    const p = run({ desired: [tomb], live: [...eu1, cm('stale')], inventory: [...eu1, cm('stale')], clusters: { 'eu-1': eu1 }, options: { prune: { ...defaultApplyOptions().prune, enabled: false } } });
    expect(p.clusters).toHaveLength(1);
    expect(p.objects.map((t) => t.entry.name)).not.toContain('stale');
  });

  it("never deletes an object another environment's inventory owns (a takeover recorded before isolation): skipped and forgotten", () => {
    const shared = cm('settings');
    const p = run({ desired: [], live: [shared, cm('mine')], inventory: [shared, cm('mine')], foreignOwners: new Map([[key(shared), { environment: 'prod' }]]), options: { prune: { ...defaultApplyOptions().prune, allowEmpty: true } } });
    expect(p.objects.map((t) => t.entry.name)).toEqual(['mine']);
    expect(p.forget).toContain(key(shared));
    expect(p.skipped).toEqual([{ entry: expect.objectContaining({ name: 'settings' }), reason: "not deleted: environment prod's inventory owns it" }]);
  });

  it("a Cluster another environment owns is forgotten, not a removed-without-tombstone refusal", () => {
    const c = cluster('eu-1');
    const p = run({ desired: [cm('keep')], live: [c, cm('keep')], inventory: [c, cm('keep')], foreignOwners: new Map([[key(c), { environment: 'prod' }]]) });
    expect(p.refusals).toEqual([]);
    expect(p.clusters).toEqual([]);
    expect(p.forget).toContain(key(c));
  });

  it.each([
    ['the environment manager', 'drover/staging', true],
    ['the legacy drover manager (written before managers per environment)', 'drover', true],
    ['another tool', 'kubectl', false],
  ])('prunes a pending entry whose object shows %s: %s', (_name, manager, pruned) => {
    const written = { ...cm('half'), metadata: { ...cm('half').metadata, managedFields: [{ manager, operation: 'Apply' }] } };
    const p = run({ desired: [cm('keep')], live: [cm('keep'), written], inventory: [written], pending: true, fieldManager: 'drover/staging' });
    expect(p.objects.map((t) => t.entry.name)).toEqual(pruned ? ['half'] : []);
  });
});
