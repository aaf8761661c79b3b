import { describe, expect, it } from 'vitest';
import { clusterV1beta2, kcpV1beta2, mdV1beta2, T0 } from '../../test/support/capi-shapes.js';
import type { KubeObject } from '../core/kube-object.js';
import { groupClusterObjects } from '../health/cluster-objects.js';
import { computeRevisionHealth } from '../health/revision-health.js';
import type { CommitStatus } from '../report/commit-status.js';
import { changedStatuses, toFollowStatuses, toSupersededStatuses, toWatchScopes } from './health-statuses.js';

const obj = (apiVersion: string, kind: string, namespace: string, name = 'x'): KubeObject => ({ apiVersion, kind, metadata: { name, namespace } });
const sent = (...statuses: CommitStatus[]) => new Map(statuses.map((s) => [s.context.toLowerCase(), s]));

describe('toWatchScopes', () => {
  it('watches each CAPI kind per namespace, the Machines beside Clusters and the machines of each template', () => {
    const scopes = toWatchScopes([
      obj('cluster.x-k8s.io/v1beta2', 'Cluster', 'fleet-fr', 'a'),
      obj('cluster.x-k8s.io/v1beta2', 'Cluster', 'fleet-fr', 'b'),
      obj('controlplane.cluster.x-k8s.io/v1beta2', 'KubeadmControlPlane', 'fleet-fr'),
      obj('cluster.x-k8s.io/v1beta2', 'MachineDeployment', 'fleet-ny'),
      obj('infrastructure.cluster.x-k8s.io/v1beta1', 'PacketMachineTemplate', 'fleet-fr'),
      obj('bootstrap.cluster.x-k8s.io/v1beta2', 'KubeadmConfigTemplate', 'fleet-fr'),
      obj('infrastructure.cluster.x-k8s.io/v1beta1', 'PacketCluster', 'fleet-fr'),
      obj('v1', 'ConfigMap', 'fleet-fr'),
    ]);
    expect(scopes.map((s) => `${s.namespace} ${s.kind} ${s.apiVersion}`)).toEqual([
      'fleet-fr Cluster cluster.x-k8s.io/v1beta2',
      'fleet-fr KubeadmControlPlane controlplane.cluster.x-k8s.io/v1beta2',
      'fleet-fr Machine cluster.x-k8s.io/v1beta2',
      'fleet-fr PacketMachine infrastructure.cluster.x-k8s.io/v1beta1',
      'fleet-ny MachineDeployment cluster.x-k8s.io/v1beta2',
    ]);
  });
});

describe('toFollowStatuses', () => {
  it('gives drover/<env> with the change counts and one status per touched cluster', () => {
    const objects = [clusterV1beta2(), kcpV1beta2(), mdV1beta2()];
    const md = objects[2]!;
    const health = computeRevisionHealth({ env: 'prod', appliedAt: T0, now: T0 + 1000, generationsApplied: [[{ apiVersion: md.apiVersion, kind: md.kind, namespace: md.metadata.namespace, name: md.metadata.name! }, 1]], clusters: groupClusterObjects(objects) });
    expect(toFollowStatuses('prod', { configured: 1 }, health)).toEqual([
      { state: 'success', context: 'drover/prod', description: 'prod: applied 1 configured; 1/1 clusters healthy at this revision' },
      { state: 'success', context: 'drover/prod/eu-1', description: 'prod/eu-1: Available, cp 3/3, workers 5/5, v1.33.2' },
    ]);
  });
});

describe('changedStatuses', () => {
  const a: CommitStatus = { state: 'pending', context: 'drover/prod', description: 'prod: applied 1 created; 0/1 clusters healthy at this revision' };
  it('keeps only what differs in state or description from what was sent', () => {
    expect(changedStatuses([a], sent(a))).toEqual([]);
    expect(changedStatuses([{ ...a, state: 'success' }], sent(a))).toEqual([{ ...a, state: 'success' }]);
    expect(changedStatuses([{ ...a, description: 'other' }], sent(a))).toHaveLength(1);
    expect(changedStatuses([a], new Map())).toEqual([a]);
  });
});

describe('toSupersededStatuses', () => {
  const newer = `main@sha1:${'b'.repeat(40)}`;
  it('finishes every pending status naming the newer revision and leaves final ones alone', () => {
    const out = toSupersededStatuses('prod', sent(
      { state: 'pending', context: 'drover/prod', description: 'prod: applied 1 created; 0/1 clusters healthy at this revision; pending: eu-1' },
      { state: 'pending', context: 'drover/prod/eu-1', description: 'prod/eu-1: Provisioning (InfrastructureReady)' },
      { state: 'success', context: 'drover/prod/eu-2', description: 'prod/eu-2: Available' },
    ), newer);
    expect(out).toEqual([
      { state: 'error', context: 'drover/prod', description: 'superseded by main@sha1:bbbbbbb before it settled (was: prod: applied 1 created; 0/1 clusters healthy at this revision; pending: eu-1)' },
      { state: 'error', context: 'drover/prod/eu-1', description: 'superseded by main@sha1:bbbbbbb before it settled (was: prod/eu-1: Provisioning (InfrastructureReady))' },
    ]);
    for (const s of out) expect([...s.description].length).toBeLessThanOrEqual(140);
  });

  it('finishes drover/<env> when nothing was sent yet', () => {
    expect(toSupersededStatuses('prod', new Map(), newer)).toEqual([{ state: 'error', context: 'drover/prod', description: 'prod: superseded by main@sha1:bbbbbbb before it was reported' }]);
  });
});
