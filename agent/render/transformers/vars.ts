/**
 * kustomize's `vars` (deprecated, still common in kubebuilder and Cluster API `config/default`):
 * each kustomization tags the object its var's objref names (by its original or current id, after
 * its own transformers ran); bases' and components' vars join their parent's, a name defined
 * twice is an error; at the very end of the build (after hash suffixes and name references) each
 * var takes the value at its fieldref of the tagged object and replaces `$(NAME)` in the
 * varReference fields of every object.
 */
import type { Issue } from '../../core/errors.js';
import type { Target } from '../build-context.js';
import type { FieldSpec } from '../kustomization/field-specs.js';
import type { ResMap } from '../kustomization/res-map.js';
import { idKey, type ResId, type Resource } from '../kustomization/resource.js';
import { lookup, splitFieldPath } from './replacement-paths.js';
import { TransformError } from './transform-error.js';
import { expandVarReferences, type VarValue } from './var-expansion.js';
import { YScalar } from '../yaml/yaml-value.js';

const DEFAULT_FIELD_PATH = 'metadata.name';

export interface Var {
  readonly name: string;
  readonly objref: { readonly group: string; readonly version: string; readonly kind: string; readonly name: string; readonly namespace: string };
  readonly fieldPath: string;
  /** The `vars[i]` entry that defined it. */
  readonly where: { readonly file: string; readonly line?: number | undefined; readonly col?: number | undefined; readonly path: (string | number)[] };
}

/** Vars by name; never mutated (merges make new maps). */
export type VarSet = ReadonlyMap<string, Var>;

export const EMPTY_VARS: VarSet = new Map();

/** A var problem, located at the entry that defined the var. */
export class VarError extends Error {
  constructor(
    message: string,
    readonly v: Var,
    readonly object?: Resource,
  ) {
    super(message);
  }

  toIssue(code: string): Issue {
    const w = this.v.where;
    return { code, file: w.file, line: w.line, col: w.col, path: w.path, message: this.message, ...(this.object ? { object: TransformError.refOf(this.object) } : {}) };
  }
}

function where(v: Var): string {
  return `${v.where.file}${v.where.line !== undefined ? `:${v.where.line}` : ''}${v.where.col !== undefined ? `:${v.where.col}` : ''}`;
}

function describeObjref(v: Var): string {
  const o = v.objref;
  const apiVersion = o.group ? `${o.group}/${o.version}` : o.version;
  return `${apiVersion ? `${apiVersion} ` : ''}${o.kind || '*'}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** The vars of one kustomization, with kustomize's defaults (fieldPath metadata.name, apiVersion split). */
function varsOf(t: Target): Var[] {
  return (t.k.vars ?? []).map((e, i) => {
    const ref = e.objref ?? {};
    let group = ref.group ?? '';
    let version = ref.version ?? '';
    if (ref.apiVersion) {
      const parts = ref.apiVersion.split('/');
      if (parts.length === 2) [group, version] = parts as [string, string];
      else if (parts.length === 1) version = parts[0]!;
    }
    const p = t.locate(['vars', i]);
    return {
      name: e.name ?? '',
      objref: { group, version, kind: ref.kind ?? '', name: ref.name ?? '', namespace: ref.namespace ?? '' },
      fieldPath: e.fieldref?.fieldPath || DEFAULT_FIELD_PATH,
      where: { file: t.file, line: p?.line, col: p?.col, path: ['vars', i] },
    };
  });
}

/** The objects a var's objref names: any of their ids, namespace ignored unless the objref gives one. */
function matchesOf(m: ResMap, v: Var): Resource[] {
  const o = v.objref;
  const wanted: ResId = { group: o.group, version: o.version, kind: o.kind, name: o.name, namespace: o.namespace, clusterScoped: false };
  const key = idKey(wanted);
  return m.resources().filter((r) =>
    [...r.prevIds(), r.curId()].some((id) => id.group === o.group && id.version === o.version && id.kind === o.kind && id.name === o.name && (o.namespace === '' || idKey(id) === key)),
  );
}

/**
 * kustomize's MergeVars, at the end of one kustomization: tags the object each of its vars names
 * and adds the vars to `set`. Returns the new set and the problems found.
 */
export function mergeKustomizationVars(t: Target, m: ResMap, set: VarSet): { vars: VarSet; issues: Issue[] } {
  const own = varsOf(t);
  if (own.length === 0) return { vars: set, issues: [] };
  const issues: Issue[] = [];
  for (const v of own) {
    const matched = matchesOf(m, v);
    if (matched.length > 1) {
      const list = matched.map((r) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`).join(', ');
      issues.push(new VarError(`var "${v.name}": objref ${describeObjref(v)} matches ${matched.length} objects (${list}); give objref.namespace to pick one`, v).toIssue('VarAmbiguous'));
    } else if (matched.length === 1) matched[0]!.refVarNames.push(v.name);
  }
  const out = new Map(set);
  for (const v of own) {
    const seen = out.get(v.name);
    if (seen) {
      issues.push(new VarError(`var "${v.name}" is already defined at ${where(seen)}`, v).toIssue('VarConflict'));
      continue;
    }
    out.set(v.name, v);
  }
  return { vars: out, issues };
}

