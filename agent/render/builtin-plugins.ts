/**
 * `transformers:` and `generators:` entries that configure kustomize's built-in plugins
 * (apiVersion: builtin): each configuration is decoded as kustomize's plugin struct reads it and
 * runs the same transformer or generator code the kustomization fields use. Exec and KRM-function
 * plugins (any other apiVersion) are refused: Drover runs no external code.
 */
import type { Issue } from '../core/errors.js';
import { issueAt, type Target } from './build-context.js';
import type { FieldSpec } from './kustomization/field-specs.js';
import { generateConfigMap, generateSecret } from './generators/generators.js';
import { addHashSuffixes } from './generators/hash-suffix.js';
import { applyImage } from './transformers/images-transformer.js';
import { decode } from './kustomization/kustomization-file.js';
import type { FieldSpecEntry, GeneratorEntry, ImageEntry, PatchEntry, ReplacementEntry, Selector } from './kustomization/kustomization-file.js';
import { BUILTIN_PLUGIN_TYPES } from './kustomization/kustomization-schema.js';
import { applyMapEntries } from './transformers/labels-transformer.js';
import { applyNameAffix } from './transformers/name-affix-transformer.js';
import { applyNamespace, ROLE_BINDING_SUBJECT_MODES, type RoleBindingSubjectMode } from './transformers/namespace-transformer.js';
import { BUILTIN_SCHEMA, type OpenApiSchema } from './data/kind-info.js';
import { applyJson6902Entry, applyPatchEntry, applyPatchesStrategicMerge } from './transformers/patch-transformer.js';
import { applyReplacements, loadReplacements } from './transformers/replacements.js';
import { applyReplicas } from './transformers/replicas-transformer.js';
import type { ResMap } from './kustomization/res-map.js';
import type { Resource } from './kustomization/resource.js';
import type { TransformError } from './transformers/transform-error.js';
import type { YamlLimits } from './yaml/yaml-parse.js';

/** One plugin configuration and the `transformers[i]`/`generators[i]` entry it came from. */
export interface PluginConfig {
  readonly res: Resource;
  readonly path: (string | number)[];
}

const GENERATORS = new Set(['ConfigMapGenerator', 'SecretGenerator']);
/** Built-in plugins kustomize has that Drover does not run, with the reason. */
const NOT_SUPPORTED: Readonly<Record<string, string>> = {
  HelmChartInflationGenerator: 'Helm charts are not supported (no exec)',
  IAMPolicyGenerator: 'IAMPolicyGenerator is not supported',
  ValueAddTransformer: 'ValueAddTransformer is not supported',
};

/** A problem with one plugin configuration, located at its entry. */
export class PluginConfigError extends Error {
  constructor(readonly issue: Issue) {
    super(issue.message);
  }
}

function describe(res: Resource): string {
  return `${res.kind || '<no kind>'}/${res.name || '<no name>'}`;
}

function fail(t: Target, cfg: PluginConfig, message: string, code: string): never {
  throw new PluginConfigError(issueAt(t, cfg.path, `${describe(cfg.res)}: ${message}`, code));
}

/** The plugin's kind once it is known to be a built-in of the right role; refuses everything else. */
function builtinKind(t: Target, cfg: PluginConfig, role: 'transformer' | 'generator'): string {
  const { res } = cfg;
  if (res.apiVersion !== 'builtin') {
    fail(t, cfg, `${role} plugins are not supported (no exec or KRM functions); only kustomize's built-in ${role}s (apiVersion: builtin) run`, 'PluginNotSupported');
  }
  const kind = res.kind;
  if (kind in NOT_SUPPORTED) fail(t, cfg, NOT_SUPPORTED[kind]!, 'PluginNotSupported');
  if (kind === 'SortOrderTransformer') fail(t, cfg, 'kustomize cannot load SortOrderTransformer as a plugin; use the sortOptions field', 'UnknownBuiltinPlugin');
  if (!(kind in BUILTIN_PLUGIN_TYPES)) fail(t, cfg, `kustomize has no built-in plugin of kind "${kind}"`, 'UnknownBuiltinPlugin');
  if (GENERATORS.has(kind) !== (role === 'generator')) fail(t, cfg, `built-in ${kind} is not a ${role}`, 'PluginWrongRole');
  return kind;
}

/** Decodes the configuration like the plugin's yaml.Unmarshal: typed, unknown fields ignored. */
function configOf<T>(t: Target, cfg: PluginConfig, kind: string): T {
  const problems: string[] = [];
  const fmt = (path: (string | number)[]): string => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('');
  const decoded = decode(cfg.res.obj, BUILTIN_PLUGIN_TYPES[kind]!, [], (path, message, code) => {
    if (code !== 'UnknownField') problems.push(`${fmt(path)}: ${message}`);
  });
  if (problems.length) fail(t, cfg, `invalid configuration: ${problems.join('; ')}`, 'InvalidPluginConfig');
  return (decoded ?? {}) as T;
}

