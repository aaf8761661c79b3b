import type { KubeObject } from '../core/kube-object.js';
import { groupOf } from '../core/object-ref.js';

/**
 * The order apply writes in, so what an object refers to exists before it: namespaces and CRDs,
 * then ClusterClasses and templates, then Clusters, control planes and pools, then the rest.
 * Prune goes the other way.
 */
export const ApplyStage = {
  Foundations: 0,
  ClassesAndTemplates: 1,
  ClustersAndPools: 2,
  Rest: 3,
} as const;
export type ApplyStage = (typeof ApplyStage)[keyof typeof ApplyStage];

export const stageNames: Record<ApplyStage, string> = {
  0: 'namespaces and CRDs',
  1: 'ClusterClasses and templates',
  2: 'Clusters, control planes and pools',
  3: 'the rest',
};

const CAPI_GROUPS = /(^|\.)cluster\.x-k8s\.io$/;
const POOL_KINDS = new Set(['MachineDeployment', 'MachinePool', 'MachineSet']);

export function stageOf(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): ApplyStage {
  const group = groupOf(obj.apiVersion);
  if ((group === '' && obj.kind === 'Namespace') || (group === 'apiextensions.k8s.io' && obj.kind === 'CustomResourceDefinition')) {
    return ApplyStage.Foundations;
  }
  if (!CAPI_GROUPS.test(group)) return ApplyStage.Rest;
  if (obj.kind === 'ClusterClass' || obj.kind.endsWith('Template')) return ApplyStage.ClassesAndTemplates;
  if (group === 'cluster.x-k8s.io' && (obj.kind === 'Cluster' || POOL_KINDS.has(obj.kind))) return ApplyStage.ClustersAndPools;
  // KubeadmControlPlane and other control-plane providers' kinds.
  if (group.startsWith('controlplane.')) return ApplyStage.ClustersAndPools;
  // PacketCluster, DockerCluster, …: the infrastructure side of a Cluster.
  if (group.startsWith('infrastructure.') && obj.kind.endsWith('Cluster')) return ApplyStage.ClustersAndPools;
  return ApplyStage.Rest;
}

/** Splits objects by stage, keeping their order within a stage; always four buckets. */
export function groupByStage<T extends Pick<KubeObject, 'apiVersion' | 'kind'>>(objects: readonly T[]): T[][] {
  const out: T[][] = [[], [], [], []];
  for (const obj of objects) out[stageOf(obj)]!.push(obj);
  return out;
}
