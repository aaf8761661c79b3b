import { ApplyError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import { refKey, type ObjectRef } from '../core/object-ref.js';

/**
 * What Drover applied in one environment, so prune deletes only its own objects and a restarted
 * agent knows them. Stored in the management cluster as the ConfigMap
 * `drover-system/drover-inventory-<env>` (a ConfigMap, not a Secret: it holds names and UIDs,
 * nothing secret, and reading Secrets needs wider RBAC). Its `inventory.json` is
 *
 *   {"version":1,"objects":{"<apiVersion> <Kind> <namespace>":{"<name>":"<uid>", …}, …}}
 *
 * grouped by kind and namespace to stay small (about 55 bytes per object: a 1000-cluster,
 * 7000-object environment takes ~390 KB of the 1 MiB a ConfigMap may hold). In memory, entries
 * are keyed by group, kind, namespace and name (core's `refKey`), so an object keeps its entry
 * across API versions of its group.
 */
export interface InventoryEntry extends ObjectRef {
  /** The UID Drover saw after writing; for a pending entry, the live UID before the write ('' for a create). */
  readonly uid: string;
  /**
   * Intent: recorded before the write of a stage, so a crash between the write and the
   * inventory store leaves no orphan. A pending object is pruned only when its live copy shows
   * Drover's field manager (Drover did write it); otherwise it is forgotten. Stored as the
   * UID `pending:<uid>` (an older reader sees a different UID and leaves the object alone).
   */
  readonly pending?: boolean | undefined;
}

export type Inventory = ReadonlyMap<string, InventoryEntry>;

export const INVENTORY_FORMAT_VERSION = 1;
export const INVENTORY_DATA_KEY = 'inventory.json';
const PENDING_PREFIX = 'pending:';
/** A ConfigMap holds at most 1 MiB; stay clear of it. */
export const INVENTORY_MAX_BYTES = 900 * 1024;

export function inventoryName(environment: string): string {
  return `drover-inventory-${environment}`;
}

/** Group, kind, namespace and name: the same object under any API version of its group. */
export function inventoryKey(ref: ObjectRef): string {
  return refKey(ref);
}

export function emptyInventory(): Inventory {
  return new Map();
}

export function toInventoryEntry(obj: KubeObject): InventoryEntry | undefined {
  const uid = obj.metadata.uid;
  if (!uid) return undefined;
  const ns = obj.metadata.namespace || undefined;
  return { apiVersion: obj.apiVersion, kind: obj.kind, namespace: ns, name: obj.metadata.name ?? '', uid };
}

/** Inventory plus these entries (newer apiVersion and UID win for the same key). */
export function withEntries(inventory: Inventory, entries: Iterable<InventoryEntry>): Inventory {
  const out = new Map(inventory);
  for (const e of entries) out.set(inventoryKey(e), e);
  return out;
}

/**
 * Records intent before writing. `entries` carry the live UID of each object about to be
 * written ('' when it will be created). Each becomes pending unless Drover owns that very
 * object already (same UID); a create over a stale entry, or a write to an object someone
 * recreated, is pending too, so a crash after the write still leaves it prunable.
 */
export function withPending(inventory: Inventory, entries: Iterable<InventoryEntry>): Inventory {
  const out = new Map(inventory);
  for (const e of entries) {
    const key = inventoryKey(e);
    const had = out.get(key);
    // Owned already, and the write goes to that very object: nothing to record.
    if (had && !had.pending && e.uid !== '' && had.uid === e.uid) continue;
    out.set(key, { apiVersion: e.apiVersion, kind: e.kind, namespace: e.namespace, name: e.name, uid: e.uid, pending: true });
  }
  return out;
}

/** Pending entries whose write never happened (not in `written`), for a report. */
export function pendingEntries(inventory: Inventory): InventoryEntry[] {
  return [...inventory.values()].filter((e) => e.pending);
}

/** Inventory minus these keys. */
export function withoutKeys(inventory: Inventory, keys: Iterable<string>): Inventory {
  const out = new Map(inventory);
  for (const k of keys) out.delete(k);
  return out;
}

/** Entries not in the desired set: the candidates for prune. */
export function staleEntries(inventory: Inventory, desiredKeys: ReadonlySet<string>): InventoryEntry[] {
  return [...inventory.entries()].filter(([k]) => !desiredKeys.has(k)).map(([, e]) => e);
}

/** Deterministic JSON (sorted groups and names), so an unchanged inventory serializes to the same bytes. */
export function serializeInventory(inventory: Inventory): string {
  const groups = new Map<string, Map<string, string>>();
  for (const e of inventory.values()) {
    const g = `${e.apiVersion} ${e.kind} ${e.namespace ?? ''}`;
    let names = groups.get(g);
    if (!names) groups.set(g, (names = new Map()));
    names.set(e.name, e.pending ? `${PENDING_PREFIX}${e.uid}` : e.uid);
  }
  const objects: Record<string, Record<string, string>> = {};
  for (const g of [...groups.keys()].sort()) {
    const names = groups.get(g)!;
    const row: Record<string, string> = {};
    for (const n of [...names.keys()].sort()) row[n] = names.get(n)!;
    objects[g] = row;
  }
  return JSON.stringify({ version: INVENTORY_FORMAT_VERSION, objects });
}

/** Reads `inventory.json`; `where` names the ConfigMap in errors. */
export function parseInventory(text: string, where: string): Inventory {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ApplyError(`${where} inventory is not JSON: ${(e as Error).message}`);
  }
  const d = doc as { version?: unknown; objects?: unknown };
  if (d?.version !== INVENTORY_FORMAT_VERSION || typeof d.objects !== 'object' || d.objects === null) {
    throw new ApplyError(`${where} inventory: expected {"version":${INVENTORY_FORMAT_VERSION},"objects":{…}}`);
  }
  const out = new Map<string, InventoryEntry>();
  for (const [g, names] of Object.entries(d.objects as Record<string, unknown>)) {
    const parts = g.split(' ');
    if (parts.length !== 3 || !parts[0] || !parts[1] || typeof names !== 'object' || names === null) {
      throw new ApplyError(`${where} inventory: bad group "${g}": expected "<apiVersion> <Kind> <namespace>"`);
    }
    const [apiVersion, kind, ns] = parts as [string, string, string];
    for (const [name, uid] of Object.entries(names as Record<string, unknown>)) {
      if (typeof uid !== 'string') throw new ApplyError(`${where} inventory: ${g} ${name}: uid must be a string`);
      const pending = uid.startsWith(PENDING_PREFIX);
      const e: InventoryEntry = pending
        ? { apiVersion, kind, namespace: ns || undefined, name, uid: uid.slice(PENDING_PREFIX.length), pending: true }
        : { apiVersion, kind, namespace: ns || undefined, name, uid };
      out.set(inventoryKey(e), e);
    }
  }
  return out;
}

/** True when both hold the same objects with the same UIDs and versions. */
export function sameInventory(a: Inventory, b: Inventory): boolean {
  if (a.size !== b.size) return false;
  for (const [k, e] of a) {
    const o = b.get(k);
    if (!o || o.uid !== e.uid || o.apiVersion !== e.apiVersion || Boolean(o.pending) !== Boolean(e.pending)) return false;
  }
  return true;
}

/**
 * Three-way merge after a write conflict: `theirs` (what another writer stored meanwhile) plus
 * what we changed relative to `base` (what we read): our added or changed entries win, and
 * entries we dropped (pruned, forgotten) are dropped. Everything the other writer added stays.
 */
export function mergeInventories(base: Inventory, ours: Inventory, theirs: Inventory): Inventory {
  const out = new Map(theirs);
  for (const [k, e] of ours) {
    const b = base.get(k);
    if (!b || b.uid !== e.uid || Boolean(b.pending) !== Boolean(e.pending) || b.apiVersion !== e.apiVersion) out.set(k, e);
  }
  for (const k of base.keys()) if (!ours.has(k)) out.delete(k);
  return out;
}
