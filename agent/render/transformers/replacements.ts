/**
 * `replacements`: copy a value from one field of one resource into fields of others, as
 * kustomize's replacement filter does. Sources are found by exact id (original or current),
 * their field by a dotted path (`spec.containers.[name=app].image`, indexes); targets by exact
 * ids, label/annotation selectors and rejects, their fields by dotted paths with `[k=regex]`
 * element filters and `*` wildcards; options split/join by a delimiter and create missing fields.
 * A scalar target keeps its type and takes the source's text.
 */
import type { FieldOptionsEntry, ReplacementEntry, Selector } from '../kustomization/kustomization-file.js';
import { decode } from '../kustomization/kustomization-file.js';
import { replacementType } from '../kustomization/kustomization-schema.js';
import { parseLabelSelector, SelectorSyntaxError } from '../kustomization/label-selector.js';
import type { ResMap } from '../kustomization/res-map.js';
import { effectiveNamespace, describeResId, splitApiVersion, type ResId, type Resource } from '../kustomization/resource.js';
import { resolvePlainV3 } from '../yaml/scalar-resolve.js';
import { lookup, matchPath, splitFieldPath, type CreateKind, type TargetSlot } from './replacement-paths.js';
import { TransformError } from './transform-error.js';
import { LoadError, type TreeLoader } from '../kustomization/tree-loader.js';
import { YamlSyntaxError, parseYamlDocuments, type YamlLimits } from '../yaml/yaml-parse.js';
import { YScalar, cloneNode, isNullish, scalarText, type YMap, type YNode } from '../yaml/yaml-value.js';

export interface Replacement {
  readonly source: NonNullable<ReplacementEntry['source']>;
  readonly targets: NonNullable<ReplacementEntry['targets']>;
  /** Index of the kustomization `replacements` entry it came from. */
  readonly entry: number;
}

/** Loads `path:` entries (a file of one replacement or a list of them) and checks the rest. */
export function loadReplacements(entries: readonly ReplacementEntry[], loader: TreeLoader, limits: YamlLimits): Replacement[] {
  const out: Replacement[] = [];
  entries.forEach((r, i) => {
    if (r.path && (r.source || (r.targets && r.targets.length > 0))) {
      throw new TransformError('cannot specify both path and inline replacement', undefined, undefined, [i]);
    }
    if (!r.path) {
      out.push({ source: r.source!, targets: r.targets!, entry: i });
      return;
    }
    let text: string;
    let file: string;
    try {
      const loaded = loader.load(r.path);
      text = Buffer.from(loaded.data).toString('utf8');
      file = loaded.path;
    } catch (e) {
      if (e instanceof LoadError) throw new TransformError(e.message, undefined, undefined, [i, 'path']);
      throw e;
    }
    let value: YNode;
    try {
      value = parseYamlDocuments(text, { mode: 'v2', limits })[0]?.value ?? new YScalar('null', '');
    } catch (e) {
      if (e instanceof YamlSyntaxError) throw new TransformError(`${file}:${e.line ?? 0}:${e.col ?? 0}: invalid YAML: ${e.message}`, undefined, undefined, [i, 'path']);
      throw e;
    }
    const items = Array.isArray(value) ? value : value instanceof Map ? [value] : undefined;
    if (!items) throw new TransformError(`unsupported replacement type encountered within replacement path ${file}`, undefined, undefined, [i, 'path']);
    for (const item of items) {
      const problems: string[] = [];
      const decoded = decode(item, replacementType, [], (path, message) => problems.push(`${path.join('.')}: ${message}`)) as ReplacementEntry | undefined;
      const real = problems.filter((p) => !p.includes('unknown field'));
      if (real.length) throw new TransformError(`${file}: ${real.join('; ')}`, undefined, undefined, [i, 'path']);
      out.push({ source: decoded?.source as Replacement['source'], targets: decoded?.targets as Replacement['targets'], entry: i });
    }
  });
  return out;
}

function ids(r: Resource): ResId[] {
  const { group, version } = splitApiVersion(r.apiVersion);
  const cur: ResId = { group, version, kind: r.kind, name: r.name, namespace: r.namespace, clusterScoped: false };
  return [cur, ...r.prevIds()];
}

/** kustomize's ResId.IsSelectedBy: exact name, effective namespace and non-empty gvk parts. */
function selectedBy(id: ResId, s: Selector): boolean {
  if (s.name && s.name !== id.name) return false;
  if (s.namespace) {
    const sel: ResId = { group: '', version: '', kind: '', name: '', namespace: s.namespace, clusterScoped: false };
    if (effectiveNamespace(sel) !== effectiveNamespace(id)) return false;
  }
  return (!s.group || s.group === id.group) && (!s.version || s.version === id.version) && (!s.kind || s.kind === id.kind);
}

function selectorString(s: Selector): string {
  return describeResId({ kind: s.kind ?? '', name: s.name ?? '', namespace: s.namespace ?? '' });
}

function matchesSelectors(r: Resource, s: Selector): boolean {
  try {
    if (s.annotationSelector && !parseLabelSelector(s.annotationSelector)(r.stringMap('annotations'))) return false;
    if (s.labelSelector && !parseLabelSelector(s.labelSelector)(r.stringMap('labels'))) return false;
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw new TransformError(e.message);
    throw e;
  }
  return true;
}

