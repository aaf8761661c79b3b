import { defaultApplyOptions, type ApplyOptions } from '../apply/apply-options.js';
import { pruneEnvironment, type PruneEnvironmentResult } from '../apply/prune-environment.js';
import type { Logger } from '../core/log.js';
import { attributeObjects } from '../fleet/attribute-objects.js';
import type { KubeClient } from '../kube/kube-client.js';

export interface PruneOnDeleteInput {
  /** The environments the deleted Fleet applied (its status, the agent's state). */
  readonly environments: readonly string[];
  readonly inventoryNamespace: string;
  /** Delete owned Clusters too (Fleet `spec.prune.allowClusterDeletion`). */
  readonly allowClusterDeletion: boolean;
}

export interface PruneOnDeleteOutcome {
  /** Every environment's inventory is empty and removed: the Fleet may go. */
  readonly done: boolean;
  readonly results: ReadonlyMap<string, PruneEnvironmentResult>;
  /** One line per environment not done yet, saying why. */
  readonly message: string;
}

/**
 * What deleting a Fleet with `spec.prune.onDelete: Delete` does: each of its environments is
 * pruned of everything its inventory owns, through the normal prune path (pruneEnvironment).
 * A Cluster is deleted only with `allowClusterDeletion`; without it the environment refuses
 * and says which Clusters hold it. Returns values; the agent decides when to call it again.
 */
export async function pruneOnDelete(client: KubeClient, input: PruneOnDeleteInput, log: Logger, options: Partial<ApplyOptions> = {}): Promise<PruneOnDeleteOutcome> {
  const results = new Map<string, PruneEnvironmentResult>();
  const lines: string[] = [];
  const applyOptions: ApplyOptions = { ...defaultApplyOptions(), ...options, inventoryNamespace: input.inventoryNamespace };
  for (const environment of input.environments) {
    let result: PruneEnvironmentResult;
    try {
      result = await pruneEnvironment(
        client,
        { environment, attribute: (objects) => attributeObjects(objects), allowClusterDeletion: input.allowClusterDeletion },
        applyOptions,
        { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: Date.now },
      );
    } catch (e) {
      lines.push(`${environment}: ${(e as Error).message}`);
      continue;
    }
    results.set(environment, result);
    log.info({ env: environment, deleted: result.changeSet.summary().deleted ?? 0, remaining: result.remaining }, 'pruned on fleet deletion');
    if (result.error) lines.push(`${environment}: ${result.error.message}`);
    else if (result.remaining > 0) lines.push(`${environment}: ${result.remaining} objects left to prune`);
  }
  return { done: lines.length === 0, results, message: lines.join('\n') };
}
