/**
 * kustomize's accumulateTarget: a kustomization's resources (files and bases, recursively, each
 * base built once per build and shared through caches), its field-spec configurations, its
 * generators, its components, then its transformers; last its vars tag the objects they name.
 *
 * A failing entry does not stop its siblings (so a fleet reports every broken overlay at once),
 * but a kustomization with a failed entry skips its own transformers, so one mistake does not
 * cascade into noise.
 */
import type { Issue } from '../core/errors.js';
import { BuildFailure, cloneAccumulated, issueAt, openApiId, record, toIssues, type Accumulated, type BuildContext, type CachedBase, type Target } from './build-context.js';
import { EMPTY_CONFIG, defaultConfig, mergeConfigs, parseTransformerConfig, type TransformerConfig } from './kustomization/field-specs.js';
import { CrdConfigError, configFromCrdDefinitions } from './kustomization/crd-config.js';
import { toJsonValue, type JsonValue } from './yaml/json-form.js';
import { ResourceFileError, parseResourceFile } from './kustomization/load-resources.js';
import { parseYamlDocuments } from './yaml/yaml-parse.js';
import { loadTarget } from './kustomization/load-target.js';
import type { PluginConfig } from './builtin-plugins.js';
import { ResMap } from './kustomization/res-map.js';
import type { Resource } from './kustomization/resource.js';
import { runGenerators } from './run-generators.js';
import { runTransformers } from './run-transformers.js';
import { LoadError, type TreeLoader } from './kustomization/tree-loader.js';
import { EMPTY_VARS, mergeKustomizationVars, mergeVarSets } from './transformers/vars.js';
import { applyOpenApiField, useOpenApi } from './load-openapi.js';

/** Builds the base in `loader`'s directory (cached per directory) and returns a private copy. */
function accumulateBase(ctx: BuildContext, t: Target, loader: TreeLoader, rel: string, path: (string | number)[]): Accumulated {
  // A base built under another schema setting is built again (its patches may merge differently).
  const openapiIn = openApiId(ctx.openapi);
  const hit = ctx.bases.get(loader.root) ?? ctx.shared?.get(loader.root, ctx.tree);
  const cached = hit?.openapiIn === openapiIn ? hit : undefined;
  if (cached) {
    ctx.bases.set(loader.root, cached);
    record(ctx, cached.deps);
    ctx.openapi = cached.openapiOut;
    return cloneAccumulated(cached.acc);
  }
  if (t.depth + 1 > ctx.options.maxDepth) throw new BuildFailure([issueAt(t, path, `bases nested deeper than ${ctx.options.maxDepth} levels`, 'TooDeep')]);
  const deps = new Set<string>([loader.root]);
  ctx.recording.push(deps);
  let acc: Accumulated;
  try {
    const sub = loadTarget(ctx, loader, t.depth + 1);
    applyOpenApiField(ctx, sub, false);
    if (sub.k.kind === 'Component') throw new BuildFailure([issueAt(t, path, `"${rel}" is a Component; list it under components, not resources`, 'ComponentAsResource')]);
    acc = accumulateTarget(ctx, sub, undefined);
  } finally {
    ctx.recording.pop();
  }
  record(ctx, deps);
  const entry: CachedBase = { acc, deps, openapiIn, openapiOut: ctx.openapi };
  ctx.bases.set(loader.root, entry);
  ctx.shared?.set(loader.root, ctx.tree, entry);
  return cloneAccumulated(acc);
}

/** Where resources are listed: `resources`, or plugin configurations under `transformers`/`generators`. */
type ResourceField = 'resources' | 'transformers' | 'generators';

