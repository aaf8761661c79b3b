import { describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-object.js';
import { dryRunManager, environmentFieldManager, migrateManagedFields, needsMigration, type ManagedFieldsEntry } from './field-manager.js';

const apply = (manager: string, fieldsV1: unknown, apiVersion = 'v1'): ManagedFieldsEntry => ({ manager, operation: 'Apply', apiVersion, fieldsType: 'FieldsV1', fieldsV1 });
const obj = (...entries: ManagedFieldsEntry[]): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'n', managedFields: entries } });

describe('field managers per environment', () => {
  it('names the manager after the environment', () => expect(environmentFieldManager('staging')).toBe('drover/staging'));

  it.each([
    ['legacy drover apply entry', obj(apply('drover', {})), true],
    ['only the environment manager', obj(apply('drover/staging', {})), false],
    ['drover as an update (the inventory ConfigMap), not an apply', obj({ manager: 'drover', operation: 'Update' }), false],
    ['drover on the status subresource', obj({ ...apply('drover', {}), subresource: 'status' }), false],
  ])('needsMigration: %s', (_name, o, expected) => expect(needsMigration(o, 'drover/staging')).toBe(expected));

  it('dry-runs as the legacy manager while it owns the object alone, else as the environment', () => {
    expect(dryRunManager(obj(apply('drover', {})), 'drover/staging')).toBe('drover');
    expect(dryRunManager(obj(apply('drover', {}), apply('drover/staging', {})), 'drover/staging')).toBe('drover/staging');
    expect(dryRunManager(obj(apply('kubectl', {})), 'drover/staging')).toBe('drover/staging');
    expect(dryRunManager(undefined, 'drover/staging')).toBe('drover/staging');
  });
});

describe('migrateManagedFields', () => {
  it('renames the legacy apply entry and keeps every other entry in place', () => {
    const kubectl = { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:b': {} } } };
    const out = migrateManagedFields([kubectl, apply('drover', { 'f:data': { 'f:a': {} } })], 'drover/prod');
    expect(out).toEqual([kubectl, apply('drover/prod', { 'f:data': { 'f:a': {} } })]);
  });

  it('merges into the environment entry of the same version (union of both field sets)', () => {
    const out = migrateManagedFields([apply('drover/prod', { 'f:data': { 'f:a': {} } }), apply('drover', { 'f:data': { 'f:b': {} }, 'f:metadata': { 'f:labels': { 'f:x': {} } } })], 'drover/prod');
    expect(out).toEqual([apply('drover/prod', { 'f:data': { 'f:a': {}, 'f:b': {} }, 'f:metadata': { 'f:labels': { 'f:x': {} } } })]);
  });

  it('keeps the legacy set when the versions differ (the next apply releases what git dropped)', () => {
    const out = migrateManagedFields([apply('drover/prod', { 'f:spec': {} }, 'x/v1'), apply('drover', { 'f:spec': { 'f:old': {} } }, 'x/v2')], 'drover/prod');
    expect(out).toEqual([apply('drover/prod', { 'f:spec': { 'f:old': {} } }, 'x/v2')]);
  });

  it('leaves objects without a legacy apply entry alone', () => {
    expect(migrateManagedFields([apply('drover/prod', {})], 'drover/prod')).toBeUndefined();
    expect(migrateManagedFields([{ manager: 'drover', operation: 'Update' }], 'drover/prod')).toBeUndefined();
  });
});
