/**
 * Strategic merge patch as kustomize applies it (kyaml's merge2 walker, list additions prepended):
 * maps merge key by key; `null` deletes; `$patch: delete|replace|merge` directives on maps and
 * lists; lists the built-in Kubernetes schema marks "merge" are merged by their merge keys
 * (patched elements first, then the others; elements of multi-key lists re-appended), primitive
 * merge lists are unioned; every other list (all lists of CRDs and unknown kinds) is replaced.
 * An empty `key:` (null with no text) in the patched object disappears, as in kyaml.
 */
import type { SchemaNode } from '../data/openapi-schema.js';
import { BUILTIN_SCHEMA, schemaElements, schemaField, schemaForType, type OpenApiSchema } from '../data/kind-info.js';
import { TransformError } from './transform-error.js';
import { YScalar, isNullish, scalarText, type YMap, type YNode, type YSeq } from '../yaml/yaml-value.js';

/** A null kyaml keeps although it is null (a `key: null` the patch did not touch). */
class KeepNull {
  constructor(readonly node: YScalar) {}
}

type Result = YNode | undefined | KeepNull;
type Kind = 'map' | 'seq' | 'scalar';

function kindOf(v: YNode): Kind {
  return v instanceof Map ? 'map' : Array.isArray(v) ? 'seq' : 'scalar';
}

const KIND_NAMES: Record<Kind, string> = { map: 'a mapping', seq: 'a sequence', scalar: 'a scalar' };

function isEmptyMap(v: YNode | undefined): boolean {
  return v instanceof Map && v.size === 0;
}

function schemaFromSources(api: OpenApiSchema, sources: (YNode | undefined)[]): SchemaNode | undefined {
  for (const s of sources) {
    if (!(s instanceof Map)) continue;
    const kind = scalarText(s.get('kind'));
    const apiVersion = scalarText(s.get('apiVersion'));
    if (!kind || !apiVersion) continue;
    const schema = schemaForType(api, apiVersion, kind);
    if (schema) return schema;
  }
  return undefined;
}

function walk(api: OpenApiSchema, dest: YNode | undefined, origin: YNode | undefined, schema: SchemaNode | undefined, path: string[]): Result {
  const sch = schema ?? schemaFromSources(api, [dest, origin]);
  const first = [dest, origin].find((s) => s !== undefined && !isNullish(s));
  if (first === undefined) return walkMap(api, dest, origin, sch, path);
  const kind = kindOf(first);
  for (const s of [dest, origin]) {
    if (s !== undefined && !isNullish(s) && kindOf(s) !== kind) {
      throw new TransformError(`wrong node kind at ${path.join('.') || '(root)'}: expected ${KIND_NAMES[kind]}, found ${KIND_NAMES[kindOf(s)]}`);
    }
  }
  switch (kind) {
    case 'map':
      return walkMap(api, dest, origin, sch, path);
    case 'seq':
      return sch?.m !== undefined ? walkAssociative(api, dest, origin, sch, path) : origin !== undefined ? origin : dest;
    case 'scalar':
      return origin !== undefined ? origin : dest;
  }
}

type Directive = 'merge' | 'replace' | 'delete';

/** Reads and removes a map's `$patch` directive. */
function mapDirective(origin: YNode | undefined): Directive {
  if (!(origin instanceof Map) || !origin.has('$patch')) return 'merge';
  const v = scalarText(origin.get('$patch'));
  if (v !== 'delete' && v !== 'replace' && v !== 'merge') throw new TransformError(`unknown patch strategy '${v}'`);
  origin.delete('$patch');
  return v;
}

/** Reads and removes a list's `$patch` directive element (`- $patch: replace`). */
function seqDirective(origin: YNode | undefined): Directive {
  if (!Array.isArray(origin)) return 'merge';
  const el = origin.find((e) => e instanceof Map && e.has('$patch'));
  if (!(el instanceof Map) || el.size > 1) return 'merge';
  const v = scalarText(el.get('$patch'));
  if (v !== 'delete' && v !== 'replace' && v !== 'merge') throw new TransformError(`unknown patch strategy '${v}'`);
  setElement(origin, undefined, ['$patch'], [v]);
  return v;
}

