import { ApplyError, isDroverError, type DroverError } from '../core/errors.js';
import { toRef } from '../core/kube-object.js';
import { silentLogger, type Logger } from '../core/log.js';
import { refKey } from '../core/object-ref.js';
import { defaultApplyOptions, type ApplyOptions } from './apply-options.js';
import { applyStaged, type WriteItem } from './apply-staged.js';
import { Action, ChangeSet } from './change-set.js';
import { sameAsLive } from './drift.js';
import { combineErrors } from './dry-run.js';
import { fetchEnvironmentState, type EnvironmentInput, type EnvironmentState } from './environment-state.js';
import { sameInventory, toInventoryEntry, withEntries, withoutKeys, type Inventory, type InventoryEntry } from './inventory.js';
import { storeInventory } from './inventory-store.js';
import type { KubeClient } from '../kube/kube-client.js';
import { planPrune } from './prune-plan.js';
import { pruneObjects, type PruneDeps } from './prune.js';

/** What an apply did, partial outcomes included: the change set is always there. */
export interface ApplyResult {
  readonly changeSet: ChangeSet;
  readonly error?: DroverError | undefined;
  /** Which part failed when `error` is set: the writes, or the prune after them. */
  readonly phase?: 'apply' | 'prune' | undefined;
}

export interface ApplyEnvironmentInput extends EnvironmentInput {
  /** From fetchEnvironmentState when the caller planned with it: saves the LISTs and dry-runs. */
  readonly state?: EnvironmentState | undefined;
}

export interface ApplyDeps extends Partial<PruneDeps> {
  log?: Logger;
}

/**
 * Applies one environment: dry-run every object that may change before the first write (the
 * whole apply stops on any failure, naming each object), write only what changes, in stages,
 * record what Drover owns in the inventory (also after a partial failure), then prune.
 */
export async function applyEnvironment(
  client: KubeClient,
  input: ApplyEnvironmentInput,
  options: ApplyOptions = defaultApplyOptions(),
  deps: ApplyDeps = {},
): Promise<ApplyResult> {
  const log = (deps.log ?? silentLogger).child({ stage: 'apply', env: input.environment });
  const changeSet = new ChangeSet();
  let state: EnvironmentState;
  try {
    state = input.state ?? (await fetchEnvironmentState(client, input, options));
  } catch (e) {
    return { changeSet, error: asDroverError(e) };
  }

  const dryRunError = combineErrors('dry-run', state.dryRunErrors);
  if (dryRunError) {
    for (const [key, e] of state.dryRunErrors) {
      const obj = state.desired.find((o) => refKey(toRef(o)) === key);
      if (obj) changeSet.add(toRef(obj), Action.Skipped, `dry-run failed: ${e.message}`);
    }
    log.error({ error: dryRunError.message }, 'dry-run failed, nothing written');
    return { changeSet, error: dryRunError };
  }

  for (const obj of state.desired) {
    const key = refKey(toRef(obj));
    const reason = state.held.get(key);
    if (reason) changeSet.add(toRef(obj), Action.Skipped, reason);
  }
  const writes: WriteItem[] = [];
  const owned: InventoryEntry[] = [];
  for (const [key, obj] of state.toApply) {
    const live = state.live.get(key);
    const result = state.dryRun.get(key);
    if (!result) continue; // deferred: applyStaged dry-runs and writes it
    if (live && sameAsLive(result, live)) {
      changeSet.add(toRef(obj), Action.Unchanged);
      const entry = toInventoryEntry({ ...live, apiVersion: obj.apiVersion });
      if (entry) owned.push(entry);
    } else {
      writes.push({ object: obj, live });
    }
  }

  const staged = await applyStaged(client, writes, state.deferred, options);
  changeSet.append(staged.changeSet);
  owned.push(...staged.written);
  const at = { environment: state.environment, namespace: options.inventoryNamespace };
  let inventory: Inventory = withEntries(state.inventory, owned);
  try {
    if (!sameInventory(inventory, state.inventory)) await storeInventory(client, at, inventory);
  } catch (e) {
    return { changeSet, error: staged.error ?? asDroverError(e) };
  }
  log.info({ changes: changeSet.summary() }, 'server-side apply completed');
  if (staged.error) return { changeSet, error: staged.error };
  if (!options.prune.enabled && state.deleting.size === 0) return { changeSet };

  const plan = planPrune({
    inventory,
    desiredKeys: new Set(state.desired.map((o) => refKey(toRef(o)))),
    live: state.live,
    scope: state.scope,
    options,
  });
  const pruned = await pruneObjects(client, plan, options, {
    sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    now: deps.now ?? Date.now,
  });
  changeSet.append(pruned.changeSet);
  const before = inventory;
  inventory = withoutKeys(inventory, pruned.removed);
  try {
    if (!sameInventory(inventory, before)) await storeInventory(client, at, inventory);
  } catch (e) {
    return { changeSet, error: pruned.error ?? asDroverError(e), phase: pruned.error ? 'prune' : 'apply' };
  }
  if (pruned.error) log.error({ error: pruned.error.message }, 'prune failed');
  else log.info({ deleted: changeSet.count(Action.Deleted) }, 'prune completed');
  return pruned.error ? { changeSet, error: pruned.error, phase: 'prune' } : { changeSet };
}

function asDroverError(e: unknown): DroverError {
  if (isDroverError(e)) return e;
  return new ApplyError(`apply failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e, retry: 'transient' });
}
