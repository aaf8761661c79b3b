import { describe, expect, it } from 'vitest';
import { ApplyError } from '../core/errors.js';
import {
  INVENTORY_MAX_BYTES,
  inventoryKey,
  parseInventory,
  sameInventory,
  serializeInventory,
  staleEntries,
  withEntries,
  withoutKeys,
  withPending,
  mergeInventories,
  type InventoryEntry,
} from './inventory.js';

const e = (kind: string, name: string, ns: string | null = 'fleet', apiVersion = 'cluster.x-k8s.io/v1beta2', uid = `uid-${name}`): InventoryEntry => ({ apiVersion, kind, namespace: ns ?? undefined, name, uid });

describe('inventory', () => {
  const inv = withEntries(new Map(), [e('MachineDeployment', 'b'), e('Cluster', 'a'), e('Namespace', 'fleet', null, 'v1')]);

  it('serializes grouped and sorted, so the same inventory gives the same bytes', () => {
    const reversed = withEntries(new Map(), [...inv.values()].reverse());
    expect(serializeInventory(reversed)).toBe(serializeInventory(inv));
    expect(JSON.parse(serializeInventory(inv))).toEqual({
      version: 1,
      objects: {
        'cluster.x-k8s.io/v1beta2 Cluster fleet': { a: 'uid-a' },
        'cluster.x-k8s.io/v1beta2 MachineDeployment fleet': { b: 'uid-b' },
        'v1 Namespace ': { fleet: 'uid-fleet' },
      },
    });
  });

  it('reads back what it wrote, cluster-scoped objects included', () => {
    const back = parseInventory(serializeInventory(inv), 'ConfigMap/drover-system/drover-inventory-prod');
    expect(sameInventory(back, inv)).toBe(true);
    expect(back.get(inventoryKey(e('Namespace', 'fleet', null, 'v1')))?.namespace).toBeUndefined();
  });

  it('keys an object by group, not version', () => {
    expect(inventoryKey(e('Cluster', 'a', 'fleet', 'cluster.x-k8s.io/v1beta1'))).toBe(inventoryKey(e('Cluster', 'a')));
  });

  it.each([
    ['not JSON', '{', /inventory is not JSON/],
    ['another format version', '{"version":2,"objects":{}}', /expected \{"version":1/],
    ['a malformed group', '{"version":1,"objects":{"Cluster":{}}}', /bad group "Cluster"/],
  ])('rejects %s, naming the ConfigMap', (_n, text, message) => {
    expect(() => parseInventory(text, 'ConfigMap/drover-system/drover-inventory-prod')).toThrow(ApplyError);
    expect(() => parseInventory(text, 'ConfigMap/drover-system/drover-inventory-prod')).toThrow(message);
  });

  it('lists as stale only entries Git no longer declares', () => {
    const desired = new Set([inventoryKey(e('Cluster', 'a'))]);
    expect(staleEntries(inv, desired).map((x) => x.name).sort()).toEqual(['b', 'fleet']);
  });

  it('tells a changed UID from the same inventory', () => {
    expect(sameInventory(withEntries(inv, [e('Cluster', 'a', 'fleet', undefined, 'other')]), inv)).toBe(false);
    expect(sameInventory(withoutKeys(inv, [inventoryKey(e('Cluster', 'a'))]), inv)).toBe(false);
  });

  it('records intent: new objects and writes over a stale entry are pending, owned ones stay owned (issue 8 #1)', () => {
    const owned = e('Cluster', 'a');
    const stale = e('MachineDeployment', 'b');
    const pending = withPending(withEntries(new Map(), [owned, stale]), [owned, { ...stale, uid: 'new-b' }, e('Cluster', 'new', 'fleet', undefined, '')]);
    expect(pending.get(inventoryKey(owned))).toEqual(owned);
    expect(pending.get(inventoryKey(stale))).toEqual({ ...stale, uid: 'new-b', pending: true });
    expect(pending.get(inventoryKey(e('Cluster', 'new')))).toEqual({ ...e('Cluster', 'new', 'fleet', undefined, ''), pending: true });
    const back = parseInventory(serializeInventory(pending), 'ConfigMap/drover-system/drover-inventory-prod');
    expect(sameInventory(back, pending)).toBe(true);
    expect(sameInventory(withEntries(pending, [e('Cluster', 'new', 'fleet', undefined, 'u')]), pending)).toBe(false);
  });

  it('merges after a write conflict: their new entries stay, our additions and removals apply (issue 8 #2)', () => {
    const base = withEntries(new Map(), [e('Cluster', 'a'), e('Cluster', 'b')]);
    const ours = withoutKeys(withEntries(base, [e('Cluster', 'c')]), [inventoryKey(e('Cluster', 'b'))]);
    const theirs = withEntries(base, [e('Cluster', 'd')]);
    const merged = mergeInventories(base, ours, theirs);
    expect([...merged.values()].map((x) => x.name).sort()).toEqual(['a', 'c', 'd']);
  });

  it('fits a 1000-cluster, 7000-object environment in one ConfigMap', () => {
    const big = withEntries(
      new Map(),
      Array.from({ length: 7000 }, (_, i) => e(['Cluster', 'PacketCluster', 'KubeadmControlPlane', 'MachineDeployment', 'PacketMachineTemplate', 'KubeadmConfigTemplate', 'PacketMachineTemplate'][i % 7]!, `c${Math.floor(i / 7)}-${i % 7}`, 'fleet', undefined, '0b9c4d1e-2f3a-4b5c-8d7e-6f5a4b3c2d1e')),
    );
    expect(serializeInventory(big).length).toBeLessThan(INVENTORY_MAX_BYTES / 2);
  });
});
