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
  // One path array, pushed and popped as the walk goes; copied only for a diff it records.
  const path: Array<string | number> = [];
  for (const key of unionKeys(live, after)) {
    if (key === 'status' || key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      const a = live.metadata as Record<string, unknown>;
      const b = after.metadata as Record<string, unknown>;
      path.push('metadata');
      for (const m of unionKeys(a, b)) {
        if (SERVER_METADATA.has(m)) continue;
        path.push(m);
        diffValue(path, a[m], b[m], out);
        path.pop();
      }
      path.pop();
      continue;
    }
    path.push(key);
    diffValue(path, live[key], after[key], out);
    path.pop();
  }
  return out;
}

function diffValue(path: Array<string | number>, a: unknown, b: unknown, out: FieldDiff[]): void {
  if (a === b) return;
  if (isRecord(a) && isRecord(b)) {
    for (const k of unionKeys(a, b)) {
      path.push(k);
      diffValue(path, a[k], b[k], out);
      path.pop();
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      path.push(i);
      diffValue(path, a[i], b[i], out);
      path.pop();
    }
    return;
  }
  if (!sameJson(a, b)) out.push({ path: [...path], from: a, to: b });
}

function unionKeys(a: object, b: object): string[] {
  const keys = Object.keys(a);
  for (const k of Object.keys(b)) if (!(k in a)) keys.push(k);
  return keys;
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
