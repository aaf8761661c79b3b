/**
 * JSON 6902 patches with the semantics of evanphx/json-patch v4.12 (what kustomize uses): `-`
 * appends, negative indexes count from the end, `~1`/`~0` escapes, `replace` of a missing map key
 * adds it, `copy` of a missing map key copies null, `test` compares structurally.
 */
import type { JsonValue } from '../yaml/json-form.js';
import { setOwn, type JsonObject } from '../yaml/json-form.js';

export class JsonPatchError extends Error {}

export interface JsonPatchOp {
  readonly [key: string]: JsonValue | undefined;
}

type Container = { kind: 'doc'; v: JsonObject } | { kind: 'ary'; v: JsonValue[] };

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: JsonObject, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function decodeKey(k: string): string {
  return k.replace(/~1|~0/g, (m) => (m === '~1' ? '/' : '~'));
}

/** Go's strconv.Atoi. */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

function wrap(v: JsonValue): Container | undefined {
  if (Array.isArray(v)) return { kind: 'ary', v };
  if (isObject(v)) return { kind: 'doc', v };
  return undefined;
}

function get(c: Container, key: string): JsonValue | undefined {
  if (c.kind === 'doc') return own(c.v, key) ? c.v[key] : undefined;
  let idx = atoi(key);
  if (idx === undefined) throw new JsonPatchError(`value was not a proper array index: '${key}'`);
  if (idx < 0) {
    if (idx < -c.v.length) throw new JsonPatchError(`Unable to access invalid index: ${idx}`);
    idx += c.v.length;
  }
  if (idx >= c.v.length) throw new JsonPatchError(`Unable to access invalid index: ${idx}`);
  return c.v[idx];
}

function add(c: Container, key: string, val: JsonValue): void {
  if (c.kind === 'doc') {
    setOwn(c.v, key, val);
    return;
  }
  if (key === '-') {
    c.v.push(val);
    return;
  }
  let idx = atoi(key);
  if (idx === undefined) throw new JsonPatchError(`value was not a proper array index: '${key}'`);
  const sz = c.v.length + 1;
  if (idx >= sz) throw new JsonPatchError(`Unable to access invalid index: ${idx}`);
  if (idx < 0) {
    if (idx < -sz) throw new JsonPatchError(`Unable to access invalid index: ${idx}`);
    idx += sz;
  }
  c.v.splice(idx, 0, val);
}

function remove(c: Container, key: string): void {
  if (c.kind === 'doc') {
    if (!own(c.v, key)) throw new JsonPatchError(`Unable to remove nonexistent key: ${key}`);
    delete c.v[key];
    return;
  }
  let idx = atoi(key);
  if (idx === undefined) throw new JsonPatchError(`value was not a proper array index: '${key}'`);
  if (idx >= c.v.length) throw new JsonPatchError(`Unable to access invalid index: ${idx}`);
  if (idx < 0) {
    if (idx < -c.v.length) throw new JsonPatchError(`Unable to access invalid index: ${idx}`);
    idx += c.v.length;
  }
  c.v.splice(idx, 1);
}

function set(c: Container, key: string, val: JsonValue): void {
  if (c.kind === 'doc') {
    setOwn(c.v, key, val);
    return;
  }
  let idx = atoi(key)!;
  if (idx < 0) idx += c.v.length;
  c.v[idx] = val;
}

function findObject(root: { doc: JsonValue }, path: string): { c: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let cur: Container | undefined = wrap(root.doc);
  for (const part of split.slice(1, -1)) {
    if (!cur) return undefined;
    let next: JsonValue | undefined;
    try {
      next = get(cur, decodeKey(part));
    } catch {
      return undefined;
    }
    if (next === undefined || next === null) return undefined;
    cur = wrap(next);
  }
  if (!cur) return undefined;
  return { c: cur, key: decodeKey(split[split.length - 1]!) };
}

function structurallyEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return a === b;
  if (typeof a === 'bigint' || typeof b === 'bigint') return Number(a) === Number(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => structurallyEqual(x, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => own(b, k) && structurallyEqual(a[k], b[k]));
  }
  return false;
}

function str(op: JsonPatchOp, field: string): string | undefined {
  const v = op[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new JsonPatchError(`json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type string`);
  return v;
}

function clone(v: JsonValue): JsonValue {
  return v === null || typeof v !== 'object' ? v : (JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x))) as JsonValue);
}

/** Applies the operations in order to `doc` (not mutated); returns the patched copy. */
export function applyJsonPatch(doc: JsonValue, ops: readonly JsonPatchOp[]): JsonValue {
  const root = { doc: clone(doc) };
  for (const op of ops) {
    const kind = typeof op.op === 'string' ? op.op : 'unknown';
    const path = str(op, 'path') ?? 'unknown';
    const value = op.value === undefined ? null : clone(op.value);
    switch (kind) {
      case 'add': {
        const t = findObject(root, path);
        if (!t) throw new JsonPatchError(`add operation does not apply: doc is missing path: "${path}"`);
        add(t.c, t.key, value);
        break;
      }
      case 'remove': {
        const t = findObject(root, path);
        if (!t) throw new JsonPatchError(`remove operation does not apply: doc is missing path: "${path}"`);
        remove(t.c, t.key);
        break;
      }
      case 'replace': {
        if (path === '') {
          if (value === null || typeof value !== 'object') throw new JsonPatchError('replace operation value must be object or array');
          root.doc = value;
          break;
        }
        const t = findObject(root, path);
        if (!t) throw new JsonPatchError(`replace operation does not apply: doc is missing path: ${path}`);
        try {
          get(t.c, t.key);
        } catch {
          throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${path}`);
        }
        set(t.c, t.key, value);
        break;
      }
      case 'move':
      case 'copy': {
        const from = str(op, 'from') ?? 'unknown';
        const src = findObject(root, from);
        if (!src) throw new JsonPatchError(`${kind} operation does not apply: doc is missing from path: ${from}`);
        const val = get(src.c, src.key);
        if (kind === 'move') remove(src.c, src.key);
        const dst = findObject(root, path);
        if (!dst) throw new JsonPatchError(`${kind} operation does not apply: doc is missing destination path: ${path}`);
        add(dst.c, dst.key, kind === 'copy' ? clone(val ?? null) : (val ?? null));
        break;
      }
      case 'test': {
        if (path === '') {
          if (!structurallyEqual(root.doc, value)) throw new JsonPatchError(`testing value ${path} failed`);
          break;
        }
        const t = findObject(root, path);
        if (!t) throw new JsonPatchError(`test operation does not apply: is missing path: ${path}`);
        const val = get(t.c, t.key);
        // json-patch reads JSON nulls as absent values on both sides.
        const failed = val === undefined || val === null ? op.value !== undefined && op.value !== null : op.value === undefined || !structurallyEqual(val, value);
        if (failed) throw new JsonPatchError(`testing value ${path} failed`);
        break;
      }
      default:
        throw new JsonPatchError(`Unexpected kind: ${kind}`);
    }
  }
  return root.doc;
}