/** kustomize's VarSet.MergeSet: a base's or component's vars joining the parent's; any shared name is a conflict. */
export function mergeVarSets(a: VarSet, b: VarSet, at: (message: string) => Issue): { vars: VarSet; issues: Issue[] } {
  if (b.size === 0) return { vars: a, issues: [] };
  if (a.size === 0) return { vars: b, issues: [] };
  const out = new Map(a);
  const issues: Issue[] = [];
  for (const [name, v] of [...b].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const seen = out.get(name);
    if (seen) issues.push(at(`var "${name}" of ${where(v)} is already defined at ${where(seen)}`));
    else out.set(name, v);
  }
  return { vars: out, issues };
}

/** kyaml's GetFieldValue for a scalar: the value typed by its tag, undefined when Go cannot parse it. */
function scalarValue(node: unknown): VarValue | 'not-primitive' | undefined {
  if (typeof node === 'string') return { t: 'string', v: node };
  if (!(node instanceof YScalar)) return 'not-primitive';
  switch (node.tag) {
    case 'int': {
      if (!/^[+-]?\d+$/.test(node.raw)) return undefined;
      const n = BigInt(node.raw);
      if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
      return { t: 'int', v: Number(n) };
    }
    case 'float': {
      const x = Number(node.raw.replace(/^\+/, ''));
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(node.raw) || !Number.isFinite(x)) return undefined;
      return { t: 'float', v: x };
    }
    case 'bool': {
      const r = node.raw;
      if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(r)) return { t: 'bool', v: true };
      if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(r)) return { t: 'bool', v: false };
      return undefined;
    }
    default:
      return { t: 'string', v: node.raw };
  }
}

/** kyaml's convertSliceIndex: `ports[0]` → `ports`, `0`. */
function convertSliceIndex(fields: string[]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const m = /^(.*)\[(\d+)\]$/.exec(f);
    if (!m) out.push(f);
    else {
      if (m[1]) out.push(m[1]);
      out.push(m[2]!);
    }
  }
  return out;
}

function valueOf(v: Var, r: Resource): VarValue | undefined {
  let node;
  try {
    node = lookup(r.obj, convertSliceIndex(splitFieldPath(v.fieldPath)));
  } catch {
    node = undefined;
  }
  const value = node === undefined ? undefined : scalarValue(node);
  if (value === undefined) throw new VarError(`var "${v.name}": field "${v.fieldPath}" (fieldref.fieldPath) not found`, v, r);
  // Mappings and lists are no replacement values: kustomize leaves such references as written.
  return value === 'not-primitive' ? undefined : value;
}

/**
 * kustomize's ResolveVars: the value of every var (in name order, the first problem stops the
 * build as in kustomize), then `$(NAME)` replaced in every varReference field.
 */
export function resolveVars(resources: readonly Resource[], vars: VarSet, specs: readonly FieldSpec[]): void {
  if (vars.size === 0) return;
  const values = new Map<string, VarValue>();
  for (const name of [...vars.keys()].sort()) {
    const v = vars.get(name)!;
    const r = resources.find((x) => x.refVarNames.includes(name));
    if (!r) throw new VarError(`var "${name}": no object of this build matches its objref ${describeObjref(v)}`, v);
    const value = valueOf(v, r);
    if (value) values.set(name, value);
  }
  expandVarReferences(resources, specs, values);
}