function walkMap(api: OpenApiSchema, dest: YNode | undefined, origin: YNode | undefined, schema: SchemaNode | undefined, path: string[]): Result {
  let d: YNode | undefined;
  if (dest === undefined || isNullish(dest)) {
    let ps: Directive | 'unknown' = 'merge';
    if (origin instanceof Map) {
      try {
        ps = mapDirective(origin);
      } catch {
        ps = 'unknown';
      }
    } else if (origin !== undefined) ps = 'unknown';
    if (ps === 'delete') return undefined;
    if (origin === undefined && dest !== undefined && scalarText(dest).length > 0) return new KeepNull(dest as YScalar);
    d = origin;
  } else {
    if (origin !== undefined && isNullish(origin)) return undefined;
    const ps = mapDirective(origin);
    if (ps === 'delete') return undefined;
    d = ps === 'replace' ? origin : dest;
  }
  if (!(d instanceof Map)) return d;
  const o = origin instanceof Map ? origin : undefined;
  const keys = new Set<string>(d.keys());
  if (o && o !== d) for (const k of o.keys()) keys.add(k);
  for (const key of [...keys].sort()) {
    const r = walk(api, d.get(key), o?.get(key), schemaField(api, schema, key), [...path, key]);
    if (r === undefined || (r instanceof YScalar && r.tag === 'null')) d.delete(key);
    else if (r instanceof KeepNull) d.set(key, r.node);
    else d.set(key, r);
  }
  return d;
}

/** kyaml's ElementMatcher: the first element whose key fields have these texts. */
function elementList(src: YNode | undefined, keys: string[], values: string[]): YNode | undefined {
  if (!Array.isArray(src)) return undefined;
  if (keys.length === 0 || keys[0] === '') return src.find((e) => scalarText(e) === values[0]);
  return src.find((e) => e instanceof Map && keys.every((k, i) => e.has(k) && scalarText(e.get(k)) === (values[i] ?? '')));
}

/** kyaml's ElementSetter: replaces (or, with no element, removes) matching elements; appends when none matched. */
function setElement(list: YSeq, element: YNode | undefined, keys: string[], values: string[]): void {
  const ks = keys.length === 0 ? [''] : keys;
  const mappingSetter = ks[0] !== '' && values.length > 0 && values[0] !== '';
  const out: YSeq = [];
  let matched = false;
  for (const el of list) {
    if (isNullish(el) || isEmptyMap(el)) continue;
    if (!(el instanceof Map) && mappingSetter) {
      out.push(el);
      continue;
    }
    let found = true;
    for (let j = 0; j < ks.length && j < values.length; j++) {
      const key = ks[j]!;
      const want = values[j]!;
      let hit: boolean;
      if (key === '') {
        if (el instanceof Map || Array.isArray(el)) throw new TransformError('wrong node kind: expected a scalar list element');
        hit = scalarText(el) === want;
      } else {
        if (!(el instanceof Map)) throw new TransformError('wrong node kind: expected a mapping list element');
        hit = el.has(key) && (want === '' || scalarText(el.get(key)) === want);
      }
      if (!hit) {
        found = false;
        break;
      }
    }
    if (!found) {
      if (values.length > 0) out.push(el);
      continue;
    }
    matched = true;
    if (element !== undefined) out.push(element);
  }
  list.length = 0;
  list.push(...out);
  if (element === undefined || isNullish(element)) return;
  if (!matched) list.push(element);
}

function validateKeys(valuesList: string[][], values: string[], keys: string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) vs.forEach((v, i) => v !== '' && valid.add(keys[i]!));
  if (valid.size === 0) return [keys, values];
  return [keys.filter((k) => valid.has(k)), values.filter((v, i) => v !== '' || valid.has(keys[i]!))];
}

function mergeValues(valuesList: string[][]): string[][] {
  for (let i = 0; i < valuesList.length; i++) {
    for (let j = 0; j < valuesList.length; j++) {
      const m = matchValues(valuesList[i]!, valuesList[j]!);
      if (m) {
        valuesList[i] = m;
        valuesList[j] = m;
      }
    }
  }
  return valuesList;
}

function matchValues(a: string[], b: string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const res: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) {
      common = true;
      res.push(a[i]!);
      continue;
    }
    if (a[i] !== '' && b[i] !== '') return undefined;
    res.push(a[i] !== '' ? a[i]! : b[i]!);
  }
  return common ? res : undefined;
}

