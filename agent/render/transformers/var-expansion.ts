/**
 * `$(VAR)` expansion in the fields kustomize's varReference specs name (its refvar filter): a
 * string that is exactly `$(NAME)` takes the variable's value with its type (a number stays a
 * number); elsewhere the value is printed into the string. `$$` is a literal `$`; a name that is
 * not a variable, or an unterminated `$(`, is left as written.
 */
import { walkFieldSpec, type FieldSpec } from '../kustomization/field-specs.js';
import { formatGoFixedFloat, formatGoFloat } from '../yaml/go-format.js';
import type { Resource } from '../kustomization/resource.js';
import { TransformError } from './transform-error.js';
import { YScalar, type YMap, type YNode } from '../yaml/yaml-value.js';

/** A variable's value as kustomize reads it from its object: a string, number or boolean. */
export type VarValue = { readonly t: 'string'; readonly v: string } | { readonly t: 'int' | 'float'; readonly v: number } | { readonly t: 'bool'; readonly v: boolean };

/** Go's `%v` of the value, used when the reference sits inside a longer string. */
function printValue(x: VarValue): string {
  if (x.t === 'string') return x.v;
  if (x.t === 'bool') return String(x.v);
  if (x.t === 'int') return String(x.v);
  return formatGoFloat(x.v);
}

/** The node a whole-string reference becomes: typed like the value (kustomize's updateNodeValue). */
function toNode(x: VarValue): YNode {
  switch (x.t) {
    case 'string':
      return x.v;
    case 'bool':
      return new YScalar('bool', String(x.v));
    case 'int':
      return new YScalar('int', String(x.v));
    case 'float':
      return new YScalar('float', formatGoFixedFloat(x.v));
  }
}

/**
 * Expands the references in `input`. Returns a node (a string unless the whole input was one
 * reference to a non-string value). `used` collects the names that were replaced.
 */
export function expandVars(input: string, values: ReadonlyMap<string, VarValue>, used: Set<string>): YNode {
  if (!input.includes('$')) return input;
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) {
        out += '$(';
      } else {
        const name = rest.slice(1, close);
        advance = close + 1;
        const value = values.get(name);
        if (value) used.add(name);
        if (input === `$(${name})`) return value ? toNode(value) : input;
        out += value ? printValue(value) : `$(${name})`;
      }
    } else {
      out += `$${rest[0]!}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** Expands references in the field one varReference spec names: a string, a map's string values or a list of strings. */
function expandField(node: YNode | undefined, set: (v: YNode) => void, values: ReadonlyMap<string, VarValue>, used: Set<string>): void {
  if (node === undefined) return;
  if (typeof node === 'string') {
    set(expandVars(node, values, used));
    return;
  }
  if (node instanceof YScalar) return;
  if (node instanceof Map) {
    for (const [k, v] of node) if (typeof v === 'string') node.set(k, expandVars(v, values, used));
    return;
  }
  node.forEach((item, i) => {
    if (typeof item !== 'string') throw new TransformError('invalid value type expect a string');
    node[i] = expandVars(item, values, used);
  });
}

/** kustomize's refVarTransformer: every varReference field of every resource. Returns the names used. */
export function expandVarReferences(resources: readonly Resource[], specs: readonly FieldSpec[], values: ReadonlyMap<string, VarValue>): Set<string> {
  const used = new Set<string>();
  for (const r of resources) {
    for (const fs of specs) {
      TransformError.wrap(r, fs.path, () => walkFieldSpec(r.obj as YMap, fs, (slot) => expandField(slot.get(), (v) => slot.set(v), values, used), undefined));
    }
  }
  return used;
}
