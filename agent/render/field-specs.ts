/**
 * Field specs: which fields of which kinds a transformer touches (kustomize's TransformerConfig),
 * the built-in defaults, `configurations` files, how configs merge, and the walk that finds the
 * fields of one object (kustomize's fieldspec filter: `a/b/c` through mappings, every element of
 * a sequence on the way, `[]` marking a field expected to be a sequence, creation on demand).
 */
import type { Issue } from '../core/errors.js';
import { DEFAULT_FIELD_SPECS_YAML } from './default-field-specs.js';
import { readFieldSpecTable } from './field-spec-table.js';
import { decode, type FieldSpecEntry } from './kustomization-file.js';
import { fieldSpecType, type FieldType } from './kustomization-schema.js';
import { splitApiVersion } from './resource.js';
import { YamlSyntaxError, parseYamlDocuments } from './yaml-parse.js';
import { YScalar, isNullish, scalarText, type YMap, type YNode } from './yaml-value.js';

export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface FieldSpec extends Gvk {
  readonly path: string;
  readonly create: boolean;
}

export interface NameBackReference extends Gvk {
  readonly referrers: readonly FieldSpec[];
}

export interface TransformerConfig {
  readonly namePrefix: readonly FieldSpec[];
  readonly nameSuffix: readonly FieldSpec[];
  readonly namespace: readonly FieldSpec[];
  readonly commonLabels: readonly FieldSpec[];
  readonly labels: readonly FieldSpec[];
  readonly templateLabels: readonly FieldSpec[];
  readonly commonAnnotations: readonly FieldSpec[];
  readonly nameReference: readonly NameBackReference[];
  readonly images: readonly FieldSpec[];
  readonly replicas: readonly FieldSpec[];
}

const FS_KEYS = ['namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels', 'templateLabels', 'commonAnnotations', 'images', 'replicas'] as const;

const fsList: FieldType = { t: 'list', of: fieldSpecType };
const configType: FieldType = {
  t: 'struct',
  name: 'TransformerConfig',
  fields: {
    ...Object.fromEntries(FS_KEYS.map((k) => [k, fsList])),
    varReference: fsList,
    nameReference: {
      t: 'list',
      of: { t: 'struct', name: 'NameBackReferences', fields: { group: { t: 'string' }, version: { t: 'string' }, kind: { t: 'string' }, fieldSpecs: fsList } },
    },
  },
};

export const EMPTY_CONFIG: TransformerConfig = {
  namePrefix: [], nameSuffix: [], namespace: [], commonLabels: [], labels: [], templateLabels: [], commonAnnotations: [], nameReference: [], images: [], replicas: [],
};

function toFieldSpec(e: FieldSpecEntry): FieldSpec {
  return { group: e.group ?? '', version: e.version ?? '', kind: e.kind ?? '', path: e.path ?? '', create: e.create ?? false };
}

/** kyaml's typeOrders: the legacy kind order used to sort field specs. */
const ORDER_FIRST = ['Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange', 'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget'];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];
export const TYPE_ORDERS: ReadonlyMap<string, number> = new Map([
  ...ORDER_FIRST.map((k, i) => [k, -ORDER_FIRST.length + i] as const),
  ...ORDER_LAST.map((k, i) => [k, 1 + i] as const),
]);

function gvkSortString(g: Gvk): string {
  return `${g.group || '~G'}_${g.version || '~V'}_${g.kind || '~K'}`;
}

export function gvkLess(a: Gvk, b: Gvk): boolean {
  const ia = TYPE_ORDERS.get(a.kind) ?? 0;
  const ib = TYPE_ORDERS.get(b.kind) ?? 0;
  if (ia !== ib) return ia < ib;
  return gvkSortString(a) < gvkSortString(b);
}

const byGvk = (a: Gvk, b: Gvk): number => (gvkLess(a, b) ? -1 : gvkLess(b, a) ? 1 : 0);

/** kustomize's Gvk.IsSelected: every non-empty part of `selector` matches. */
export function gvkSelected(g: Gvk, selector: Gvk): boolean {
  return (!selector.group || g.group === selector.group) && (!selector.version || g.version === selector.version) && (!selector.kind || g.kind === selector.kind);
}

export class ConfigMergeError extends Error {}

function mergeOne(list: readonly FieldSpec[], x: FieldSpec): FieldSpec[] {
  const i = list.findIndex((s) => gvkSelected(s, x) && s.path === x.path);
  if (i >= 0) {
    if (list[i]!.create !== x.create) throw new ConfigMergeError(`conflicting fieldspecs for path "${x.path}"`);
    return list as FieldSpec[];
  }
  return [...list, x];
}