function elementValues(sources: (YNode | undefined)[], keys: string[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of sources) {
    if (!Array.isArray(src)) continue;
    for (const el of src) {
      const vals = keys.map((k) => {
        if (!(el instanceof Map)) return '';
        const f = el.get(k);
        return f === undefined || isNullish(f) || isEmptyMap(f) || (Array.isArray(f) && f.length === 0) ? '' : scalarText(f);
      });
      const id = JSON.stringify(vals);
      if (vals.length === 0 || seen.has(id)) continue;
      seen.add(id);
      out.push(vals);
    }
  }
  return out;
}

function primitiveValues(sources: (YNode | undefined)[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of sources) {
    if (!Array.isArray(src)) continue;
    for (const el of src) {
      const v = scalarText(el);
      if (seen.has(v)) continue;
      seen.add(v);
      out.push([v]);
    }
  }
  return out;
}

function appendListNode(dst: YSeq, src: YSeq, keys: string[]): void {
  for (const el of [...src]) {
    if (keys.length === 0 || keys[0] === '') {
      setElement(dst, el, [''], [scalarText(el)]);
      continue;
    }
    const v: string[] = [];
    for (const key of keys) {
      if (!(el instanceof Map)) throw new TransformError('wrong node kind: expected a mapping list element');
      const f = el.get(key);
      if (f === undefined) {
        dst.push(el);
        continue;
      }
      v.push(scalarText(f));
    }
    if (keys.length > 1) setElement(dst, undefined, keys, v);
    setElement(dst, el, keys, v);
  }
}

function walkAssociative(api: OpenApiSchema, dest: YNode | undefined, origin: YNode | undefined, schema: SchemaNode, path: string[]): Result {
  let d: YNode | undefined;
  if (dest === undefined || isNullish(dest)) d = origin;
  else {
    if (origin !== undefined && isNullish(origin)) return undefined;
    const ps = seqDirective(origin);
    if (ps === 'delete') return undefined;
    d = ps === 'replace' ? origin : dest;
  }
  if (!Array.isArray(d)) return d;
  const o = origin;
  let keys = [...(schema.m ?? [])];
  // Patch additions go first: origin's elements are listed before dest's.
  let valuesList = elementValues([o, d], keys);
  if (valuesList.length === 0 && keys.length === 0) {
    keys = [''];
    valuesList = primitiveValues([o, d]);
  }
  return setAssociativeElements(api, valuesList, keys, d, o, schemaElements(api, schema), path);
}

function setAssociativeElements(api: OpenApiSchema, valuesList: string[][], keys: string[], d: YSeq, o: YNode | undefined, elemSchema: SchemaNode | undefined, path: string[]): Result {
  const items: YSeq = [];
  if (keys.length > 1) valuesList = mergeValues(valuesList);
  let validKeys: string[] = keys;
  let validValues: string[] = [];
  for (const values of valuesList) {
    if (values.length === 0) continue;
    [validKeys, validValues] = validateKeys(valuesList, values, keys);
    const [lk, lv] = validateKeys([validValues], validValues, validKeys);
    const r = walk(api, elementList(d, lk, lv), elementList(o, lk, lv), elemSchema, path);
    const val = r instanceof KeepNull ? r.node : r;
    let exit = false;
    for (let i = 0; i < validKeys.length; i++) {
      const key = validKeys[i]!;
      if (val === undefined || isNullish(val) || isEmptyMap(val)) {
        setElement(d, undefined, validKeys, validValues);
        exit = true;
      } else if (key !== '' && val instanceof Map && !val.has(key) && validValues[i] !== '') {
        val.set(key, validValues[i]!);
      }
    }
    if (exit) continue;
    setElement(items, val, validKeys, validValues);
  }
  if (valuesList.length > 0) {
    appendListNode(items, d, validKeys);
    return items;
  }
  return d;
}

/**
 * Merges `patch` into `target` (both whole objects) in place. Returns false when the patch
 * deleted the object (`$patch: delete` at the top). `api` gives the merge keys (kustomize's
 * built-in schema unless the kustomization's `openapi:` replaced it).
 */
export function strategicMerge(target: YMap, patch: YMap, api: OpenApiSchema = BUILTIN_SCHEMA): boolean {
  const r = walk(api, target, patch, undefined, []);
  const out = r instanceof KeepNull ? r.node : r;
  if (!(out instanceof Map) || out.size === 0) {
    target.clear();
    return false;
  }
  if (out !== target) {
    target.clear();
    for (const [k, v] of out) target.set(k, v);
  }
  return true;
}
