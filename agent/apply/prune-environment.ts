import { CapiAnnotation, isCluster } from '../core/capi-rules.js';
import { ApplyError } from '../core/errors.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { formatRef, refKey } from '../core/object-ref.js';
import type { KubeClient } from '../kube/kube-client.js';
import { fieldManagerOf, type ApplyOptions } from './apply-options.js';
import type { ApplyResult } from './apply-environment.js';
import { ChangeSet } from './change-set.js';
import { computeClusterScope, type ClusterAttribution } from './cluster-scope.js';
import { inventoryName, withoutKeys } from './inventory.js';
import { fetchOtherInventories, fetchStoredInventory, storeInventoryCas } from './inventory-store.js';
import { fetchLiveState } from './live-state.js';
import { findForeignOwners } from './ownership.js';
import { planPrune } from './prune-plan.js';
import { pruneObjects, type PruneDeps } from './prune.js';

export interface PruneEnvironmentInput {
  readonly environment: string;
  /** Attributes the live objects to their Clusters (the fleet stage's attributeObjects). */
  readonly attribute: (objects: readonly KubeObject[]) => ClusterAttribution;
  /**
   * Delete the Clusters the environment owns too (first, each waited for, as a tombstone in Git
   * would). Without it, a live Cluster in the inventory refuses the whole prune: deleting a
   * Cluster deletes its machines, and that needs its own explicit yes.
   */
  readonly allowClusterDeletion: boolean;
}

export interface PruneEnvironmentResult extends ApplyResult {
  /** Inventory entries left (0: everything the environment owned is gone, its inventory removed). */
  readonly remaining: number;
}

/**
 * Prunes everything an environment owns, as if Git declared nothing for it: the path a Fleet
 * deleted with `spec.prune.onDelete: Delete` takes. It is the normal prune (planPrune and
 * pruneObjects): only inventory objects, each with its UID as precondition, nothing another
 * environment's inventory owns, held (paused, moving) clusters left alone, Clusters first and
 * waited for. The thresholds do not apply (deleting the Fleet is the intent), the Cluster rule
 * does (see `allowClusterDeletion`). Once the inventory is empty its ConfigMap is deleted.
 */
export async function pruneEnvironment(
  client: KubeClient,
  input: PruneEnvironmentInput,
  options: ApplyOptions,
  deps: PruneDeps,
): Promise<PruneEnvironmentResult> {
  const at = { environment: input.environment, namespace: options.inventoryNamespace };
  const where = `ConfigMap/${at.namespace}/${inventoryName(at.environment)}`;
  const [stored, others] = await Promise.all([fetchStoredInventory(client, at), fetchOtherInventories(client, at)]);
  const { inventory } = stored;
  if (inventory.size === 0) {
    await deleteInventory(client, at.namespace, inventoryName(at.environment));
    return { changeSet: new ChangeSet(), remaining: 0 };
  }
  const { objects: live } = await fetchLiveState(client, inventory.values(), options.concurrency);
  const foreignOwners = findForeignOwners(inventory.keys(), live, others);
  const clusters = [...live.entries()].filter(([k, o]) => inventory.has(k) && isCluster(o) && !foreignOwners.has(k)).map(([, o]) => o);
  if (clusters.length > 0 && !input.allowClusterDeletion) {
    const names = clusters.map((c) => formatRef(toRef(c))).sort();
    const error = new ApplyError(
      `environment ${input.environment} owns ${names.length} Cluster${names.length === 1 ? '' : 's'} (${names.join(', ')}): nothing deleted; allow deleting them too (spec.prune.allowClusterDeletion: true) or leave everything (onDelete: Orphan)`,
      { retry: 'terminal', data: { clusters: names } },
    );
    return { changeSet: new ChangeSet(), error, phase: 'prune', remaining: inventory.size };
  }
  // Every owned Cluster goes as a tombstone in Git would have it go: first, then its objects.
  const tombstones = clusters.map((c) => ({ ...c, metadata: { ...c.metadata, annotations: { ...c.metadata.annotations, [CapiAnnotation.Delete]: 'true' } } }));
  const scope = computeClusterScope(tombstones, live, input.attribute([...live.values()]));
  const plan = planPrune({
    inventory,
    desiredKeys: new Set(tombstones.map((c) => refKey(toRef(c)))),
    live,
    scope,
    options: { clusterDeletion: 'annotation', prune: { ...options.prune, enabled: true, allowEmpty: true, overrideThreshold: true, allowClusterDeletions: clusters.length } },
    fieldManager: fieldManagerOf(options, input.environment),
    foreignOwners,
  });
  const pruned = await pruneObjects(client, plan, options, deps);
  const left = withoutKeys(inventory, pruned.removed);
  try {
    if (left.size === 0) await deleteInventory(client, at.namespace, inventoryName(at.environment));
    else if (left.size !== inventory.size) await storeInventoryCas(client, at, stored, left);
  } catch (e) {
    const error = new ApplyError(`${where} inventory not stored after the prune: ${(e as Error).message}`, { cause: e, retry: 'transient' });
    return { changeSet: pruned.changeSet, error: pruned.error ?? error, phase: 'prune', remaining: left.size };
  }
  return { changeSet: pruned.changeSet, error: pruned.error, phase: pruned.error ? 'prune' : undefined, remaining: left.size };
}

async function deleteInventory(client: KubeClient, namespace: string, name: string): Promise<void> {
  const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace, name };
  const cm = await client.get(ref);
  if (cm?.metadata.uid) await client.delete(ref, { uid: cm.metadata.uid });
}