function toFieldSpecs(entries: FieldSpecEntry[] | undefined): FieldSpec[] {
  return (entries ?? []).map((e) => ({ group: e.group ?? '', version: e.version ?? '', kind: e.kind ?? '', path: e.path ?? '', create: e.create ?? false }));
}

interface TransformerConfigs {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  fieldSpecs?: FieldSpecEntry[];
  metadata?: { namespace?: string };
  unsetOnly?: boolean;
  setRoleBindingSubjects?: string;
  prefix?: string;
  suffix?: string;
  imageTag?: ImageEntry;
  replica?: { name?: string; count?: number };
  path?: string;
  patch?: string;
  target?: Selector;
  options?: Record<string, boolean>;
  paths?: string[];
  patches?: string;
  jsonOp?: string;
  replacements?: ReplacementEntry[];
}

/** Runs one built-in transformer configuration on the resources (kustomize's LoadTransformer, then Transform). */
export function applyBuiltinTransformer(t: Target, m: ResMap, cfg: PluginConfig, limits: YamlLimits, api: OpenApiSchema = BUILTIN_SCHEMA): void {
  const kind = builtinKind(t, cfg, 'transformer');
  const c = configOf<TransformerConfigs>(t, cfg, kind);
  const specs = toFieldSpecs(c.fieldSpecs);
  switch (kind) {
    case 'LabelTransformer':
      return applyMapEntries(m, c.labels, specs, true);
    case 'AnnotationsTransformer':
      return applyMapEntries(m, c.annotations, specs);
    case 'NamespaceTransformer': {
      const mode = c.setRoleBindingSubjects || 'defaultOnly';
      if (!(ROLE_BINDING_SUBJECT_MODES as readonly string[]).includes(mode)) {
        fail(t, cfg, `invalid value "${mode}" for setRoleBindingSubjects: must be one of ${ROLE_BINDING_SUBJECT_MODES.map((x) => `"${x}"`).join(', ')}`, 'InvalidPluginConfig');
      }
      return applyNamespace(m, c.metadata?.namespace ?? '', specs, { unsetOnly: c.unsetOnly ?? false, subjects: mode as RoleBindingSubjectMode });
    }
    case 'PrefixSuffixTransformer':
    case 'PrefixTransformer':
    case 'SuffixTransformer':
      if (c.fieldSpecs === undefined) fail(t, cfg, 'fieldSpecs is missing: name the fields to change, e.g. fieldSpecs: [{path: metadata/name}]', 'InvalidPluginConfig');
      if (kind !== 'SuffixTransformer') applyNameAffix(m, c.prefix ?? '', specs, 'prefix');
      if (kind !== 'PrefixTransformer') applyNameAffix(m, c.suffix ?? '', specs, 'suffix');
      return;
    case 'ImageTagTransformer':
      return applyImage(m, c.imageTag ?? {}, specs);
    case 'ReplicaCountTransformer':
      return applyReplicas(m, c.replica ?? {}, specs);
    case 'PatchTransformer': {
      const p: PatchEntry = { path: c.path, patch: c.patch, target: c.target, options: c.options };
      return applyPatchEntry(m, p, t.loader, limits, api);
    }
    case 'PatchStrategicMergeTransformer': {
      if (!c.paths?.length && !c.patches) fail(t, cfg, 'empty file path and empty patch content', 'InvalidPluginConfig');
      return applyPatchesStrategicMerge(m, [...(c.paths ?? []), ...(c.patches ? [c.patches] : [])], t.loader, limits, t.locate, api);
    }
    case 'PatchJson6902Transformer':
      return applyJson6902Entry(m, { target: c.target, path: c.path, patch: c.jsonOp }, t.loader);
    case 'ReplacementTransformer':
      return applyReplacements(m, loadReplacements(c.replacements ?? [], t.loader, limits));
    case 'HashTransformer':
      return addHashSuffixes(m.resources());
  }
}

/** Runs one built-in generator configuration (its `metadata` names the object unless `name`/`namespace` do). */
export function generateFromBuiltin(t: Target, cfg: PluginConfig): Resource {
  const kind = builtinKind(t, cfg, 'generator');
  const c = configOf<GeneratorEntry & { metadata?: { name?: string; namespace?: string } }>(t, cfg, kind);
  const entry: GeneratorEntry = { ...c, name: c.name || c.metadata?.name, namespace: c.namespace || c.metadata?.namespace };
  delete (entry as { metadata?: unknown }).metadata;
  if (entry.env) entry.envs = [...(entry.envs ?? []), entry.env];
  // Plugin generators take only their own options, never the kustomization's generatorOptions.
  return kind === 'SecretGenerator' ? generateSecret(entry, entry.options, t.loader, t.file) : generateConfigMap(entry, entry.options, t.loader, t.file);
}

/** A TransformError from a plugin, located at its entry and naming the configuration. */
export function pluginIssue(t: Target, cfg: PluginConfig, e: TransformError): Issue {
  const msg = e.field ? `${e.field}: ${e.message}` : e.message;
  return issueAt(t, cfg.path, `${describe(cfg.res)}: ${msg}`, 'TransformFailed', e.object ? { object: e.object } : {});
}
