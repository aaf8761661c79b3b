import type { KubeObject } from '../core/kube-object.js';

/**
 * Pure checks that let a reconcile skip work. `isUnchangedBySsa` answers, from the live object
 * alone, "would a server-side apply of `desired` by this field manager leave `live` exactly as it
 * is?" It is conservative: false means "maybe", and the object then gets a dry-run; true only when
 * every field of `desired` is in the manager's managed set with the live value, and the manager
 * owns nothing `desired` lacks (else SSA would remove it or change managedFields).
 */
export function isUnchangedBySsa(desired: KubeObject, live: KubeObject, fieldManager: string): boolean {
  if (live.metadata.deletionTimestamp) return false;
  const content = ownedContent(desired);
  // Nothing to own (a bare Namespace): the server keeps no managedFields entry for an empty
  // field set, and applying it changes nothing on an existing object.
  if (Object.keys(content).length === 0) return true;
  const entry = (live.metadata.managedFields ?? []).find((m) => {
    const f = m as ManagedFieldsEntry;
    return f.manager === fieldManager && f.operation === 'Apply' && !f.subresource;
  }) as ManagedFieldsEntry | undefined;
  if (!entry || entry.apiVersion !== desired.apiVersion || entry.fieldsType !== 'FieldsV1' || !isRecord(entry.fieldsV1)) return false;
  return matchesMap(content, entry.fieldsV1, live as unknown as Record<string, unknown>, true);
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

/** What SSA records ownership for: everything but type and identity. */
function ownedContent(obj: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  const { name: _n, namespace: _ns, ...meta } = metadata;
  return Object.keys(meta).length ? { metadata: meta, ...rest } : rest;
}

const IDENTITY_FIELDS = new Set(['f:apiVersion', 'f:kind']);
const IDENTITY_META_FIELDS = new Set(['f:name', 'f:namespace']);

function matchesMap(desired: Record<string, unknown>, owned: Record<string, unknown>, live: unknown, top = false, meta = false): boolean {
  if (!isRecord(live)) return false;
  const ownedKeys = Object.keys(owned).filter((k) => k !== '.' && !(top && IDENTITY_FIELDS.has(k)) && !(meta && IDENTITY_META_FIELDS.has(k)));
  const desiredKeys = Object.keys(desired);
  // A map owned as a whole (atomic map, or an empty map): the live value must be exactly it,
  // unless it is an empty map, which any live map satisfies (defaults fill it).
  if (ownedKeys.length === 0) return desiredKeys.length === 0 || deepEqual(desired, live);
  if (ownedKeys.length !== desiredKeys.length) return false;
  for (const k of desiredKeys) {
    const child = owned[`f:${k}`];
    if (!isRecord(child)) return false;
    if (!matchesValue(desired[k], child, live[k], top && k === 'metadata')) return false;
  }
  return true;
}

function matchesValue(desired: unknown, owned: Record<string, unknown>, live: unknown, meta = false): boolean {
  if (desired === null || desired === undefined) return false;
  if (Array.isArray(desired)) return matchesList(desired, owned, live);
  if (isRecord(desired)) return matchesMap(desired, owned, live, false, meta);
  return deepEqual(desired, live);
}

function matchesList(desired: unknown[], owned: Record<string, unknown>, live: unknown): boolean {
  if (!Array.isArray(live)) return false;
  const keys = Object.keys(owned).filter((k) => k !== '.');
  if (keys.length === 0) return sameLengthSubset(desired, live);
  if (keys.length !== desired.length) return false;
  if (keys.every((k) => k.startsWith('v:'))) {
    const set = new Set(keys);
    return desired.every((item) => set.has(`v:${JSON.stringify(item)}`) && live.some((l) => deepEqual(l, item)));
  }
  if (!keys.every((k) => k.startsWith('k:'))) return false;
  const parsed = keys.map((k) => ({ key: JSON.parse(k.slice(2)) as Record<string, unknown>, node: owned[k] }));
  for (const item of desired) {
    if (!isRecord(item)) return false;
    const hit = parsed.find((p) => Object.entries(p.key).every(([f, v]) => deepEqual(item[f], v)));
    if (!hit || !isRecord(hit.node)) return false;
    const liveItem = live.find((l) => isRecord(l) && Object.entries(hit.key).every(([f, v]) => deepEqual(l[f], v)));
    if (!matchesMap(item, hit.node, liveItem)) return false;
  }
  return true;
}

/** An atomic list: same length and each desired item contained in the live one (defaults may add fields). */
function sameLengthSubset(desired: unknown[], live: unknown[]): boolean {
  return desired.length === live.length && desired.every((d, i) => isSubset(d, live[i]));
}

function isSubset(desired: unknown, live: unknown): boolean {
  if (isRecord(desired)) return isRecord(live) && Object.entries(desired).every(([k, v]) => isSubset(v, live[k]));
  if (Array.isArray(desired)) return Array.isArray(live) && sameLengthSubset(desired, live);
  return deepEqual(desired, live);
}

/** Top-level and metadata fields the server owns; they never count as a change. */
const SERVER_META = new Set(['resourceVersion', 'generation', 'managedFields']);

/**
 * True when a server-side apply result (dry-run) equals the live object apart from what the
 * server maintains: resourceVersion, generation, managedFields and status.
 */
export function sameAsLive(result: KubeObject, live: KubeObject): boolean {
  const keys = new Set([...Object.keys(result), ...Object.keys(live)]);
  for (const k of keys) {
    if (k === 'status') continue;
    if (k === 'metadata') {
      const a = result.metadata as Record<string, unknown>;
      const b = live.metadata as Record<string, unknown>;
      for (const m of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (!SERVER_META.has(m) && !deepEqual(a[m], b[m])) return false;
      }
      continue;
    }
    if (!deepEqual(result[k], live[k])) return false;
  }
  return true;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
