import { describe, expect, it } from 'vitest';
import { Action, ChangeSet } from './change-set.js';

describe('ChangeSet', () => {
  const cs = new ChangeSet()
    .add({ apiVersion: 'v1', kind: 'Namespace', name: 'fleet' }, Action.Created)
    .add({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', namespace: 'fleet', name: 'md' }, Action.Configured)
    .add({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', namespace: 'fleet', name: 'eu-1' }, Action.Unchanged)
    .add({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', namespace: 'fleet', name: 'eu-2' }, Action.Skipped, 'cluster is paused');

  it('formats one line per object, Kind/ns/name first', () => {
    expect(cs.format()).toBe(['Namespace/fleet created', 'MachineDeployment/fleet/md configured', 'Cluster/fleet/eu-1 unchanged', 'Cluster/fleet/eu-2 skipped: cluster is paused'].join('\n'));
    expect(cs.format({ includeUnchanged: false })).not.toContain('unchanged');
  });

  it('maps objects to actions for structured logs, and counts them', () => {
    expect(cs.toMap()).toEqual({
      'Namespace/fleet': 'created',
      'MachineDeployment/fleet/md': 'configured',
      'Cluster/fleet/eu-1': 'unchanged',
      'Cluster/fleet/eu-2': 'skipped: cluster is paused',
    });
    expect(cs.summary()).toEqual({ created: 1, configured: 1, unchanged: 1, skipped: 1 });
    expect(cs.count(Action.Deleted)).toBe(0);
  });

  it('appends another change set in order', () => {
    const more = new ChangeSet().add({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'fleet', name: 'x' }, Action.Deleted);
    expect(new ChangeSet().append(cs).append(more).entries.at(-1)?.action).toBe('deleted');
  });
});