function refinedSource(value: YNode, options: FieldOptionsEntry | undefined): YNode {
  if (!options?.delimiter) return value;
  if (value instanceof Map || Array.isArray(value)) throw new TransformError('delimiter option can only be used with scalar nodes');
  const parts = scalarText(value).split(options.delimiter);
  const index = options.index ?? 0;
  if (index >= parts.length || index < 0) throw new TransformError(`options.index ${index} is out of bounds for value ${scalarText(value)}`);
  return typeof value === 'string' ? parts[index]! : new YScalar(value.tag, parts[index]!);
}

function setTarget(slot: TargetSlot, value: YNode, options: FieldOptionsEntry | undefined): void {
  const cur = slot.get();
  let v = cloneNode(value);
  const targetIsScalar = cur === undefined || !(cur instanceof Map || Array.isArray(cur));
  if (options?.delimiter) {
    if (!targetIsScalar) throw new TransformError('delimiter option can only be used with scalar nodes');
    const tv = scalarText(cur).split(options.delimiter);
    const text = scalarText(v);
    const index = options.index ?? 0;
    if (index < 0) tv.unshift(text);
    else if (index >= tv.length) tv.push(text);
    else tv[index] = text;
    const joined = tv.join(options.delimiter);
    v = typeof v === 'string' ? joined : v instanceof YScalar ? new YScalar(v.tag, joined) : joined;
  }
  if (targetIsScalar) {
    const text = scalarText(v);
    if (slot.created || cur === undefined) slot.set(resolvePlainV3(text));
    else if (typeof cur === 'string') slot.set(text);
    else slot.set(new YScalar((cur as YScalar).tag, text));
    return;
  }
  slot.set(v);
}

function kindOfValue(v: YNode): Exclude<CreateKind, undefined> {
  return v instanceof Map ? 'map' : Array.isArray(v) ? 'seq' : 'scalar';
}

export function applyReplacements(m: ResMap, replacements: readonly Replacement[]): void {
  for (const rep of replacements) {
    const at = (e: unknown): never => {
      if (e instanceof TransformError) throw new TransformError(e.message, e.object, e.field, [rep.entry, ...e.entryPath]);
      throw e;
    };
    try {
      if (!rep.source || !rep.targets) throw new TransformError('replacements must specify a source and at least one target');
      const value = sourceValue(m, rep.source);
      for (const target of rep.targets) applyTarget(m, value, target);
    } catch (e) {
      at(e);
    }
  }
}

function sourceValue(m: ResMap, source: Replacement['source']): YNode {
  const matches = m.resources().filter((r) => ids(r).some((id) => selectedBy(id, source)));
  if (matches.length > 1) throw new TransformError(`multiple matches for selector ${selectorString(source)}`, undefined, undefined, ['source']);
  if (matches.length === 0) throw new TransformError(`nothing selected by ${selectorString(source)}`, undefined, undefined, ['source']);
  const src = matches[0]!;
  const fieldPath = source.fieldPath || 'metadata.name';
  const value = TransformError.wrap(src, fieldPath, () => lookup(src.obj, splitFieldPath(fieldPath)));
  const empty = value === undefined || isNullish(value) || (value instanceof Map && value.size === 0) || (Array.isArray(value) && value.length === 0);
  if (empty) {
    throw new TransformError(`fieldPath \`${fieldPath}\` is missing for replacement source ${selectorString(source)}`, TransformError.refOf(src), undefined, ['source', 'fieldPath']);
  }
  return refinedSource(value!, source.options);
}

function applyTarget(m: ResMap, value: YNode, target: Replacement['targets'][number]): void {
  if (!target.select) throw new TransformError('target must specify resources to select', undefined, undefined, ['targets']);
  const fieldPaths = target.fieldPaths && target.fieldPaths.length > 0 ? target.fieldPaths : ['metadata.name'];
  const rejects = target.reject ?? [];
  for (const r of m.resources()) {
    if (!matchesSelectors(r, target.select)) continue;
    if (rejects.some((rj) => (rj.annotationSelector || rj.labelSelector) && matchesSelectors(r, rj))) continue;
    const rids = ids(r);
    if (!rids.some((id) => selectedBy(id, target.select!))) continue;
    const rejected = rejects.some((rj) => (rj.group || rj.version || rj.kind || rj.name || rj.namespace) && rids.some((id) => selectedBy(id, rj)));
    if (rejected) continue;
    for (const fp of fieldPaths) {
      TransformError.wrap(r, fp, () => {
        const create: CreateKind = target.options?.create ? kindOfValue(value) : undefined;
        const found: TargetSlot[] = [];
        const root: TargetSlot = { get: () => r.obj as YMap, set: () => {}, created: false };
        matchPath(root, splitFieldPath(fp).map((p) => p.trim()).filter((p) => p !== ''), create, found);
        if (found.length === 0) throw new TransformError(create ? `unable to find or create field "${fp}" in replacement target` : `unable to find field "${fp}" in replacement target`);
        for (const slot of found) setTarget(slot, value, target.options);
      });
    }
  }
  m.invalidate();
}
