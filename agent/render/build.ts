/**
 * The kustomize build (kustomize's KustTarget): load a kustomization, accumulate its resources
 * (files and bases, recursively), merge field-spec configurations, run generators, apply
 * components, run the transformers in kustomize's fixed order; at the top, add hash suffixes, fix
 * name references, drop local-config resources, order and clean the output.
 *
 * Problems are collected as Issues. A failing entry does not stop its siblings (so a fleet
 * reports every broken overlay at once), but a kustomization with a failed entry skips its own
 * transformers, so one mistake does not cascade into noise.
 */
import type { FileTree } from '../core/file-tree.js';
import type { Issue } from '../core/errors.js';
import type { BuildOptions } from './build-options.js';
import { EMPTY_CONFIG, ConfigMergeError, defaultConfig, mergeConfigs, parseTransformerConfig, type TransformerConfig } from './field-specs.js';
import { GeneratorError, generateConfigMap, generateSecret, mergeGenerated, mergeGeneratorOptions } from './generators.js';
import { addHashSuffixes } from './hash-suffix.js';
import { applyImage } from './images-transformer.js';
import { parseKustomization, type FieldLocator, type Kustomization } from './kustomization-file.js';
import { applyMapEntries, labelFieldSpecs } from './labels-transformer.js';
import { ResourceFileError, parseResourceFile } from './load-resources.js';
import { applyNameAffix } from './name-affix-transformer.js';
import { fixNameReferences } from './name-reference.js';
import { applyNamespace } from './namespace-transformer.js';
import { applyPatchesStrategicMerge, applyPatchEntry, applyJson6902Entry } from './patch-transformer.js';
import { applyReplacements, loadReplacements } from './replacements.js';
import { applyReplicas } from './replicas-transformer.js';
import { IdConflictError, ResMap } from './res-map.js';
import { describeResId, type Resource } from './resource.js';
import { sortLegacy } from './resource-order.js';
import { TransformError } from './transform-error.js';
import { LoadError, TreeLoader } from './tree-loader.js';

const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Thrown with every issue found; the public API turns it into a RenderError. */
export class BuildFailure extends Error {
  constructor(readonly issues: Issue[]) {
    super(issues.map((i) => i.message).join('\n'));
  }
}

export interface Accumulated {
  readonly resMap: ResMap;
  readonly config: TransformerConfig;
}

export interface BuildContext {
  readonly tree: FileTree;
  readonly options: BuildOptions;
  /** Accumulated bases of this build, by real directory, never mutated (consumers clone). */
  readonly bases: Map<string, CachedBase>;
  /** Results reused across builds (createRenderer), by real directory. */
  readonly shared?: SharedBaseCache | undefined;
  /** Paths read so far by each base being built (innermost last), for the shared cache. */
  readonly recording: Set<string>[];
}

export interface CachedBase {
  readonly acc: Accumulated;
  /** Every directory and file (real paths) the base's build read. */
  readonly deps: ReadonlySet<string>;
}

/** A cache of accumulated bases that survives builds, validated by content hashes. */
export interface SharedBaseCache {
  get(dir: string, tree: FileTree): CachedBase | undefined;
  set(dir: string, tree: FileTree, value: CachedBase): void;
}

function record(ctx: BuildContext, paths: Iterable<string>): void {
  if (ctx.recording.length === 0) return;
  for (const p of paths) for (const set of ctx.recording) set.add(p);
}

interface Target {
  readonly loader: TreeLoader;
  readonly k: Kustomization;
  /** Repo-relative path of the kustomization file. */
  readonly file: string;
  readonly locate: FieldLocator;
  readonly depth: number;
}

function cloneAccumulated(a: Accumulated): Accumulated {
  const m = new ResMap();
  m.setAll(a.resMap.resources().map((r) => r.clone()));
  return { resMap: m, config: a.config };
}

function issueAt(t: Target, path: (string | number)[], message: string, code: string, extra: Partial<Issue> = {}): Issue {
  const p = t.locate(path);
  return { code, file: t.file, line: p?.line, col: p?.col, path, message, ...extra };
}

