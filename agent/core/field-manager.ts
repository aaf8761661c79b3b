import type { KubeObject } from './kube-object.js';

/**
 * Server-side apply field managers of Drover. Each environment applies under a manager of its
 * own, `drover/<env>`, so two environments never share ownership of a field (one cannot remove
 * what the other set). Releases before that applied every environment as `drover`: such
 * objects are migrated on their next apply (see migrateManagedFields), and prune still accepts
 * `drover` as proof that Drover wrote an object.
 */
export const LEGACY_FIELD_MANAGER = 'drover';

export function environmentFieldManager(environment: string): string {
  return `drover/${environment}`;
}

/** One `metadata.managedFields` entry, as the apiserver returns it. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

function entriesOf(obj: KubeObject): ManagedFieldsEntry[] {
  return (obj.metadata.managedFields ?? []) as ManagedFieldsEntry[];
}

/** True when `manager` owns fields of the object through server-side apply (not a subresource). */
export function appliedBy(obj: KubeObject, manager: string): boolean {
  return entriesOf(obj).some((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource);
}

/** True when any of `managers` has written to the object (any operation). */
export function writtenByAny(obj: KubeObject, managers: readonly string[]): boolean {
  return entriesOf(obj).some((e) => e.manager !== undefined && managers.includes(e.manager));
}

/** True when the object still carries the legacy manager's apply entry: its next apply migrates it. */
export function needsMigration(obj: KubeObject, manager: string): boolean {
  return manager !== LEGACY_FIELD_MANAGER && appliedBy(obj, LEGACY_FIELD_MANAGER);
}

/**
 * The manager whose dry-run tells what applying the object as `manager` will do: the legacy
 * manager while the object is owned by it alone (after migration, `manager` owns exactly what
 * the legacy manager did, so fields removed from Git are removed), else `manager`.
 */
export function dryRunManager(live: KubeObject | undefined, manager: string): string {
  if (!live || !needsMigration(live, manager) || appliedBy(live, manager)) return manager;
  return LEGACY_FIELD_MANAGER;
}

/**
 * The managedFields after moving the legacy manager's apply ownership to `to`, the way
 * kubectl moves client-side ownership to server-side apply (client-go csaupgrade): the legacy
 * Apply entry becomes `to`'s (merged into `to`'s entry when both exist for one apiVersion), so
 * no field stays owned by a manager that no longer applies (and could never be removed).
 * Undefined when there is nothing to migrate. Pure.
 */
export function migrateManagedFields(entries: readonly ManagedFieldsEntry[], to: string): ManagedFieldsEntry[] | undefined {
  const isApply = (e: ManagedFieldsEntry, m: string) => e.manager === m && e.operation === 'Apply' && !e.subresource;
  const legacy = entries.find((e) => isApply(e, LEGACY_FIELD_MANAGER));
  if (!legacy) return undefined;
  const own = entries.find((e) => isApply(e, to));
  const merged: ManagedFieldsEntry =
    own && own.apiVersion === legacy.apiVersion && own.fieldsType === 'FieldsV1' && legacy.fieldsType === 'FieldsV1'
      ? { ...own, fieldsV1: unionFields(own.fieldsV1, legacy.fieldsV1) }
      : // Different versions cannot be merged: the legacy set wins, and the next apply as `to`
        // releases whatever of it Git no longer declares (SSA's removal of unowned-now fields).
        { ...legacy, manager: to };
  const out: ManagedFieldsEntry[] = [];
  for (const e of entries) {
    if (e === legacy) out.push(merged);
    else if (e !== own) out.push(e);
  }
  return out;
}

/** The union of two FieldsV1 sets (nested maps whose leaves are `{}`). */
function unionFields(a: unknown, b: unknown): unknown {
  if (!isRecord(a)) return b;
  if (!isRecord(b)) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? unionFields(out[k], v) : v;
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
