import { describe, expect, it } from 'vitest';
import { ApplyStage, groupByStage, stageOf } from './stages.js';

describe('stageOf', () => {
  it.each([
    ['v1', 'Namespace', ApplyStage.Foundations],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', ApplyStage.Foundations],
    ['cluster.x-k8s.io/v1beta2', 'ClusterClass', ApplyStage.ClassesAndTemplates],
    ['infrastructure.cluster.x-k8s.io/v1beta1', 'PacketMachineTemplate', ApplyStage.ClassesAndTemplates],
    ['bootstrap.cluster.x-k8s.io/v1beta2', 'KubeadmConfigTemplate', ApplyStage.ClassesAndTemplates],
    ['controlplane.cluster.x-k8s.io/v1beta2', 'KubeadmControlPlaneTemplate', ApplyStage.ClassesAndTemplates],
    ['cluster.x-k8s.io/v1beta2', 'Cluster', ApplyStage.ClustersAndPools],
    ['infrastructure.cluster.x-k8s.io/v1beta1', 'PacketCluster', ApplyStage.ClustersAndPools],
    ['controlplane.cluster.x-k8s.io/v1beta2', 'KubeadmControlPlane', ApplyStage.ClustersAndPools],
    ['cluster.x-k8s.io/v1beta2', 'MachineDeployment', ApplyStage.ClustersAndPools],
    ['cluster.x-k8s.io/v1beta2', 'MachinePool', ApplyStage.ClustersAndPools],
    ['cluster.x-k8s.io/v1beta2', 'MachineHealthCheck', ApplyStage.Rest],
    ['addons.cluster.x-k8s.io/v1beta2', 'ClusterResourceSet', ApplyStage.Rest],
    ['v1', 'ConfigMap', ApplyStage.Rest],
    ['v1', 'Secret', ApplyStage.Rest],
  ])('%s %s goes in stage %i', (apiVersion, kind, stage) => {
    expect(stageOf({ apiVersion, kind })).toBe(stage);
  });

  it('keeps input order within a stage', () => {
    const objs = [
      { apiVersion: 'v1', kind: 'ConfigMap', n: 1 },
      { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', n: 2 },
      { apiVersion: 'v1', kind: 'ConfigMap', n: 3 },
      { apiVersion: 'v1', kind: 'Namespace', n: 4 },
    ];
    expect(groupByStage(objs).map((s) => s.map((o) => o.n))).toEqual([[4], [], [2], [1, 3]]);
  });
});
