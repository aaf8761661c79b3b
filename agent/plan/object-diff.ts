import type { KubeObject } from '../core/kube-object.js';

export type FieldPath = ReadonlyArray<string | number>;

/** One changed field: `from` is the live value, `to` what apply would store (undefined = absent). */
export interface FieldDiff {
  readonly path: FieldPath;
  readonly from: unknown;
  readonly to: unknown;
}

/** Metadata the server maintains; never a change of ours. */
const SERVER_METADATA = new Set(['resourceVersion', 'generation', 'managedFields', 'uid', 'creationTimestamp', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']);

/**
 * The fields that differ between a live object and what apply would make of it, leaves only.
 * `status` and server-maintained metadata are ignored. Lists of equal length are compared item by
 * item; a list that grows or shrinks is one change of the whole list.
 */
export function diffObjects(live: KubeObject, after: KubeObject): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const key of unionKeys(live, after)) {
    if (key === 'status' || key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      const a = live.metadata as Record<string, unknown>;
      const b = after.metadata as Record<string, unknown>;
      for (const m of unionKeys(a, b)) if (!SERVER_METADATA.has(m)) diffValue(['metadata', m], a[m], b[m], out);
      continue;
    }
    diffValue([key], live[key], after[key], out);
  }
  return out;
}

function diffValue(path: Array<string | number>, a: unknown, b: unknown, out: FieldDiff[]): void {
  if (isRecord(a) && isRecord(b)) {
    for (const k of unionKeys(a, b)) diffValue([...path, k], a[k], b[k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => diffValue([...path, i], item, b[i], out));
    return;
  }
  if (!sameJson(a, b)) out.push({ path, from: a, to: b });
}

function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameJson(a[k], b[k]));
  }
  return false;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a path, or undefined. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let cur = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** True when `path` starts with `prefix`. */
export function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}
