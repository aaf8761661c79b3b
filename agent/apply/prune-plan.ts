import { isCluster } from '../core/capi-rules.js';
import { LEGACY_FIELD_MANAGER, writtenByAny } from '../core/field-manager.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { formatRef, refKey } from '../core/object-ref.js';
import { pruneLimit, type ApplyOptions } from './apply-options.js';
import type { ClusterScope } from './cluster-scope.js';
import { holdReasons } from './cluster-scope.js';
import type { Inventory, InventoryEntry } from './inventory.js';
import { stageOf } from './stages.js';

/** One object prune deletes, with the UID it must still have. */
export interface PruneTarget {
  readonly key: string;
  readonly entry: InventoryEntry;
  /** The live object; its deletionTimestamp tells a deletion already under way. */
  readonly live: KubeObject;
}

export interface PrunePlan {
  /** Tombstoned Clusters: deleted first, and waited for until gone. */
  readonly clusters: PruneTarget[];
  /** Then these, in reverse stage order, once every Cluster above is gone. */
  readonly objects: PruneTarget[];
  /** Left alone this time, with why. */
  readonly skipped: Array<{ entry: InventoryEntry; reason: string }>;
  /** Inventory keys to drop without deleting: already gone, or recreated outside Drover. */
  readonly forget: string[];
  /** When set, prune deletes nothing at all: each says why. */
  readonly refusals: string[];
}

export interface PrunePlanInput {
  readonly inventory: Inventory;
  /** Keys of everything Git declares (tombstoned Clusters and their objects included). */
  readonly desiredKeys: ReadonlySet<string>;
  readonly live: ReadonlyMap<string, KubeObject>;
  readonly scope: ClusterScope;
  readonly options: Pick<ApplyOptions, 'prune' | 'clusterDeletion'>;
  /**
   * The environment's server-side apply field manager: a pending entry is pruned only when its
   * live object shows it (or the legacy `drover`, which wrote every environment before). Default `drover`.
   */
  readonly fieldManager?: string | undefined;
  /** Objects another environment's inventory owns (ownership.ts): never deleted here, and forgotten. */
  readonly foreignOwners?: ReadonlyMap<string, { readonly environment: string }> | undefined;
}

/**
 * Decides what prune deletes. Only inventory objects are candidates. A Cluster goes only with
 * intent in Git (kept with `drover.dev/delete: "true"`), first and alone; its objects follow
 * once it is gone. A Cluster removed from Git without that tombstone, an environment that
 * renders empty, or more stale objects than max(maxDeletions, maxFraction × inventory) refuse
 * the whole prune. Tombstoned deletions count against the same limit unless no more than
 * `allowClusterDeletions` Clusters go (an explicit allowance; the threshold override does not
 * lift it). Held (paused or moving) clusters keep everything.
 */