/** Converts anything thrown while handling one kustomization entry into issues. */
function toIssues(e: unknown, t: Target, path: (string | number)[]): Issue[] {
  if (e instanceof BuildFailure) return e.issues;
  if (e instanceof ResourceFileError) return [e.issue];
  if (e instanceof TransformError) {
    const msg = e.field ? `${e.field}: ${e.message}` : e.message;
    return [issueAt(t, [...path, ...e.entryPath], msg, 'TransformFailed', { object: e.object })];
  }
  if (e instanceof GeneratorError) return [issueAt(t, [...path, ...e.path], e.message, 'GeneratorFailed')];
  if (e instanceof LoadError) return [issueAt(t, path, e.message, `Load${e.kind.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`)];
  if (e instanceof IdConflictError) {
    const where = e.existing.origin.file === e.incoming.origin.file ? '' : ` (already loaded from ${e.existing.origin.file})`;
    return [issueAt(t, path, `${e.message}${where}`, 'IdConflict', { object: TransformError.refOf(e.incoming) })];
  }
  if (e instanceof ConfigMergeError) return [issueAt(t, path, e.message, 'ConfigConflict')];
  if (e instanceof KustomizationFileError) return [issueAt(t, path, e.message, e.code)];
  throw e;
}

/** A directory without exactly one kustomization file; reported at the entry that named it. */
export class KustomizationFileError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly dir: string,
  ) {
    super(message);
  }
}

