/**
 * The renderer's in-memory form of a YAML document, close to what kustomize's kyaml keeps: strings
 * are plain JS strings (tag !!str); every other scalar keeps its resolved tag AND its source text,
 * because kustomize reads scalars as text in places (annotation values, names, merge keys) and only
 * converts to typed JSON when it prints. Mappings are Maps (any key is safe, insertion ordered).
 */
export type ScalarTag = 'null' | 'bool' | 'int' | 'float' | 'timestamp';

export class YScalar {
  constructor(
    readonly tag: ScalarTag,
    /** The scalar's text as written (after YAML unescaping), e.g. "0x1F" for an int. */
    readonly raw: string,
  ) {}
}

export type YMap = Map<string, YNode>;
export type YSeq = YNode[];
export type YNode = string | YScalar | YMap | YSeq;

export const NULL = new YScalar('null', 'null');

export function isMap(v: YNode | undefined): v is YMap {
  return v instanceof Map;
}

export function isSeq(v: YNode | undefined): v is YSeq {
  return Array.isArray(v);
}

export function isScalar(v: YNode | undefined): v is string | YScalar {
  return typeof v === 'string' || v instanceof YScalar;
}

/** kyaml's IsMissingOrNull: absent, or a scalar tagged !!null. */
export function isNullish(v: YNode | undefined): boolean {
  return v === undefined || (v instanceof YScalar && v.tag === 'null');
}

/** The text kyaml sees in a node's Value: the scalar's text, "" for mappings and sequences. */
export function scalarText(v: YNode | undefined): string {
  if (typeof v === 'string') return v;
  if (v instanceof YScalar) return v.raw;
  return '';
}

/** A deep copy; scalars are immutable and shared. */
export function cloneNode<T extends YNode>(v: T): T {
  const n: YNode = v;
  if (n instanceof Map) {
    const out: YMap = new Map();
    for (const [k, x] of n) out.set(k, cloneNode(x));
    return out as T;
  }
  if (Array.isArray(n)) return n.map(cloneNode) as T;
  return v;
}

/** Structural equality as kyaml compares node trees (scalars by tag class and text). */
export function nodesEqual(a: YNode | undefined, b: YNode | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a instanceof YScalar || b instanceof YScalar) {
    return a instanceof YScalar && b instanceof YScalar && a.tag === b.tag && a.raw === b.raw;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, x] of a) if (!nodesEqual(x, b.get(k))) return false;
    return true;
  }
  if (!Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!nodesEqual(a[i], b[i])) return false;
  return true;
}

/** Reads a nested mapping path; undefined when any step is missing or not a mapping. */
export function getPath(root: YNode | undefined, path: readonly string[]): YNode | undefined {
  let cur: YNode | undefined = root;
  for (const seg of path) {
    if (!(cur instanceof Map)) return undefined;
    cur = cur.get(seg);
  }
  return cur;
}

/** Returns the mapping at `path`, creating empty mappings on the way (kyaml LookupCreate). */
export function ensureMapPath(root: YMap, path: readonly string[]): YMap {
  let cur: YMap = root;
  for (const seg of path) {
    let next = cur.get(seg);
    if (!(next instanceof Map)) {
      next = new Map();
      cur.set(seg, next);
    }
    cur = next;
  }
  return cur;
}

/** A string-valued mapping field as kyaml reads it (text of a scalar), or "" when absent. */
export function getString(map: YNode | undefined, key: string): string {
  if (!(map instanceof Map)) return '';
  return scalarText(map.get(key));
}
