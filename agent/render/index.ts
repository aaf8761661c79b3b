/**
 * Drover's kustomize: builds a kustomization from an in-memory FileTree and prints the result
 * exactly as `kustomize build` (kustomize v5.5) does. Pure: no filesystem, network or exec.
 *
 * Layout: yaml/ (reading and printing YAML as kustomize's go-yaml does), kustomization/ (the
 * kustomization file, its loader and the resource model), transformers/ and generators/ (one
 * file per kustomize transformer or generator), data/ (kustomize's built-in tables); the build
 * itself (accumulate, run transformers and generators, plugin configurations) sits here.
 */
import { RenderError, type Issue } from '../core/errors.js';
import type { FileTree } from '../core/file-tree.js';
import type { KubeObject } from '../core/kube-object.js';
import { normalizeTreePath } from '../core/file-tree.js';
import { defaultBuildOptions, type BuildOptions } from './build-options.js';
import { BuildFailure, buildTop, type BuildContext } from './build.js';
import { toJsonValue, type JsonValue } from './yaml/json-form.js';
import { FORBIDDEN } from './yaml/scalar-style.js';
import { RenderCache } from './render-cache.js';
import type { Resource } from './kustomization/resource.js';
import { UnsupportedJsonValueError, scalarToJson } from './yaml/scalar-resolve.js';
import { parseYamlDocuments } from './yaml/yaml-parse.js';
import { YScalar, type YNode } from './yaml/yaml-value.js';
import { TransformError } from './transformers/transform-error.js';
import { withLoadedScopes } from './data/kind-info.js';
import { INITIAL_OPENAPI_STATE } from './kustomization/openapi-config.js';
import { formatYamlDocument, YamlOutputError } from './yaml/yaml-emit.js';

export { defaultBuildOptions, LoadRestrictor, type BuildOptions } from './build-options.js';

/** The path of the first string (key or value) kustomize could not print, if any. */
function unprintable(v: JsonValue, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof v === 'string') return FORBIDDEN.test(v) ? [...path] : undefined;
  if (v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (x === null || (typeof x !== 'object' && typeof x !== 'string')) continue;
      path.push(i);
      const p = unprintable(x, path);
      path.pop();
      if (p) return p;
    }
    return undefined;
  }
  for (const k in v) {
    if (FORBIDDEN.test(k)) return [...path, k];
    const x = v[k]!;
    if (x === null || (typeof x !== 'object' && typeof x !== 'string')) continue;
    path.push(k);
    const p = unprintable(x, path);
    path.pop();
    if (p) return p;
  }
  return undefined;
}

/** The first scalar json.Marshal refuses (NaN or infinity), by path. */
function unsupportedValue(v: YNode, path: (string | number)[]): (string | number)[] | undefined {
  if (v instanceof YScalar) {
    try {
      scalarToJson(v);
      return undefined;
    } catch {
      return path;
    }
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = unsupportedValue(v[i]!, [...path, i]);
      if (p) return p;
    }
  } else if (v instanceof Map) {
    for (const [k, x] of v) {
      const p = unsupportedValue(x, [...path, k]);
      if (p) return p;
    }
  }
  return undefined;
}

/** Where a field of a resource is written in its source file, when it can still be found there. */
function locateField(tree: FileTree, r: Resource, path: (string | number)[]): { line?: number; col?: number } {
  const data = tree.readFile(r.origin.file);
  if (!data) return { line: r.origin.line };
  try {
    const docs = parseYamlDocuments(Buffer.from(data).toString('utf8'), { positions: true, limits: { maxAliasCount: -1, maxDocumentBytes: Infinity } });
    const doc = docs.find((d) => d.line === r.origin.line);
    const pos = doc?.positions?.get(path.map((p) => `\u0000${p}`).join(''));
    return pos ? { line: pos.line, col: pos.col } : { line: r.origin.line };
  } catch {
    return { line: r.origin.line };
  }
}

function toKubeObject(r: Resource, tree: FileTree): KubeObject {
  // kustomize rewrites every resource's annotations when it strips its build annotations:
  // values become strings and an empty map disappears.
  r.setStringMap('annotations', r.stringMap('annotations'));
  try {
    const json = toJsonValue(r.obj);
    const bad = unprintable(json);
    if (bad) {
      throw new BuildFailure([
        { code: 'UnprintableValue', file: r.origin.file, ...locateField(tree, r, bad), object: TransformError.refOf(r), path: bad, message: 'control characters are not allowed (kustomize cannot print them)' },
      ]);
    }
    return json as unknown as KubeObject;
  } catch (e) {
    if (e instanceof UnsupportedJsonValueError) {
      const path = unsupportedValue(r.obj, []) ?? [];
      throw new BuildFailure([{ code: 'UnsupportedValue', file: r.origin.file, ...locateField(tree, r, path), object: TransformError.refOf(r), path, message: `${e.message} (kustomize cannot print NaN or infinity)` }]);
    }
    throw e;
  }
}

