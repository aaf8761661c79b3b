import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { refKey } from '../core/object-ref.js';
import type { Inventory, InventoryEntry } from './inventory.js';
import { findForeignOwners, type OtherInventory } from './ownership.js';

const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'fleet-prod', name: 'settings' };
const key = refKey(ref);
const live = (uid: string, managers: string[] = []): Map<string, KubeObject> =>
  new Map([[key, { ...ref, metadata: { name: ref.name, namespace: ref.namespace, uid, managedFields: managers.map((manager) => ({ manager, operation: 'Apply' })) } }]]);
const other = (environment: string, entry: Partial<InventoryEntry> | null = {}): OtherInventory => ({
  environment,
  where: `ConfigMap/drover-system/drover-inventory-${environment}`,
  inventory: new Map(entry ? [[key, { ...ref, uid: 'u1', ...entry }]] : []) as Inventory,
});

describe('findForeignOwners', () => {
  it.each([
    ['another inventory lists the very object', live('u1'), [other('prod')], 'prod'],
    ['the entry is for an object since recreated (uid differs)', live('u2'), [other('prod')], undefined],
    ['the object no longer exists', new Map<string, KubeObject>(), [other('prod')], undefined],
    ['a pending create that landed (its manager on the object)', live('u9', ['drover/prod']), [other('prod', { uid: '', pending: true })], 'prod'],
    ['a pending create by the legacy manager', live('u9', ['drover']), [other('prod', { uid: '', pending: true })], 'prod'],
    ['a pending create that never landed (someone else wrote it)', live('u9', ['kubectl']), [other('prod', { uid: '', pending: true })], undefined],
    ['no other inventory lists it', live('u1'), [other('prod', null)], undefined],
    ['the first of two environments by name', live('u1'), [other('dev'), other('prod')], 'dev'],
  ])('%s', (_name, objects, others, owner) => {
    expect(findForeignOwners([key], objects, others).get(key)?.environment).toBe(owner);
  });
});
