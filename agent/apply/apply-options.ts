import { environmentFieldManager } from '../core/field-manager.js';
import type { TransientRetry } from './retry-transient.js';

/** What an environment's apply may do; build with `defaultApplyOptions()` and override fields. */
export interface ApplyOptions {
  /** Server-side apply `force`: take over fields another manager owns (as Flux does). */
  force: boolean;
  /** Namespace holding the `drover-inventory-<env>` ConfigMaps. */
  inventoryNamespace: string;
  prune: PruneOptions;
  /**
   * `annotation`: a Cluster kept in Git with `drover.dev/delete: "true"` is deleted (first, and
   * waited for). `never`: Drover never deletes a Cluster; a tombstone is refused too.
   */
  clusterDeletion: 'annotation' | 'never';
  /** How long to wait for a deleted Cluster to disappear (CAPI's cascade) before pruning the rest; later reconciles pick up where this stopped. */
  clusterDeletionTimeoutMs: number;
  /** Between two GETs while waiting for a Cluster to disappear. */
  pollIntervalMs: number;
  /** Requests in flight at once (dry-runs, writes, deletes within one stage). */
  concurrency: number;
  /** Tries of a dry-run failing transiently (a webhook timing out under load); default `defaultTransientRetry()`. */
  transientRetry?: TransientRetry | undefined;
  /**
   * Server-side apply field manager of the environment's objects; default `drover/<env>`
   * (core/field-manager.ts), so environments never share field ownership.
   */
  fieldManager?: string | undefined;
}

/** The field manager an environment's objects are applied with. */
export function fieldManagerOf(options: Pick<ApplyOptions, 'fieldManager'>, environment: string): string {
  return options.fieldManager ?? environmentFieldManager(environment);
}

/** When apply may delete what it applied before and Git no longer declares. */
export interface PruneOptions {
  enabled: boolean;
  /** Refuse to prune more than max(maxDeletions, maxFraction × inventory size) objects at once… */
  maxDeletions: number;
  maxFraction: number;
  /** …unless this is set (an operator's explicit override). */
  overrideThreshold: boolean;
  /** Prune even when the environment renders no object at all (normally a broken render). */
  allowEmpty: boolean;
  /**
   * Tombstoned Clusters (`drover.dev/delete: "true"`) one apply may delete without their objects
   * counting against the limit above. Past it, a tombstoned Cluster and its objects count as
   * deletions like any stale object, and `overrideThreshold` does not lift that: raising this
   * (`--allow-cluster-deletions N`, drover.yaml `prune.allowClusterDeletions`) is the one way.
   */
  allowClusterDeletions: number;
}

export function defaultApplyOptions(): ApplyOptions {
  return {
    force: true,
    inventoryNamespace: 'drover-system',
    prune: { enabled: true, maxDeletions: 5, maxFraction: 0.1, overrideThreshold: false, allowEmpty: false, allowClusterDeletions: 0 },
    clusterDeletion: 'annotation',
    clusterDeletionTimeoutMs: 60_000,
    pollIntervalMs: 1_000,
    concurrency: 8,
  };
}

/** The most objects one prune may delete: max(maxDeletions, ⌊maxFraction × inventory size⌋). */
export function pruneLimit(options: PruneOptions, inventorySize: number): number {
  return Math.max(options.maxDeletions, Math.floor(options.maxFraction * inventorySize));
}