function run(tree: FileTree, dir: string, options: BuildOptions, cache: RenderCache | undefined, deps?: Set<string>): KubeObject[] {
  const ctx: BuildContext = { tree, options, bases: new Map(), shared: cache, recording: deps ? [deps] : [], openapi: INITIAL_OPENAPI_STATE };
  try {
    const { resources } = withLoadedScopes(() => ctx.openapi.schema.scopes, () => buildTop(ctx, normalizeTreePath(dir)));
    return resources.map((r) => toKubeObject(r, tree));
  } catch (e) {
    if (e instanceof BuildFailure) throw new RenderError(dedupe(e.issues));
    throw e;
  }
}

function dedupe(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = JSON.stringify([i.file, i.line, i.col, i.path, i.message]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Builds the kustomization at `dir` (repo-relative POSIX path) of the tree. Throws RenderError
 * with every issue found, each with file/line/col and field path where known.
 */
export function buildKustomization(tree: FileTree, dir: string, options: BuildOptions = defaultBuildOptions()): KubeObject[] {
  return run(tree, dir, options, undefined);
}

/** Serializes objects exactly like `kustomize build` stdout (documents joined by "---\n"). */
export function formatYamlStream(objects: readonly KubeObject[]): string {
  const docs: string[] = [];
  for (const o of objects) {
    try {
      docs.push(formatYamlDocument(o as never));
    } catch (e) {
      if (e instanceof YamlOutputError) {
        const meta = (o.metadata ?? {}) as { name?: string; namespace?: string };
        throw new RenderError([
          { code: 'UnprintableValue', object: { apiVersion: String(o.apiVersion), kind: String(o.kind), name: meta.name ?? '', namespace: meta.namespace }, path: [], message: e.message },
        ]);
      }
      throw e;
    }
  }
  return docs.join('---\n');
}

/** What a renderer keeps: built bases, and whole builds by directory. */
export interface Renderer {
  /**
   * The objects of the kustomization at `dir`. Deeply frozen and shared between calls: a build
   * whose every input (each directory and file it read, by FileTree.hashOf) is unchanged returns
   * the very same objects; copy before changing any.
   */
  build(tree: FileTree, dir: string): readonly KubeObject[];
}

/**
 * A renderer with two caches keyed by FileTree.hashOf (git tree and blob OIDs): whole builds, by
 * directory, reused while every directory and file the build read has the same hash (a commit
 * that touches nothing an environment reaches costs one hash comparison per input, and no
 * build); and accumulated bases (RenderCache), so a commit that changes one cluster overlay
 * rebuilds that overlay and the environment's top, nothing else. Trees without hashes (a local
 * directory) are built every time.
 */
export function createRenderer(options: BuildOptions = defaultBuildOptions()): Renderer {
  const bases = new RenderCache();
  const builds = new BuildCache();
  return {
    build(tree: FileTree, dir: string): readonly KubeObject[] {
      const key = normalizeTreePath(dir);
      const hit = builds.get(key, tree);
      if (hit) return hit;
      // The directory itself first: its hash covers every file in it, including ones the build
      // probed for and did not find (kustomization.yml, Kustomization).
      const deps = new Set<string>([key]);
      const objects = run(tree, dir, options, bases, deps);
      for (const o of objects) deepFreeze(o);
      Object.freeze(objects);
      builds.set(key, tree, deps, objects);
      return objects;
    },
  };
}

/** Whole builds by directory, each with the hashes of what it read; the last few directories kept. */
class BuildCache {
  private readonly entries = new Map<string, { readonly hashes: ReadonlyMap<string, string>; readonly objects: readonly KubeObject[] }>();
  constructor(private readonly max = 16) {}

  get(dir: string, tree: FileTree): readonly KubeObject[] | undefined {
    const e = this.entries.get(dir);
    if (!e) return undefined;
    for (const [path, hash] of e.hashes) {
      if (tree.hashOf(path) !== hash) return undefined;
    }
    return e.objects;
  }

  set(dir: string, tree: FileTree, deps: ReadonlySet<string>, objects: readonly KubeObject[]): void {
    this.entries.delete(dir);
    const hashes = new Map<string, string>();
    for (const path of deps) {
      const h = tree.hashOf(path);
      if (h === undefined) return;
      hashes.set(path, h);
    }
    this.entries.set(dir, { hashes, objects });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}
