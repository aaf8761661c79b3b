import type { ApplyError } from '../core/errors.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { refKey } from '../core/object-ref.js';
import { Action, ChangeSet } from './change-set.js';
import { mapConcurrent } from './concurrency.js';
import { combineErrors, dryRunAll } from './dry-run.js';
import type { TransientRetry } from './retry-transient.js';
import { sameAsLive } from './drift.js';
import { toInventoryEntry, type InventoryEntry } from './inventory.js';
import { toApplyError, type KubeClient } from '../kube/kube-client.js';
import { statusCodeOf } from '../kube/kube-error.js';
import { migrateFieldManager } from './migrate-field-manager.js';
import { ApplyStage, groupByStage, stageNames, stageOf } from './stages.js';

/** One object apply will write: it changes (its dry-run differs from live) or does not exist yet. */
export interface WriteItem {
  readonly object: KubeObject;
  readonly live?: KubeObject | undefined;
  /** The live object still carries the legacy manager `drover`: move its ownership first (migrate-field-manager.ts). */
  readonly migrate?: boolean | undefined;
  /** Only the migration: the object itself does not change, so it is not applied. */
  readonly migrateOnly?: boolean | undefined;
}

export interface StagedOptions {
  force: boolean;
  concurrency: number;
  /** The environment's field manager; default the client's. */
  fieldManager?: string | undefined;
  transientRetry?: TransientRetry | undefined;
}

export interface StagedResult {
  readonly changeSet: ChangeSet;
  /** Inventory entries (with the UIDs the server gave) of every object written. */
  readonly written: InventoryEntry[];
  readonly error?: ApplyError | undefined;
}

/**
 * Writes in stages (namespaces and CRDs → ClusterClasses and templates → Clusters, control
 * planes and pools → the rest). Within a stage every write is attempted; after a stage with a
 * failure nothing more is written and the later objects are reported as skipped. `deferred`
 * objects (their namespace or CRD is created here) are dry-run once the first stage is written,
 * before any other write; a failure there stops the apply too.
 */
export async function applyStaged(client: KubeClient, items: readonly WriteItem[], deferred: readonly KubeObject[], options: StagedOptions): Promise<StagedResult> {
  const changeSet = new ChangeSet();
  const written: InventoryEntry[] = [];
  const stages = groupByStage(items.map((i) => ({ ...i, apiVersion: i.object.apiVersion, kind: i.object.kind })));
  let error: ApplyError | undefined;
  const skipFrom = (first: number, reason: string): void => {
    for (let s = first; s < stages.length; s++) for (const item of stages[s]!) changeSet.add(toRef(item.object), Action.Skipped, reason);
  };
  for (let stage = 0; stage < stages.length; stage++) {
    if (stage === ApplyStage.ClassesAndTemplates && deferred.length > 0) {
      const check = await dryRunAll(client, deferred, { force: options.force, concurrency: options.concurrency, discardResults: true, fieldManager: options.fieldManager, retry: options.transientRetry });
      error = combineErrors('dry-run', check.errors);
      if (error) {
        for (const d of deferred) changeSet.add(toRef(d), Action.Skipped, 'not applied: dry-run failed');
        skipFrom(stage, 'not applied: dry-run failed');
        break;
      }
      // They do not exist yet, so each one is a create.
      for (const obj of deferred) stages[stageOf(obj)]!.push({ object: obj, apiVersion: obj.apiVersion, kind: obj.kind });
    }
    const failures = new Map<string, ApplyError>();
    const outcomes = await mapConcurrent(stages[stage]!, options.concurrency, async (item) => {
      const key = refKey(toRef(item.object));
      try {
        const manager = options.fieldManager ?? client.fieldManager;
        const migrated = item.migrate && item.live ? await migrateFieldManager(client, item.live, manager) : undefined;
        if (item.migrateOnly && migrated) {
          const entry = toInventoryEntry(migrated);
          if (entry) written.push(entry);
          return { item, action: Action.Unchanged };
        }
        const stored = await client.apply(item.object, { dryRun: false, force: options.force, fieldManager: manager });
        const entry = toInventoryEntry(stored);
        if (entry) written.push(entry);
        if (item.live && sameAsLive(stored, item.live)) return { item, action: Action.Unchanged };
        return { item, action: item.live ? Action.Configured : Action.Created };
      } catch (e) {
        failures.set(key, toApplyError(e, formatWhere(item.object)));
        return undefined;
      }
    });
    for (const o of outcomes) if (o) changeSet.add(toRef(o.item.object), o.action);
    const name = stageNames[stage as ApplyStage];
    error = combineErrors(`apply (${name})`, failures);
    if (error) {
      for (const key of failures.keys()) {
        const item = stages[stage]!.find((i) => refKey(toRef(i.object)) === key);
        const failure = failures.get(key)!;
        if (!item) continue;
        // No answer: the write may have landed. Say so instead of "failed".
        if (outcomeUnknown(failure)) changeSet.add(toRef(item.object), Action.Unknown, `no answer, the write may have landed (the next run's plan tells): ${failure.message}`);
        else changeSet.add(toRef(item.object), Action.Skipped, `failed: ${failure.message}`);
      }
      skipFrom(stage + 1, `not applied: stage "${name}" failed`);
      break;
    }
  }
  return { changeSet, written, error };
}

function formatWhere(obj: KubeObject): string {
  return `${obj.kind}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
}

/** True when a write got no definite answer: no HTTP status at all, or a gateway/server timeout. */
export function outcomeUnknown(e: ApplyError): boolean {
  const code = statusCodeOf(e);
  return code === undefined || code === 504;
}