export function loadTarget(ctx: BuildContext, loader: TreeLoader, depth: number): Target {
  const found = KUSTOMIZATION_FILE_NAMES.filter((n) => loader.isFile(n));
  const dirName = loader.root || '.';
  if (found.length === 0) {
    throw new KustomizationFileError(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory "${dirName}"`, 'MissingKustomization', dirName);
  }
  if (found.length > 1) {
    throw new KustomizationFileError(`found multiple kustomization files in directory "${dirName}": ${found.join(', ')}`, 'MultipleKustomizations', dirName);
  }
  const { path, data } = loader.load(found[0]!);
  const parsed = parseKustomization(Buffer.from(data).toString('utf8'), path, {
    maxAliasCount: ctx.options.maxAliasCount,
    maxDocumentBytes: ctx.options.maxDocumentBytes,
  });
  if ('issues' in parsed) throw new BuildFailure(parsed.issues);
  const k = fixKustomization(parsed.kustomization);
  const t: Target = { loader, k, file: path, locate: parsed.locate, depth };
  const issues: Issue[] = [];
  const empty = Object.keys(k).every((key) => key === 'kind' || key === 'apiVersion');
  if (empty) issues.push(issueAt(t, [], 'kustomization is empty', 'EmptyKustomization'));
  const kind = k.kind ?? 'Kustomization';
  if (kind !== 'Kustomization' && kind !== 'Component') issues.push(issueAt(t, ['kind'], 'kind should be Kustomization or Component', 'InvalidKind'));
  const required = kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
  if (k.apiVersion && k.apiVersion !== required) issues.push(issueAt(t, ['apiVersion'], `apiVersion for ${kind} should be ${required}`, 'InvalidApiVersion'));
  if (issues.length) throw new BuildFailure(issues);
  return t;
}

/** kustomize's FixKustomization: deprecated aliases folded into their replacements. */
function fixKustomization(k: Kustomization): Kustomization {
  const out: Kustomization = { ...k };
  if (k.bases !== undefined) {
    out.resources = [...(k.resources ?? []), ...k.bases];
    delete out.bases;
  }
  if (k.imageTags !== undefined) {
    out.images = [...(k.images ?? []), ...k.imageTags];
    delete out.imageTags;
  }
  for (const key of ['configMapGenerator', 'secretGenerator'] as const) {
    const gens = k[key];
    if (gens) out[key] = gens.map((g) => (g.env ? { ...g, envs: [...(g.envs ?? []), g.env], env: '' } : g));
  }
  return out;
}

/** Builds the base in `loader`'s directory (cached per directory) and returns a private copy. */
function accumulateBase(ctx: BuildContext, t: Target, loader: TreeLoader, rel: string, path: (string | number)[]): Accumulated {
  const cached = ctx.bases.get(loader.root) ?? ctx.shared?.get(loader.root, ctx.tree);
  if (cached) {
    ctx.bases.set(loader.root, cached);
    record(ctx, cached.deps);
    return cloneAccumulated(cached.acc);
  }
  if (t.depth + 1 > ctx.options.maxDepth) throw new BuildFailure([issueAt(t, path, `bases nested deeper than ${ctx.options.maxDepth} levels`, 'TooDeep')]);
  const deps = new Set<string>([loader.root]);
  ctx.recording.push(deps);
  let acc: Accumulated;
  try {
    const sub = loadTarget(ctx, loader, t.depth + 1);
    if (sub.k.kind === 'Component') throw new BuildFailure([issueAt(t, path, `"${rel}" is a Component; list it under components, not resources`, 'ComponentAsResource')]);
    acc = accumulateTarget(ctx, sub, undefined);
  } finally {
    ctx.recording.pop();
  }
  record(ctx, deps);
  const entry: CachedBase = { acc, deps };
  ctx.bases.set(loader.root, entry);
  ctx.shared?.set(loader.root, ctx.tree, entry);
  return cloneAccumulated(acc);
}

function accumulateResources(ctx: BuildContext, t: Target, ra: Accumulated, issues: Issue[]): Accumulated {
  let acc = ra;
  (t.k.resources ?? []).forEach((rel, i) => {
    const path = ['resources', i];
    try {
      let fileErr: unknown;
      let resources: Resource[] | undefined;
      try {
        const { path: file, data } = t.loader.load(rel);
        resources = parseResourceFile(Buffer.from(data).toString('utf8'), file, {
          maxAliasCount: ctx.options.maxAliasCount,
          maxDocumentBytes: ctx.options.maxDocumentBytes,
        });
      } catch (e) {
        if (e instanceof ResourceFileError) throw e;
        if (e instanceof LoadError && (e.kind === 'remote' || e.kind === 'absolute')) throw e;
        fileErr = e;
      }
      if (resources) {
        acc.resMap.appendAll(resources);
        return;
      }
      let loader: TreeLoader;
      try {
        loader = t.loader.child(rel);
      } catch (e) {
        // Neither a readable file nor a directory: when the path is no directory at all, say
        // why it could not be read as a file.
        if (e instanceof LoadError && fileErr instanceof LoadError && fileErr.kind !== 'not-file') throw fileErr;
        throw e;
      }
      const base = accumulateBase(ctx, t, loader, rel, path);
      acc.resMap.appendAll(base.resMap.resources());
      acc = { resMap: acc.resMap, config: mergeConfigs(acc.config, base.config) };
    } catch (e) {
      issues.push(...toIssues(e, t, path));
    }
  });
  return acc;
}

function accumulateComponents(ctx: BuildContext, t: Target, ra: Accumulated, issues: Issue[]): Accumulated {
  let acc = ra;
  (t.k.components ?? []).forEach((rel, i) => {
    const path = ['components', i];
    try {
      const loader = t.loader.child(rel);
      if (t.depth + 1 > ctx.options.maxDepth) throw new BuildFailure([issueAt(t, path, `components nested deeper than ${ctx.options.maxDepth} levels`, 'TooDeep')]);
      const sub = loadTarget(ctx, loader, t.depth + 1);
      if ((sub.k.kind ?? 'Kustomization') !== 'Component') {
        throw new BuildFailure([issueAt(t, path, `expected kind 'Component' for path "${loader.root}" but got '${sub.k.kind ?? 'Kustomization'}'`, 'NotAComponent')]);
      }
      acc = accumulateTarget(ctx, sub, acc);
    } catch (e) {
      issues.push(...toIssues(e, t, path));
    }
  });
  return acc;
}

function loadConfigurations(t: Target, issues: Issue[]): TransformerConfig {
  let config = defaultConfig();
  const paths = t.k.configurations ?? [];
  if (paths.length === 0) return config;
  let custom = EMPTY_CONFIG;
  paths.forEach((rel, i) => {
    const path = ['configurations', i];
    try {
      const { path: file, data } = t.loader.load(rel);
      const parsed = parseTransformerConfig(Buffer.from(data).toString('utf8'), file);
      if ('issues' in parsed) throw new BuildFailure(parsed.issues);
      custom = mergeConfigs(custom, parsed);
    } catch (e) {
      issues.push(...toIssues(e, t, path));
    }
  });
  try {
    config = mergeConfigs(config, custom);
  } catch (e) {
    issues.push(...toIssues(e, t, ['configurations']));
  }
  return config;
}

function runGenerators(t: Target, acc: Accumulated): void {
  const gens: { key: 'configMapGenerator' | 'secretGenerator'; i: number; make: () => Resource }[] = [];
  (t.k.configMapGenerator ?? []).forEach((g, i) =>
    gens.push({ key: 'configMapGenerator', i, make: () => generateConfigMap(g, mergeGeneratorOptions(g.options, t.k.generatorOptions), t.loader, t.file) }),
  );
  (t.k.secretGenerator ?? []).forEach((g, i) =>
    gens.push({ key: 'secretGenerator', i, make: () => generateSecret(g, mergeGeneratorOptions(g.options, t.k.generatorOptions), t.loader, t.file) }),
  );
  for (const g of gens) {
    const path = [g.key, g.i];
    try {
      absorb(acc.resMap, g.make());
    } catch (e) {
      throw new BuildFailure(toIssues(e, t, path));
    }
  }
}

/** kustomize's appendReplaceOrMerge for generated resources. */
function absorb(m: ResMap, res: Resource): void {
  const id = res.curId();
  const matches = m.byAnyId(id);
  if (matches.length === 0) {
    if (res.behavior === 'merge' || res.behavior === 'replace') {
      throw new GeneratorError(`${describeResId(id)} does not exist; cannot merge or replace`, ['behavior']);
    }
    m.append(res);
    return;
  }
  if (matches.length > 1) throw new GeneratorError(`found multiple objects that could accept merge of ${describeResId(id)}`);
  const old = matches[0]!;
  if (res.behavior !== 'merge' && res.behavior !== 'replace') {
    throw new GeneratorError(`${describeResId(id)} exists; behavior must be merge or replace`, ['behavior']);
  }
  m.replaceAt(m.indexOf(old), mergeGenerated(res, old, res.behavior));
}

function step(t: Target, m: ResMap, path: (string | number)[], fn: () => void): void {
  try {
    fn();
  } catch (e) {
    throw new BuildFailure(toIssues(e, t, path));
  } finally {
    m.dropEmpties();
    m.invalidate();
  }
}

function runTransformers(ctx: BuildContext, t: Target, acc: Accumulated): void {
  const k = t.k;
  const m = acc.resMap;
  const tc = acc.config;
  const limits = { maxAliasCount: ctx.options.maxAliasCount, maxDocumentBytes: ctx.options.maxDocumentBytes };
  if (k.patchesStrategicMerge?.length) step(t, m, ['patchesStrategicMerge'], () => applyPatchesStrategicMerge(m, k.patchesStrategicMerge!, t.loader, limits, t.locate));
  (k.patches ?? []).forEach((p, i) => step(t, m, ['patches', i], () => applyPatchEntry(m, p, t.loader, limits)));
  if (k.namespace) step(t, m, ['namespace'], () => applyNamespace(m, k.namespace!, tc.namespace));
  if (k.namePrefix) step(t, m, ['namePrefix'], () => applyNameAffix(m, k.namePrefix!, tc.namePrefix, 'prefix'));
  if (k.nameSuffix) step(t, m, ['nameSuffix'], () => applyNameAffix(m, k.nameSuffix!, tc.nameSuffix, 'suffix'));
  if (k.labels?.length || (k.commonLabels && Object.keys(k.commonLabels).length)) {
    (k.labels ?? []).forEach((label, i) =>
      step(t, m, ['labels', i], () => applyMapEntries(m, label.pairs, labelFieldSpecs(label, tc))),
    );
    step(t, m, ['commonLabels'], () => applyMapEntries(m, k.commonLabels, tc.commonLabels));
  }
  if (k.commonAnnotations && Object.keys(k.commonAnnotations).length) {
    step(t, m, ['commonAnnotations'], () => applyMapEntries(m, k.commonAnnotations, tc.commonAnnotations));
  }
  (k.patchesJson6902 ?? []).forEach((p, i) => step(t, m, ['patchesJson6902', i], () => applyJson6902Entry(m, p, t.loader)));
  (k.replicas ?? []).forEach((r, i) => step(t, m, ['replicas', i], () => applyReplicas(m, r, tc.replicas)));
  (k.images ?? []).forEach((img, i) => step(t, m, ['images', i], () => applyImage(m, img, tc.images)));
  if (k.replacements?.length) {
    const reps = (() => {
      try {
        return loadReplacements(k.replacements!, t.loader, limits);
      } catch (e) {
        throw new BuildFailure(toIssues(e, t, ['replacements']));
      }
    })();
    step(t, m, ['replacements'], () => applyReplacements(m, reps));
  }
}

/**
 * kustomize's accumulateTarget. `parent` is given for components, which add to and transform
 * their parent's resources; kustomizations start from an empty accumulator.
 */
export function accumulateTarget(ctx: BuildContext, t: Target, parent: Accumulated | undefined): Accumulated {
  const issues: Issue[] = [];
  let acc: Accumulated = parent ?? { resMap: new ResMap(), config: EMPTY_CONFIG };
  acc = accumulateResources(ctx, t, acc, issues);
  const config = loadConfigurations(t, issues);
  try {
    acc = { resMap: acc.resMap, config: mergeConfigs(acc.config, config) };
  } catch (e) {
    issues.push(...toIssues(e, t, ['configurations']));
  }
  if (issues.length) throw new BuildFailure(issues);
  runGenerators(t, acc);
  acc = accumulateComponents(ctx, t, acc, issues);
  if (issues.length) throw new BuildFailure(issues);
  runTransformers(ctx, t, acc);
  return acc;
}

/** kustomize's makeCustomizedResMap, then sorting and output cleanup: the final resources. */
export function buildTop(ctx: BuildContext, dir: string): { resources: Resource[]; target: Target } {
  let loader: TreeLoader;
  try {
    loader = TreeLoader.at(ctx.tree, dir, (p) => record(ctx, [p]));
  } catch (e) {
    if (e instanceof LoadError) throw new BuildFailure([{ code: 'InvalidRoot', file: dir || '.', path: [], message: e.message }]);
    throw e;
  }
  let t: Target;
  try {
    t = loadTarget(ctx, loader, 0);
  } catch (e) {
    if (e instanceof KustomizationFileError) throw new BuildFailure([{ code: e.code, file: e.dir, path: [], message: e.message }]);
    throw e;
  }
  const acc = accumulateTarget(ctx, t, undefined);
  const m = acc.resMap;
  try {
    addHashSuffixes(m.resources());
    m.invalidate();
    fixNameReferences(m.resources(), acc.config.nameReference);
  } catch (e) {
    throw new BuildFailure(toIssues(e, t, []));
  }
  const kept = m.resources().filter((r) => !isLocalConfig(r));
  return { resources: orderOutput(t, kept), target: t };
}

/** kustomize's applySortOrder: `sortOptions` of the top kustomization, legacy order by default. */
function orderOutput(t: Target, resources: Resource[]): Resource[] {
  const so = t.k.sortOptions;
  if (!so) return sortLegacy(resources);
  const order = so.order ?? '';
  if (order !== 'fifo' && order !== 'legacy') {
    throw new BuildFailure([issueAt(t, ['sortOptions', 'order'], "the field 'sortOptions.order' must be one of [fifo, legacy]", 'InvalidSortOptions')]);
  }
  if (order === 'fifo') {
    if (so.legacySortOptions) {
      throw new BuildFailure([issueAt(t, ['sortOptions', 'legacySortOptions'], "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'", 'InvalidSortOptions')]);
    }
    return resources;
  }
  if (!so.legacySortOptions) return sortLegacy(resources);
  return sortLegacy(resources, so.legacySortOptions.orderFirst ?? [], so.legacySortOptions.orderLast ?? []);
}

function isLocalConfig(r: Resource): boolean {
  const v = r.stringMap('annotations').get('config.kubernetes.io/local-config');
  return v !== undefined && v !== 'false';
}
