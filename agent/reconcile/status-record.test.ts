import { describe, expect, it } from 'vitest';
import { ChangeSet } from '../apply/change-set.js';
import type { KubeObject } from '../core/kube-object.js';
import { latestApplyTime, parseRecordAnnotations, RecordAnnotation, toRecordAnnotations, wroteSomething } from './status-record.js';

const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'x' };

describe('apply record annotations', () => {
  it('round-trips revision, time, change counts and error', () => {
    const record = { revision: `main@sha1:${'a'.repeat(40)}`, appliedAt: Date.parse('2026-11-25T08:00:00Z'), changes: { created: 3, configured: 1 }, error: 'ApplyFailed: Cluster/prod/eu-1 Invalid: spec.paused: expected boolean' };
    const annotations = toRecordAnnotations(record);
    expect(annotations).toEqual({
      [RecordAnnotation.Revision]: record.revision,
      [RecordAnnotation.At]: '2026-11-25T08:00:00.000Z',
      [RecordAnnotation.Changes]: '{"created":3,"configured":1}',
      [RecordAnnotation.Error]: record.error,
    });
    expect(parseRecordAnnotations(annotations)).toEqual(record);
  });

  it('keeps at most 1024 characters of an error', () => {
    const annotations = toRecordAnnotations({ revision: 'r', appliedAt: 0, changes: {}, error: 'x'.repeat(5000) });
    expect(annotations[RecordAnnotation.Error]).toHaveLength(1024);
  });

  it.each([
    ['no annotations', undefined],
    ['no revision', { [RecordAnnotation.At]: '2026-11-25T08:00:00Z' }],
    ['an unreadable time', { [RecordAnnotation.Revision]: 'main@sha1:x', [RecordAnnotation.At]: 'yesterday' }],
  ])('reads no record from %s', (_name, annotations) => {
    expect(parseRecordAnnotations(annotations)).toBeUndefined();
  });

  it('keeps revision and time when the change counts are unreadable, and drops unknown actions', () => {
    const base = { [RecordAnnotation.Revision]: 'main@sha1:x', [RecordAnnotation.At]: '2026-11-25T08:00:00Z' };
    expect(parseRecordAnnotations({ ...base, [RecordAnnotation.Changes]: '{not json' })?.changes).toEqual({});
    expect(parseRecordAnnotations({ ...base, [RecordAnnotation.Changes]: '{"created":2,"exploded":1,"deleted":"x"}' })?.changes).toEqual({ created: 2 });
  });
});

describe('wroteSomething', () => {
  it.each([
    [['unchanged', 'skipped'], false],
    [['unchanged', 'configured'], true],
    [['created'], true],
    [['deleted'], true],
    [[], false],
  ] as const)('%j → %s', (actions, wrote) => {
    const cs = new ChangeSet();
    for (const a of actions) cs.add(ref, a);
    expect(wroteSomething(cs)).toBe(wrote);
  });
});

describe('latestApplyTime', () => {
  const obj = (...entries: object[]): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', managedFields: entries } });
  it('is the newest time of the manager\'s own apply entries, ignoring other managers, updates and status writes', () => {
    const objects = [
      obj({ manager: 'drover', operation: 'Apply', time: '2026-11-25T08:00:00Z' }, { manager: 'capi', operation: 'Update', subresource: 'status', time: '2026-11-25T09:30:00Z' }),
      obj({ manager: 'drover', operation: 'Apply', time: '2026-11-25T08:05:00Z' }, { manager: 'drover', operation: 'Update', time: '2026-11-25T09:00:00Z' }),
      obj({ manager: 'kubectl', operation: 'Apply', time: '2026-11-25T10:00:00Z' }),
    ];
    expect(latestApplyTime(objects, 'drover')).toBe(Date.parse('2026-11-25T08:05:00Z'));
  });
  it('is undefined when no object carries one', () => {
    expect(latestApplyTime([obj()], 'drover')).toBeUndefined();
  });
});
