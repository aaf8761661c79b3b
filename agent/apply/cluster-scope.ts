import { clusterHold, hasDeleteTombstone, isCluster } from '../core/capi-rules.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { refKey, type ObjectRef } from '../core/object-ref.js';

/**
 * Which Cluster each object belongs to: refKey(object) → the Cluster's ref, as the fleet stage
 * attributes them by following CAPI references. Objects absent belong to the environment.
 * Cover both the desired and the live objects, so objects removed from Git keep their cluster.
 */
export type ClusterAttribution = ReadonlyMap<string, ObjectRef>;

export type Hold = 'paused' | 'moving';

export const holdReasons: Record<Hold, string> = {
  paused: 'cluster is paused (spec.paused or cluster.x-k8s.io/paused)',
  moving: 'cluster is being moved by clusterctl',
};

/** Per cluster, what apply must do differently: leave it alone (held) or delete it (tombstoned). */
export interface ClusterScope {
  /** Cluster key → why its objects are neither applied nor pruned now. */
  readonly holds: ReadonlyMap<string, Hold>;
  /** Cluster key → the desired Cluster carrying `drover.dev/delete: "true"`. */
  readonly tombstones: ReadonlyMap<string, KubeObject>;
  /** The key of the Cluster an object (by key) belongs to; a Cluster belongs to itself. */
  clusterOf(key: string): string | undefined;
}

export function computeClusterScope(
  desired: readonly KubeObject[],
  live: ReadonlyMap<string, KubeObject>,
  clusters: ClusterAttribution,
): ClusterScope {
  const holds = new Map<string, Hold>();
  for (const [key, obj] of live) {
    if (!isCluster(obj)) continue;
    const hold = clusterHold(obj);
    if (hold) holds.set(key, hold);
  }
  const tombstones = new Map<string, KubeObject>();
  for (const obj of desired) if (isCluster(obj) && hasDeleteTombstone(obj)) tombstones.set(refKey(toRef(obj)), obj);
  const clusterKeys = new Map<string, string>();
  for (const [key, ref] of clusters) clusterKeys.set(key, refKey(ref));
  return {
    holds,
    tombstones,
    clusterOf(key) {
      const own = clusterKeys.get(key);
      if (own) return own;
      // A Cluster belongs to itself even when the attribution leaves it out.
      return key.startsWith('cluster.x-k8s.io|Cluster|') ? key : undefined;
    },
  };
}
