import { clusterHold, hasDeleteTombstone, isCluster } from '../core/capi-rules.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { refKey } from '../core/object-ref.js';

/**
 * Which workload cluster each object belongs to, as the fleet stage attributes them by following
 * CAPI references (a structural subset of its `Attribution`). Attribute the desired and the live
 * objects together, so objects removed from Git keep their cluster. Cluster keys are
 * `namespace/name`; objects in no cluster belong to the environment.
 */
export interface ClusterAttribution {
  readonly clusters: ReadonlyMap<string, { readonly objects: readonly KubeObject[] }>;
}

/** `namespace/name` of a Cluster object. */
export function clusterKeyOf(cluster: KubeObject): string {
  const ns = cluster.metadata.namespace;
  return ns ? `${ns}/${cluster.metadata.name ?? ''}` : (cluster.metadata.name ?? '');
}

export type Hold = 'paused' | 'moving';

export const holdReasons: Record<Hold, string> = {
  paused: 'cluster is paused (spec.paused or cluster.x-k8s.io/paused)',
  moving: 'cluster is being moved by clusterctl',
};

/** Per cluster, what apply must do differently: leave it alone (held) or delete it (tombstoned). */
export interface ClusterScope {
  /** Cluster key (`namespace/name`) → why its objects are neither applied nor pruned now. */
  readonly holds: ReadonlyMap<string, Hold>;
  /** Cluster key → the desired Cluster carrying `drover.dev/delete: "true"`. */
  readonly tombstones: ReadonlyMap<string, KubeObject>;
  /** The key of the Cluster an object (by key) belongs to; a Cluster belongs to itself. */
  clusterOf(key: string): string | undefined;
}

export function computeClusterScope(
  desired: readonly KubeObject[],
  live: ReadonlyMap<string, KubeObject>,
  attribution: ClusterAttribution,
): ClusterScope {
  const holds = new Map<string, Hold>();
  for (const obj of live.values()) {
    if (!isCluster(obj)) continue;
    const hold = clusterHold(obj);
    if (hold) holds.set(clusterKeyOf(obj), hold);
  }
  const tombstones = new Map<string, KubeObject>();
  for (const obj of desired) if (isCluster(obj) && hasDeleteTombstone(obj)) tombstones.set(clusterKeyOf(obj), obj);
  const clusterOfKey = new Map<string, string>();
  for (const [clusterKey, members] of attribution.clusters) {
    for (const obj of members.objects) clusterOfKey.set(refKey(toRef(obj)), clusterKey);
  }
  return {
    holds,
    tombstones,
    clusterOf(key) {
      const own = clusterOfKey.get(key);
      if (own) return own;
      // A Cluster belongs to itself even when the attribution leaves it out.
      const m = /^cluster\.x-k8s\.io\|Cluster\|([^|]*)\|(.*)$/.exec(key);
      return m ? (m[1] ? `${m[1]}/${m[2]}` : m[2]) : undefined;
    },
  };
}