export function planPrune(input: PrunePlanInput): PrunePlan {
  const { inventory, desiredKeys, live, scope, options } = input;
  const managers = [...new Set([input.fieldManager ?? LEGACY_FIELD_MANAGER, LEGACY_FIELD_MANAGER])];
  const clusters: PruneTarget[] = [];
  const objects: PruneTarget[] = [];
  const skipped: PrunePlan['skipped'] = [];
  const forget: string[] = [];
  const refusals: string[] = [];
  const handled = new Set<string>();
  let tombstoneMembers = 0;

  const membersOf = (clusterKey: string, clusterRefKey: string): Array<[string, InventoryEntry]> =>
    [...inventory].filter(([k]) => k !== clusterRefKey && scope.clusterOf(k) === clusterKey);

  /** Deletes it if it is still the object Drover applied; forgets it when gone or replaced. */
  const target = (key: string, entry: InventoryEntry, into: PruneTarget[]): void => {
    handled.add(key);
    const obj = live.get(key);
    if (!obj) {
      forget.push(key);
      return;
    }
    const owner = input.foreignOwners?.get(key);
    if (owner) {
      forget.push(key);
      skipped.push({ entry, reason: `not deleted: environment ${owner.environment}'s inventory owns it` });
      return;
    }
    if (entry.pending) {
      // Intent only: delete it when Drover's write did land (its manager is on the object),
      // with the live UID as precondition; an object Drover never wrote is forgotten.
      if (!writtenByAny(obj, managers) || (entry.uid && obj.metadata.uid !== entry.uid)) {
        forget.push(key);
        skipped.push({ entry, reason: 'not deleted: Drover never wrote it (an interrupted apply only meant to)' });
        return;
      }
      into.push({ key, entry: { ...entry, uid: obj.metadata.uid ?? '', pending: undefined }, live: obj });
      return;
    }
    if (obj.metadata.uid !== entry.uid) {
      forget.push(key);
      skipped.push({ entry, reason: 'not deleted: recreated outside Drover (uid changed)' });
      return;
    }
    into.push({ key, entry, live: obj });
  };

  for (const [clusterKey, cluster] of scope.tombstones) {
    const ref = formatRef(toRef(cluster));
    const clusterRefKey = refKey(toRef(cluster));
    const hold = scope.holds.get(clusterKey);
    const members = membersOf(clusterKey, clusterRefKey);
    const own = inventory.get(clusterRefKey);
    const all: Array<[string, InventoryEntry]> = own ? [[clusterRefKey, own], ...members] : members;
    if (hold || options.clusterDeletion === 'never') {
      const reason = hold ? `not deleted: ${holdReasons[hold]}` : 'not deleted: cluster deletion is disabled (protections.clusterDeletion: never)';
      if (!hold && live.has(clusterRefKey)) refusals.push(`${ref} carries drover.dev/delete but cluster deletion is disabled`);
      for (const [k, e] of all) {
        handled.add(k);
        skipped.push({ entry: e, reason });
      }
      continue;
    }
    const liveCluster = live.get(clusterRefKey);
    if (own) target(clusterRefKey, own, clusters);
    else if (liveCluster) skipped.push({ entry: { ...toRef(liveCluster), uid: liveCluster.metadata.uid ?? '' }, reason: 'not deleted: not in the inventory (Drover did not create it)' });
    const before = objects.length;
    for (const [k, e] of members) target(k, e, objects);
    tombstoneMembers += objects.length - before;
  }

  let stale = 0;
  const staleTargets: PruneTarget[] = [];
  // With prune disabled only tombstoned clusters go; stale objects stay where they are.
  for (const [key, entry] of options.prune.enabled ? inventory : []) {
    if (handled.has(key) || desiredKeys.has(key)) continue;
    const clusterKey = scope.clusterOf(key);
    const hold = clusterKey ? scope.holds.get(clusterKey) : undefined;
    if (hold) {
      skipped.push({ entry, reason: `not deleted: ${holdReasons[hold]}` });
      continue;
    }
    if (isCluster(entry) && live.has(key) && !input.foreignOwners?.has(key)) {
      refusals.push(`${formatRef(entry)} was removed from git without the drover.dev/delete: "true" tombstone; keep it in git with the annotation to delete the cluster`);
      continue;
    }
    const before = staleTargets.length;
    target(key, entry, staleTargets);
    stale += staleTargets.length - before;
  }

  if (options.prune.enabled && desiredKeys.size === 0 && inventory.size > 0 && !options.prune.allowEmpty) {
    refusals.push(`the environment renders no objects: refusing to prune ${inventory.size} inventory objects (a broken render?); allow with prune.allowEmpty`);
  }
  const limit = pruneLimit(options.prune, inventory.size);
  const tombstoneDeletes = clusters.length + tombstoneMembers;
  // A Cluster whose deletion is already under way was allowed by an earlier run.
  const starting = clusters.filter((c) => !c.live.metadata.deletionTimestamp).length;
  if (starting > 0 && clusters.length > options.prune.allowClusterDeletions && stale + tombstoneDeletes > limit) {
    refusals.push(formatClusterDeletionRefusal(clusters.length, tombstoneDeletes, stale, inventory.size, limit));
  } else if (stale > limit && !options.prune.overrideThreshold) {
    refusals.push(`refusing to prune ${stale} of ${inventory.size} inventory objects: more than the limit of ${limit} (max(${options.prune.maxDeletions}, ${options.prune.maxFraction} × inventory)); override to proceed`);
  }
  objects.push(...staleTargets);
  objects.sort((a, b) => stageOf(b.entry) - stageOf(a.entry));
  return { clusters, objects, skipped, forget, refusals };
}

/** The refusal when tombstoned Clusters would take more than the prune limit. Shared with the plan's finding. */
export function formatClusterDeletionRefusal(clusters: number, tombstoneDeletes: number, stale: number, inventorySize: number, limit: number): string {
  const what = `${clusters} cluster${clusters === 1 ? '' : 's'}`;
  return `refusing to delete ${what} marked drover.dev/delete (${tombstoneDeletes} objects${stale ? `, plus ${stale} other stale objects` : ''}) of ${inventorySize} inventory objects: more than the limit of ${limit}; allow with --allow-cluster-deletions ${clusters} or prune.allowClusterDeletions: ${clusters} in drover.yaml`;
}