function mergeAll(list: readonly FieldSpec[], incoming: readonly FieldSpec[]): FieldSpec[] {
  let out = list as FieldSpec[];
  for (const x of incoming) out = mergeOne(out, x);
  return out;
}

/** Merges two field-spec lists (public for the labels transformer). */
export function mergeFieldSpecs(list: readonly FieldSpec[], incoming: readonly FieldSpec[]): FieldSpec[] {
  return mergeAll(list, incoming);
}

function mergeBackRefs(list: readonly NameBackReference[], incoming: readonly NameBackReference[]): NameBackReference[] {
  let out = [...list];
  for (const r of incoming) {
    let found = false;
    out = out.map((c) => {
      if (c.group === r.group && c.version === r.version && c.kind === r.kind) {
        found = true;
        return { ...c, referrers: mergeAll(c.referrers, r.referrers) };
      }
      return c;
    });
    if (!found) out.push(r);
  }
  return out;
}

const ids = new WeakMap<TransformerConfig, number>();
const byContent = new Map<string, { config: TransformerConfig; id: number }>();
const merged = new Map<string, TransformerConfig>();
let nextId = 1;

/** A small id per distinct config content; equal configs share one object (never mutated). */
function canonical(c: TransformerConfig): { config: TransformerConfig; id: number } {
  const known = ids.get(c);
  if (known !== undefined) return { config: c, id: known };
  const key = JSON.stringify(c);
  let entry = byContent.get(key);
  if (!entry) {
    if (byContent.size >= 2_000) {
      byContent.clear();
      merged.clear();
    }
    entry = { config: c, id: nextId++ };
    byContent.set(key, entry);
  }
  ids.set(c, entry.id);
  return entry;
}

/** TransformerConfig.Merge: union of both, field specs deduplicated, lists sorted by kind. */
export function mergeConfigs(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  if (a === b) return a;
  const ca = canonical(a);
  const cb = canonical(b);
  if (ca.id === cb.id) return a;
  const key = `${ca.id}:${cb.id}`;
  const hit = merged.get(key);
  if (hit) return hit;
  const out: Record<string, unknown> = {};
  for (const k of FS_KEYS) out[k] = mergeAll(a[k], b[k]).sort(byGvk);
  out.nameReference = mergeBackRefs(a.nameReference, b.nameReference).sort(byGvk);
  const result = canonical(out as unknown as TransformerConfig).config;
  if (merged.size > 10_000) merged.clear();
  merged.set(key, result);
  return result;
}

/** Parses a configurations file. Returns issues (file-relative positions) when invalid. */
export function parseTransformerConfig(text: string, file: string): TransformerConfig | { issues: Issue[] } {
  let value: YNode;
  try {
    value = parseYamlDocuments(text, { mode: 'v2' })[0]?.value ?? new Map();
  } catch (e) {
    if (e instanceof YamlSyntaxError) return { issues: [{ code: 'MalformedYAML', file, line: e.line, col: e.col, path: [], message: `invalid YAML: ${e.message}` }] };
    throw e;
  }
  const issues: Issue[] = [];
  const decoded = (decode(isNullish(value) ? new Map() : value, configType, [], (path, message, code) => issues.push({ code, file, path, message })) ?? {}) as Record<string, unknown>;
  if (issues.length) return { issues };
  return toTransformerConfig(decoded);
}

/** A decoded configurations document (or the built-in table) as a TransformerConfig. */
function toTransformerConfig(decoded: Record<string, unknown>): TransformerConfig {
  const out: Record<string, unknown> = {};
  for (const k of FS_KEYS) out[k] = ((decoded[k] as FieldSpecEntry[] | undefined) ?? []).map(toFieldSpec).sort(byGvk);
  out.nameReference = ((decoded.nameReference as (FieldSpecEntry & { fieldSpecs?: FieldSpecEntry[] })[] | undefined) ?? [])
    .map((r) => ({ group: r.group ?? '', version: r.version ?? '', kind: r.kind ?? '', referrers: (r.fieldSpecs ?? []).map(toFieldSpec) }))
    .sort(byGvk);
  return out as unknown as TransformerConfig;
}

let defaults: TransformerConfig | undefined;

