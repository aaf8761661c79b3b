import { ApplyError, isDroverError, type DroverError } from '../core/errors.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import { silentLogger, type Logger } from '../core/log.js';
import { formatForeignOwner } from '../core/environment-scope.js';
import { formatRef, refKey } from '../core/object-ref.js';
import { defaultApplyOptions, type ApplyOptions } from './apply-options.js';
import { applyStaged, type WriteItem } from './apply-staged.js';
import { Action, ChangeSet } from './change-set.js';
import { sameAsLive } from './drift.js';
import { combineErrors } from './dry-run.js';
import { fetchEnvironmentState, type EnvironmentInput, type EnvironmentState } from './environment-state.js';
import { inventoryName, sameInventory, toInventoryEntry, withEntries, withoutKeys, withPending, type Inventory, type InventoryEntry } from './inventory.js';
import { storeInventoryCas, type StoredInventory } from './inventory-store.js';
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

  const refused = isolationRefusal(state);
  if (refused) {
    for (const obj of state.desired) {
      const key = refKey(toRef(obj));
      const owner = state.foreignOwners.get(key);
      const why = state.outside.get(key) ?? (owner ? formatForeignOwner(formatRef(toRef(obj)), state.environment, owner.environment, owner.where) : undefined);
      changeSet.add(toRef(obj), Action.Skipped, why ? `not applied: ${why}` : 'not applied: the environment oversteps its scope');
    }
    log.error({ error: refused.message }, 'environment oversteps its scope, nothing written');
    return { changeSet, error: refused };
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
    const migrate = state.migrations.has(key);
    if (live && sameAsLive(result, live) && !migrate) {
      changeSet.add(toRef(obj), Action.Unchanged);
      const entry = toInventoryEntry({ ...live, apiVersion: obj.apiVersion });
      if (entry) owned.push(entry);
    } else {
      writes.push({ object: obj, live, migrate, migrateOnly: migrate && live !== undefined && sameAsLive(result, live) });
    }
  }

  const at = { environment: state.environment, namespace: options.inventoryNamespace };
  const where = `ConfigMap/${at.namespace}/${inventoryName(at.environment)}`;
  // Intent before the first write: every object about to be written is in the inventory,
  // pending, so a crash mid-apply leaves nothing that a later run cannot prune or complete.
  const intent = withPending(state.inventory, [...writes.map((w) => intentEntry(w.object, w.live)), ...state.deferred.map((d) => intentEntry(d, undefined))]);
  let stored: StoredInventory = { inventory: state.inventory, resourceVersion: state.inventoryVersion };
  try {
    if (!sameInventory(intent, state.inventory)) stored = await storeInventoryCas(client, at, stored, intent);
  } catch (e) {
    for (const w of [...writes.map((x) => x.object), ...state.deferred]) changeSet.add(toRef(w), Action.Skipped, 'not applied: the inventory could not record it first');
    return { changeSet, error: inventoryError(where, 'could not record the objects about to be written, nothing was written', e) };
  }

  const staged = await applyStaged(client, writes, state.deferred, { ...options, fieldManager: state.fieldManager });
  changeSet.append(staged.changeSet);
  owned.push(...staged.written);
  let inventory: Inventory = withEntries(stored.inventory, owned);
  try {
    if (!sameInventory(inventory, stored.inventory)) stored = await storeInventoryCas(client, at, stored, inventory);
    inventory = stored.inventory;
  } catch (e) {
    // Never hidden behind the apply error: both are reported, the inventory by name.
    const stored = inventoryError(where, 'not stored after the writes (the objects stay recorded as pending)', e);
    return { changeSet, error: staged.error ? joinErrors(staged.error, stored) : stored };
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
    fieldManager: state.fieldManager,
    foreignOwners: state.foreignOwners,
  });
  const pruned = await pruneObjects(client, plan, options, {
    sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    now: deps.now ?? Date.now,
  });
  changeSet.append(pruned.changeSet);
  inventory = withoutKeys(inventory, pruned.removed);
  try {
    if (!sameInventory(inventory, stored.inventory)) stored = await storeInventoryCas(client, at, stored, inventory);
  } catch (e) {
    const stored = inventoryError(where, 'not stored after the prune (deleted objects are forgotten by the next run)', e);
    return { changeSet, error: pruned.error ? joinErrors(pruned.error, stored) : stored, phase: pruned.error ? 'prune' : 'apply' };
  }
  if (pruned.error) log.error({ error: pruned.error.message }, 'prune failed');
  else log.info({ deleted: changeSet.count(Action.Deleted) }, 'prune completed');
  return pruned.error ? { changeSet, error: pruned.error, phase: 'prune' } : { changeSet };
}

/** The inventory entry recording the intent to write `obj` (the live UID, '' for a create). */
function intentEntry(obj: KubeObject, live: KubeObject | undefined): InventoryEntry {
  const ns = obj.metadata.namespace || undefined;
  return { apiVersion: obj.apiVersion, kind: obj.kind, namespace: ns, name: obj.metadata.name ?? '', uid: live?.metadata.uid ?? '' };
}

/**
 * Refuses an environment that would write where it may not: objects another environment's
 * inventory owns, and objects outside its namespace or cluster-scoped without drover.yaml's
 * allow-list. The plan blocks on the same findings; this holds for callers that apply without one.
 */
function isolationRefusal(state: EnvironmentState): ApplyError | undefined {
  const lines: string[] = [];
  for (const obj of state.desired) {
    const key = refKey(toRef(obj));
    const owner = state.foreignOwners.get(key);
    if (owner) lines.push(formatForeignOwner(formatRef(toRef(obj)), state.environment, owner.environment, owner.where));
    const why = state.outside.get(key);
    if (why) lines.push(why);
  }
  if (!lines.length) return undefined;
  return new ApplyError(`environment ${state.environment} refused, nothing written:\n${lines.map((l) => `  ${l}`).join('\n')}`, { data: { refusals: lines } });
}

function inventoryError(where: string, what: string, cause: unknown): ApplyError {
  return new ApplyError(`${where} inventory ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, retry: 'transient', data: { inventory: where } });
}

/** One error reporting both: the apply's and the inventory's. */
function joinErrors(first: DroverError, second: ApplyError): ApplyError {
  return new ApplyError(`${first.message}\n${second.message}`, { cause: first, retry: first.retry === 'transient' && second.retry === 'transient' ? 'transient' : 'terminal', data: { ...first.data, inventory: second.data.inventory } });
}

function asDroverError(e: unknown): DroverError {
  if (isDroverError(e)) return e;
  return new ApplyError(`apply failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e, retry: 'transient' });
}
