import type { KubeObject } from './kube-object.js';
import { groupOf } from './object-ref.js';

/**
 * Cluster API facts that more than one stage acts on (plan reports them, apply enforces them).
 * Pure predicates over plain objects; field names are CAPI v1beta2's.
 */
export const CapiAnnotation = {
  /** Kept on a Cluster in Git to ask Drover to delete it (a tombstone). */
  Delete: 'drover.dev/delete',
  /** Pauses one CAPI object (any kind). */
  Paused: 'cluster.x-k8s.io/paused',
  /** clusterctl move: the object is being moved away and will be deleted here. */
  DeleteForMove: 'clusterctl.cluster.x-k8s.io/delete-for-move',
  /** clusterctl move waits while any object carries it. */
  BlockMove: 'clusterctl.cluster.x-k8s.io/block-move',
  AutoscalerMin: 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size',
  AutoscalerMax: 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size',
} as const;

export const CAPI_GROUP = 'cluster.x-k8s.io';

export function isCapiKind(obj: Pick<KubeObject, 'apiVersion' | 'kind'>, kind: string, group = CAPI_GROUP): boolean {
  return obj.kind === kind && groupOf(obj.apiVersion) === group;
}

export function isCluster(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
  return isCapiKind(obj, 'Cluster');
}

/** A Cluster kept in Git with `drover.dev/delete: "true"`. */
export function hasDeleteTombstone(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[CapiAnnotation.Delete] === 'true';
}

/** Why a live Cluster must not be touched now, or undefined. */
export function clusterHold(live: KubeObject): 'paused' | 'moving' | undefined {
  const ann = live.metadata.annotations ?? {};
  if (CapiAnnotation.DeleteForMove in ann || CapiAnnotation.BlockMove in ann) return 'moving';
  const spec = live.spec as { paused?: unknown } | undefined;
  if (spec?.paused === true || CapiAnnotation.Paused in ann) return 'paused';
  return undefined;
}

/** True when the cluster autoscaler owns the replica count (min/max size annotations). */
export function isAutoscaled(annotations: Record<string, string> | undefined): boolean {
  return !!annotations && (CapiAnnotation.AutoscalerMin in annotations || CapiAnnotation.AutoscalerMax in annotations);
}

/** MachineDeployment and MachinePool: the pool kinds whose replicas the autoscaler may own. */
export function isPool(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
  return isCapiKind(obj, 'MachineDeployment') || isCapiKind(obj, 'MachinePool');
}