/** kustomize's MakeDefaultConfig. */
export function defaultConfig(): TransformerConfig {
  if (!defaults) {
    // The table is read by a small fixed-shape reader, not the YAML parser: this runs on every
    // `drover build`, and its cost used to be a third of a trivial build's.
    const parsed = toTransformerConfig(readFieldSpecTable(DEFAULT_FIELD_SPECS_YAML));
    // kustomize's templateLabels are its commonLabels without the selectors: the label fields of
    // objects and of the pod (and volume claim) templates they carry.
    defaults = { ...parsed, templateLabels: parsed.commonLabels.filter((fs) => fs.path.endsWith('metadata/labels')) };
  }
  return defaults;
}

/** Does the field spec apply to an object of this apiVersion and kind (kustomize's isMatchGVK)? */
export function fieldSpecMatches(fs: Gvk, apiVersion: string, kind: string): boolean {
  if (fs.kind && fs.kind !== kind) return false;
  if (!fs.group && !fs.version) return true;
  const gv = splitApiVersion(apiVersion);
  return (!fs.group || fs.group === gv.group) && (!fs.version || fs.version === gv.version);
}

/** A place in an object: read and replace the value there. */
export interface Slot {
  get(): YNode | undefined;
  set(v: YNode): void;
}

export type CreateKind = 'map' | 'seq' | 'scalar' | undefined;

export class FieldPathError extends Error {
  constructor(
    readonly fieldPath: string,
    message: string,
  ) {
    super(message);
  }
}

/** kyaml's PathSplitter: split on "/", a leading "/" ignored, "\\/" keeps a literal slash. */
export function splitFieldSpecPath(path: string, delimiter = '/'): string[] {
  let ps = path.split(delimiter);
  if (ps.length > 1 && ps[0] === '') ps = ps.slice(1);
  const res = [ps[0]!];
  for (let i = 1; i < ps.length; i++) {
    const last = res.length - 1;
    if (res[last]!.endsWith('\\')) res[last] = `${res[last]!.slice(0, -1)}${delimiter}${ps[i]}`;
    else res.push(ps[i]!);
  }
  return res;
}

const emptyOf = (k: Exclude<CreateKind, undefined>): YNode => (k === 'map' ? new Map() : k === 'seq' ? [] : '');

/**
 * Visits the fields `fs.path` names in `obj` (when `fs` matches the object's kind), creating
 * missing ones when `fs.create` and a `createKind` are given, and calls `visit` with each.
 */
const splitPaths = new Map<string, string[]>();

export function walkFieldSpec(obj: YMap, fs: FieldSpec, visit: (slot: Slot) => void, createKind: CreateKind): void {
  if (!fieldSpecMatches(fs, scalarText(obj.get('apiVersion')), scalarText(obj.get('kind')))) return;
  let path = splitPaths.get(fs.path);
  if (!path) {
    path = splitFieldSpecPath(fs.path);
    if (splitPaths.size < 10_000) splitPaths.set(fs.path, path);
  }
  const rootSlot: Slot = { get: () => obj, set: () => {} };
  walk(rootSlot, path, 0, fs, visit, createKind);
}

function walk(slot: Slot, path: string[], i: number, fs: FieldSpec, visit: (slot: Slot) => void, createKind: CreateKind): void {
  if (i === path.length) return visit(slot);
  const node = slot.get();
  if (node === undefined || isNullish(node)) return;
  if (Array.isArray(node)) {
    for (let j = 0; j < node.length; j++) {
      const idx = j;
      walk({ get: () => node[idx], set: (v) => (node[idx] = v) }, path, i, fs, visit, createKind);
    }
    return;
  }
  if (!(node instanceof Map)) {
    throw new FieldPathError(fs.path, `considering field '${fs.path}': expected sequence or mapping node`);
  }
  const seg = path[i]!;
  const isSeq = seg.endsWith('[]');
  const name = isSeq ? seg.slice(0, -2) : seg;
  if (name === '') throw new FieldPathError(fs.path, 'cannot set or create an empty field name');
  let kind: CreateKind;
  if (!fs.create || createKind === undefined || isSeq) {
    if (!node.has(name)) return;
    kind = isSeq ? 'seq' : undefined;
  } else {
    kind = i === path.length - 1 ? createKind : 'map';
    if (!node.has(name)) node.set(name, emptyOf(kind));
  }
  const value = node.get(name)!;
  if (kind !== undefined && value instanceof YScalar && value.tag === 'null') node.set(name, emptyOf(kind));
  walk({ get: () => node.get(name), set: (v) => node.set(name, v) }, path, i + 1, fs, visit, createKind);
}