function accumulateResources(ctx: BuildContext, t: Target, ra: Accumulated, issues: Issue[], field: ResourceField = 'resources', only?: ReadonlySet<number>): Accumulated {
  let acc = ra;
  (t.k[field] ?? []).forEach((rel, i) => {
    if (only && !only.has(i)) return;
    const path = [field, i];
    try {
      // A directory (the common case in fleets) skips the attempt to read it as a file.
      const isDirectory = t.loader.isPlainDirectory(rel);
      let fileErr: unknown;
      let resources: Resource[] | undefined;
      if (!isDirectory) {
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
      }
      if (resources) {
        acc.resMap.appendAll(resources);
        useOpenApi(ctx, resources);
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
      useOpenApi(ctx, base.resMap.resources());
      const merged = mergeVarSets(acc.vars, base.vars, (message) => issueAt(t, path, message, 'VarConflict'));
      issues.push(...merged.issues);
      acc = { resMap: acc.resMap, config: mergeConfigs(acc.config, base.config), vars: merged.vars };
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
      applyOpenApiField(ctx, sub, false);
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

/** kustomize's LoadConfigFromCRDs: field specs declared by the OpenAPI definitions in `crds:` files. */
function loadCrdConfigs(ctx: BuildContext, t: Target, issues: Issue[]): TransformerConfig {
  let config = EMPTY_CONFIG;
  (t.k.crds ?? []).forEach((rel, i) => {
    const path = ['crds', i];
    try {
      const { path: file, data } = t.loader.load(rel);
      const text = Buffer.from(data).toString('utf8');
      let defs: JsonValue;
      try {
        if (text.startsWith('{')) defs = JSON.parse(text) as JsonValue;
        else defs = toJsonValue(parseYamlDocuments(text, { limits: { maxAliasCount: ctx.options.maxAliasCount, maxDocumentBytes: ctx.options.maxDocumentBytes } })[0]?.value ?? new Map());
      } catch (e) {
        throw new CrdConfigError(`unable to parse open API definition from '${rel}': ${(e as Error).message} (${file})`);
      }
      config = mergeConfigs(config, configFromCrdDefinitions(defs));
    } catch (e) {
      if (e instanceof CrdConfigError) issues.push(issueAt(t, path, e.message, 'InvalidCrds'));
      else issues.push(...toIssues(e, t, path));
    }
  });
  return config;
}

/**
 * The plugin configurations a `transformers:` or `generators:` list names, as kustomize's
 * configureExternalTransformers gathers them: inline YAML entries first, then files and
 * kustomization directories (built like bases), all in one resource map (so two configurations
 * with the same kind and name conflict).
 */
function loadPluginConfigs(ctx: BuildContext, t: Target, field: 'transformers' | 'generators', issues: Issue[]): PluginConfig[] {
  const entries = t.k[field] ?? [];
  if (entries.length === 0) return [];
  const acc: Accumulated = { resMap: new ResMap(), config: EMPTY_CONFIG, vars: EMPTY_VARS };
  const entryOf = new Map<Resource, number>();
  const files: number[] = [];
  entries.forEach((text, i) => {
    let inline: Resource[] = [];
    try {
      inline = parseResourceFile(text, t.file, { maxAliasCount: ctx.options.maxAliasCount, maxDocumentBytes: ctx.options.maxDocumentBytes });
    } catch {
      // not inline YAML: a path
    }
    if (inline.length === 0) {
      files.push(i);
      return;
    }
    for (const r of inline) {
      try {
        acc.resMap.append(r);
        entryOf.set(r, i);
      } catch (e) {
        issues.push(...toIssues(e, t, [field, i]));
      }
    }
  });
  for (const i of files) {
    const before = acc.resMap.size;
    accumulateResources(ctx, t, acc, issues, field, new Set([i]));
    for (const r of acc.resMap.resources().slice(before)) entryOf.set(r, i);
  }
  return acc.resMap.resources().map((res) => ({ res, path: [field, entryOf.get(res) ?? 0] }));
}

/**
 * kustomize's accumulateTarget. `parent` is given for components, which add to and transform
 * their parent's resources; kustomizations start from an empty accumulator.
 */
export function accumulateTarget(ctx: BuildContext, t: Target, parent: Accumulated | undefined): Accumulated {
  const issues: Issue[] = [];
  let acc: Accumulated = parent ?? { resMap: new ResMap(), config: EMPTY_CONFIG, vars: EMPTY_VARS };
  acc = accumulateResources(ctx, t, acc, issues);
  const config = loadConfigurations(t, issues);
  try {
    acc = { ...acc, config: mergeConfigs(acc.config, config) };
  } catch (e) {
    issues.push(...toIssues(e, t, ['configurations']));
  }
  const crdConfig = loadCrdConfigs(ctx, t, issues);
  try {
    acc = { ...acc, config: mergeConfigs(acc.config, crdConfig) };
  } catch (e) {
    issues.push(...toIssues(e, t, ['crds']));
  }
  const generators = loadPluginConfigs(ctx, t, 'generators', issues);
  if (issues.length) throw new BuildFailure(issues);
  runGenerators(t, acc, generators);
  acc = accumulateComponents(ctx, t, acc, issues);
  const transformers = loadPluginConfigs(ctx, t, 'transformers', issues);
  if (issues.length) throw new BuildFailure(issues);
  runTransformers(ctx, t, acc, transformers);
  const merged = mergeKustomizationVars(t, acc.resMap, acc.vars);
  if (merged.issues.length) throw new BuildFailure(merged.issues);
  return { ...acc, vars: merged.vars };
}
