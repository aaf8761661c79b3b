import { ApplyError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import { formatRef } from '../core/object-ref.js';
import type { ApplyOptions } from './apply-options.js';
import { Action, ChangeSet } from './change-set.js';
import { mapConcurrent } from './concurrency.js';
import { combineErrors } from './dry-run.js';
import { toApplyError, type KubeClient } from '../kube/kube-client.js';
import type { PrunePlan, PruneTarget } from './prune-plan.js';
import { stageOf } from './stages.js';

export interface PruneResult {
  readonly changeSet: ChangeSet;
  /** Inventory keys no longer owned: deleted, already gone, or replaced outside Drover. */
  readonly removed: string[];
  readonly error?: ApplyError | undefined;
}

export interface PruneDeps {
  /** Waits between polls; injected so callers control time. */
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/**
 * Carries out a prune plan: refuses everything when the plan has refusals; deletes tombstoned
 * Clusters first (UID precondition, Background propagation) and waits until each is gone;
 * only then deletes the rest, stage by stage in reverse apply order.
 */
export async function pruneObjects(
  client: KubeClient,
  plan: PrunePlan,
  options: Pick<ApplyOptions, 'clusterDeletionTimeoutMs' | 'pollIntervalMs' | 'concurrency'>,
  deps: PruneDeps,
): Promise<PruneResult> {
  const changeSet = new ChangeSet();
  const removed = [...plan.forget];
  for (const s of plan.skipped) changeSet.add(s.entry, Action.Skipped, s.reason);
  if (plan.refusals.length > 0) {
    for (const t of [...plan.clusters, ...plan.objects]) changeSet.add(t.entry, Action.Skipped, 'not deleted: prune refused');
    return { changeSet, removed, error: new ApplyError(`prune refused:\n${plan.refusals.map((r) => `  ${r}`).join('\n')}`, { data: { refusals: plan.refusals } }) };
  }

  const failures = new Map<string, ApplyError>();
  const waiting: string[] = [];
  for (const cluster of plan.clusters) {
    try {
      if (!cluster.live.metadata.deletionTimestamp) {
        const outcome = await client.delete(cluster.entry, { uid: cluster.entry.uid });
        if (outcome === 'gone') {
          removed.push(cluster.key);
          continue;
        }
      }
      if (await waitGone(client, cluster, options, deps)) {
        changeSet.add(cluster.entry, Action.Deleted);
        removed.push(cluster.key);
      } else {
        changeSet.add(cluster.entry, Action.Deleted, 'deletion under way: waiting for Cluster API to remove it');
        waiting.push(formatRef(cluster.entry));
      }
    } catch (e) {
      failures.set(cluster.key, toApplyError(e, formatRef(cluster.entry)));
    }
  }
  if (waiting.length > 0 || failures.size > 0) {
    const reason = waiting.length ? `not deleted yet: waiting for ${waiting.join(', ')} to be gone` : 'not deleted: a Cluster deletion failed';
    for (const t of plan.objects) changeSet.add(t.entry, Action.Skipped, reason);
    return { changeSet, removed, error: combineErrors('prune', failures) };
  }

  // Reverse apply order: the rest, then pools and control planes, then templates, then namespaces.
  const byStage = new Map<number, PruneTarget[]>();
  for (const t of plan.objects) byStage.set(stageOf(t.entry), [...(byStage.get(stageOf(t.entry)) ?? []), t]);
  for (const stage of [...byStage.keys()].sort((a, b) => b - a)) {
    await mapConcurrent(byStage.get(stage)!, options.concurrency, async (t) => {
      try {
        const outcome = await client.delete(t.entry, { uid: t.entry.uid });
        if (outcome === 'deleted') changeSet.add(t.entry, Action.Deleted);
        removed.push(t.key);
      } catch (e) {
        failures.set(t.key, toApplyError(e, formatRef(t.entry)));
      }
    });
  }
  return { changeSet, removed, error: combineErrors('prune', failures) };
}

/** Polls until the object is gone (or replaced by another with the same name); false on timeout. */
async function waitGone(client: KubeClient, t: PruneTarget, options: Pick<ApplyOptions, 'clusterDeletionTimeoutMs' | 'pollIntervalMs'>, deps: PruneDeps): Promise<boolean> {
  const deadline = deps.now() + options.clusterDeletionTimeoutMs;
  for (;;) {
    const obj: KubeObject | undefined = await client.get(t.entry);
    if (!obj || obj.metadata.uid !== t.entry.uid) return true;
    if (deps.now() >= deadline) return false;
    await deps.sleep(Math.min(options.pollIntervalMs, Math.max(0, deadline - deps.now())));
  }
}
