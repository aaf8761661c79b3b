/**
 * Field paths of replacements: kyaml's SmarterPathSplitter, its Lookup (sources: exact
 * `[key=value]` matches, indexes) and its PathMatcher (targets: `[key=regex]` filters, `*`
 * wildcards, indexes, and creation of missing fields when asked).
 */
import { resolvePlainV3 } from '../yaml/scalar-resolve.js';
import { TransformError } from './transform-error.js';
import { isNullish, scalarText, type YNode } from '../yaml/yaml-value.js';

/** kyaml's SmarterPathSplitter: "." separated, `[k=v]` kept whole, `[0]` unwrapped. */
export function splitFieldPath(path: string): string[] {
  const split: string[] = [];
  for (const p of path.split('.')) {
    const last = split.length - 1;
    if (last >= 0 && split[last]!.endsWith('\\')) split[last] = `${split[last]!.slice(0, -1)}.${p}`;
    else split.push(p);
  }
  const out: string[] = [];
  for (let i = 0; i < split.length; i++) {
    const el = split[i]!;
    if (el.startsWith('[') && !el.endsWith(']')) {
      const parts = [el];
      while (i < split.length - 1) {
        i++;
        parts.push(split[i]!);
        if (split[i]!.endsWith(']')) break;
      }
      const joined = parts.join('.');
      out.push(joined.includes('=') ? joined : joined.replace(/^\[+|\]+$/g, ''));
    } else out.push(el);
  }
  return out;
}

function isIndex(p: string): boolean {
  return /^[+-]?\d+$/.test(p) && Number(p) >= 0;
}

function splitNameValue(p: string): [string, string] {
  const inner = p.replace(/\]$/, '').replace(/^\[/, '');
  const eq = inner.indexOf('=');
  if (eq < 0) throw new TransformError('list path element must contain fieldName=fieldValue for element to match');
  return [inner.slice(0, eq), inner.slice(eq + 1)];
}

/** kyaml's Lookup (PathGetter) for a replacement source. */
export function lookup(root: YNode, path: string[]): YNode | undefined {
  let cur: YNode | undefined = root;
  for (const raw of path.map((p) => p.trim()).filter((p) => p !== '')) {
    if (cur === undefined || isNullish(cur)) return undefined;
    if (/^[+-]?\d+$/.test(raw)) {
      const idx = Number(raw);
      if (idx < 0) throw new TransformError(`array index ${idx} cannot be negative`);
      if (!Array.isArray(cur)) throw new TransformError(`wrong node kind: expected a sequence at "${raw}"`);
      cur = cur[idx];
    } else if (raw === '-') {
      if (!Array.isArray(cur)) throw new TransformError('wrong node kind: expected a sequence at "-"');
      cur = cur[cur.length - 1];
    } else if (raw === '*') {
      throw new TransformError('wildcard is not supported in PathGetter');
    } else if (raw.startsWith('[') && raw.endsWith(']')) {
      const [name, value] = splitNameValue(raw);
      if (!Array.isArray(cur)) throw new TransformError(`wrong node kind: expected a sequence at "${raw}"`);
      cur = name === '' ? cur.find((e) => scalarText(e) === value) : cur.find((e) => e instanceof Map && e.has(name) && scalarText(e.get(name)) === value);
    } else {
      if (!(cur instanceof Map)) throw new TransformError(`wrong node kind: expected a mapping at "${raw}"`);
      cur = cur.get(raw);
    }
  }
  return cur;
}

export interface TargetSlot {
  get(): YNode | undefined;
  set(v: YNode): void;
  /** A field this replacement created: its value is read back as a plain scalar. */
  readonly created: boolean;
}

export type CreateKind = 'map' | 'seq' | 'scalar' | undefined;

const emptyOf = (k: Exclude<CreateKind, undefined>): YNode => (k === 'map' ? new Map() : k === 'seq' ? [] : '');

function partKind(next: string | undefined, dflt: Exclude<CreateKind, undefined>): Exclude<CreateKind, undefined> {
  if (next === undefined) return dflt;
  if ((next.startsWith('[') && next.endsWith(']')) || isIndex(next)) return 'seq';
  return 'map';
}

/** kyaml's PathMatcher: every field the target path names, created on the way when asked. */
export function matchPath(slot: TargetSlot, path: string[], create: CreateKind, out: TargetSlot[]): void {
  if (path.length === 0) {
    out.push(slot);
    return;
  }
  const node = slot.get();
  const [head, ...rest] = path as [string, ...string[]];
  if (isIndex(head)) {
    if (!Array.isArray(node)) throw new TransformError(`wrong node kind: expected a sequence at "${head}"`);
    const idx = Number(head);
    if (node.length === idx && create) node.push(emptyOf(partKind(rest[0], create)));
    if (node.length < idx + 1) throw new TransformError(`index ${idx} specified but only ${node.length} elements found`);
    matchPath({ get: () => node[idx], set: (v) => (node[idx] = v), created: slot.created }, rest, create, out);
    return;
  }
  if (head.startsWith('[') && head.endsWith(']')) {
    if (!Array.isArray(node)) throw new TransformError(`wrong node kind: expected a sequence at "${head}"`);
    const [field, pattern] = splitNameValue(head);
    let re: RegExp;
    try {
      re = new RegExp(pattern);
    } catch (e) {
      throw new TransformError(`invalid regular expression in "${head}": ${(e as Error).message}`);
    }
    const before = out.length;
    node.forEach((el, i) => {
      if (field === '') {
        if (re.test(scalarText(el))) out.push({ get: () => node[i], set: (v) => (node[i] = v), created: false });
        return;
      }
      if (!(el instanceof Map) || !el.has(field) || isNullish(el.get(field))) return;
      if (!re.test(scalarText(el.get(field)))) return;
      matchPath({ get: () => node[i], set: (v) => (node[i] = v), created: false }, rest, create, out);
    });
    if (out.length === before && create) {
      node.push(field === '' ? resolvePlainV3(pattern) : new Map([[field, resolvePlainV3(pattern)]]));
      matchPath(slot, path, create, out);
    }
    return;
  }
  if (head === '*') {
    if (!Array.isArray(node)) throw new TransformError('wrong node kind: expected a sequence at "*"');
    node.forEach((_, i) => matchPath({ get: () => node[i], set: (v) => (node[i] = v), created: false }, rest, create, out));
    return;
  }
  if (node === undefined || isNullish(node)) return;
  if (!(node instanceof Map)) throw new TransformError(`wrong node kind: expected a mapping at "${head}"`);
  let created = false;
  if (!node.has(head)) {
    if (!create) return;
    node.set(head, emptyOf(partKind(rest[0], create)));
    created = true;
  }
  matchPath({ get: () => node.get(head), set: (v) => node.set(head, v), created }, rest, create, out);
}
