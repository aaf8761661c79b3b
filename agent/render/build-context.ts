/**
 * What the build steps share: the build context (tree, options, base caches), the kustomization
 * being built (a Target), accumulated resources, and how failures become located Issues.
 */
import type { FileTree } from '../core/file-tree.js';
import type { Issue } from '../core/errors.js';
import type { BuildOptions } from './build-options.js';
import { ConfigMergeError, type TransformerConfig } from './kustomization/field-specs.js';
import { GeneratorError } from './generators/generators.js';
import type { FieldLocator, Kustomization } from './kustomization/kustomization-file.js';
import { ResourceFileError } from './kustomization/load-resources.js';
import { IdConflictError, ResMap } from './kustomization/res-map.js';
import { TransformError } from './transformers/transform-error.js';
import { LoadError, type TreeLoader } from './kustomization/tree-loader.js';
import { VarError, type VarSet } from './transformers/vars.js';
import type { OpenApiState } from './kustomization/openapi-config.js';

/** Thrown with every issue found; the public API turns it into a RenderError. */
export class BuildFailure extends Error {
  constructor(readonly issues: Issue[]) {
    super(issues.map((i) => i.message).join('\n'));
  }
}

export interface Accumulated {
  readonly resMap: ResMap;
  readonly config: TransformerConfig;
  /** The vars of the kustomization and everything it includes. */
  readonly vars: VarSet;
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
  /** The build's OpenAPI schema setting (kustomize's is global and changes as kustomizations load). */
  openapi: OpenApiState;
}

export interface CachedBase {
  readonly acc: Accumulated;
  /** Every directory and file (real paths) the base's build read. */
  readonly deps: ReadonlySet<string>;
  /** The schema setting the base was built under (`set` and key), and the one it left. */
  readonly openapiIn: string;
  readonly openapiOut: OpenApiState;
}

/** A cache of accumulated bases that survives builds, validated by content hashes. */
export interface SharedBaseCache {
  get(dir: string, tree: FileTree): CachedBase | undefined;
  set(dir: string, tree: FileTree, value: CachedBase): void;
}

/** Identifies a schema setting for the base caches. */
export function openApiId(s: OpenApiState): string {
  return `${s.set ? 'set' : 'unset'}:${s.initialized ? 'init' : 'pending'}:${s.pending.key}:${s.key}`;
}

export function record(ctx: BuildContext, paths: Iterable<string>): void {
  if (ctx.recording.length === 0) return;
  for (const p of paths) for (const set of ctx.recording) set.add(p);
}

export interface Target {
  readonly loader: TreeLoader;
  readonly k: Kustomization;
  /** Repo-relative path of the kustomization file. */
  readonly file: string;
  readonly locate: FieldLocator;
  readonly depth: number;
}

export function cloneAccumulated(a: Accumulated): Accumulated {
  const m = new ResMap();
  m.setAll(a.resMap.resources().map((r) => r.clone()));
  return { resMap: m, config: a.config, vars: a.vars };
}

export function issueAt(t: Target, path: (string | number)[], message: string, code: string, extra: Partial<Issue> = {}): Issue {
  const p = t.locate(path);
  return { code, file: t.file, line: p?.line, col: p?.col, path, message, ...extra };
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

/** Converts anything thrown while handling one kustomization entry into issues. */
export function toIssues(e: unknown, t: Target, path: (string | number)[]): Issue[] {
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
  if (e instanceof VarError) return [e.toIssue('VarFailed')];
  throw e;
}
