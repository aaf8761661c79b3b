/**
 * `patches`, `patchesStrategicMerge` and `patchesJson6902`, with kustomize's rules: a patch is a
 * strategic-merge patch when it parses as resources and a JSON 6902 patch when it parses as a
 * list of operations (never both); strategic-merge patches without a target apply to the resource
 * with their id, targeted ones to every selected resource; a patch keeps the target's name, kind
 * and namespace unless its options allow a name or kind change.
 */
import { BUILTIN_SCHEMA, type OpenApiSchema } from '../data/kind-info.js';
import type { FieldLocator, PatchEntry } from '../kustomization/kustomization-file.js';
import { toJsonValue, fromJsonValue, type JsonValue } from '../yaml/json-form.js';
import { applyJsonPatch, JsonPatchError, type JsonPatchOp } from './json-patch.js';
import { ResourceFileError, parseResourceFile } from '../kustomization/load-resources.js';
import type { ResMap } from '../kustomization/res-map.js';
import { describeResId, idKey, type Resource } from '../kustomization/resource.js';
import { compileSelector } from '../kustomization/resource-selector.js';
import { strategicMerge } from './strategic-merge.js';
import { TransformError } from './transform-error.js';
import { LoadError, type TreeLoader } from '../kustomization/tree-loader.js';
import { YamlSyntaxError, parseYamlDocuments, type YamlLimits } from '../yaml/yaml-parse.js';
import { cloneNode, type YMap } from '../yaml/yaml-value.js';

type LoadedPatch =
  | { readonly kind: 'smp'; readonly patches: Resource[]; readonly source: string }
  | { readonly kind: 'json'; readonly ops: JsonPatchOp[]; readonly source: string };

/** Go's strings.TrimSpace. */
function trimSpace(s: string): string {
  return s.replace(/^[\t\n\v\f\r \u0085\u00a0]+|[\t\n\v\f\r \u0085\u00a0]+$/g, '');
}

function loadFile(loader: TreeLoader, path: string, field: string): string {
  try {
    return Buffer.from(loader.load(path).data).toString('utf8');
  } catch (e) {
    if (e instanceof LoadError) throw new TransformError(`failed to read the patch file: ${e.message}`, undefined, undefined, [field]);
    throw e;
  }
}

/** kustomize's jsonPatchFromBytes: JSON text, or YAML converted to JSON (first document). */
function parseJsonOps(text: string, source: string): JsonPatchOp[] {
  if (text === '') throw new TransformError(`empty json patch operations in ${source}`);
  let value: JsonValue;
  if (text[0] === '[') {
    try {
      value = JSON.parse(text) as JsonValue;
    } catch (e) {
      throw new TransformError(`invalid JSON patch ${source}: ${(e as Error).message}`);
    }
  } else {
    const docs = parseYamlDocuments(text, { mode: 'v2' });
    value = docs[0] ? toJsonValue(docs[0].value) : null;
  }
  if (value === null) return [];
  if (!Array.isArray(value)) throw new TransformError(`json: cannot unmarshal ${typeof value === 'object' ? 'object' : typeof value} into Go value of type jsonpatch.Patch`);
  return value.map((op) => {
    if (op === null) return {};
    if (typeof op !== 'object' || Array.isArray(op)) throw new TransformError('json: cannot unmarshal a non-object into Go value of type jsonpatch.Operation');
    return op as JsonPatchOp;
  });
}

function parsePatch(text: string, source: string, limits: YamlLimits, options: Readonly<Record<string, boolean>> | undefined): LoadedPatch {
  let sm: Resource[] | undefined;
  let smErr: unknown;
  try {
    sm = parseResourceFile(text, source, limits);
  } catch (e) {
    smErr = e;
  }
  let ops: JsonPatchOp[] | undefined;
  let jsonErr: unknown;
  try {
    ops = parseJsonOps(text, source);
  } catch (e) {
    jsonErr = e;
  }
  if (sm && ops) throw new TransformError(`illegally qualifies as both an SM and JSON patch: ${source}`);
  if (!sm && !ops) {
    const why = smErr instanceof ResourceFileError && !(smErr.issue.code === 'MissingMetadata') ? `: ${smErr.issue.message}` : jsonErr instanceof YamlSyntaxError ? `: ${jsonErr.message}` : '';
    throw new TransformError(`unable to parse SM or JSON patch from ${source}${why}`);
  }
  if (sm) {
    for (const p of sm) {
      if (options?.allowNameChange) p.allowNameChange = true;
      if (options?.allowKindChange) p.allowKindChange = true;
    }
    return { kind: 'smp', patches: sm, source };
  }
  return { kind: 'json', ops: ops!, source };
}

function patchSource(p: PatchEntry): string {
  return p.patch ? `[patch: ${JSON.stringify(trimSpace(p.patch))}]` : `[path: ${JSON.stringify(p.path ?? '')}]`;
}

/** kustomize's Resource.ApplySmPatch. */
function applySmPatch(target: Resource, patch: Resource, api: OpenApiSchema): void {
  const { name, namespace, kind } = { name: target.name, namespace: target.namespace, kind: target.kind };
  if (patch.allowNameChange || patch.allowKindChange) target.storePreviousId();
  const kept = TransformError.wrap(target, undefined, () => strategicMerge(target.obj, cloneNode(patch.obj), api));
  if (!kept) return;
  if (!patch.allowKindChange) target.setKind(kind);
  if (!patch.allowNameChange) target.setName(name);
  target.setNamespace(namespace);
}

/**
 * The copy of a patch kustomize applies to each selected resource (resWrangler.ApplySmPatch):
 * labels and annotations re-set as strings, apiVersion taken from the target.
 */
function patchCopyFor(patch: Resource, target: Resource): Resource {
  const copy = patch.clone();
  copy.setStringMap('labels', patch.stringMap('labels'));
  copy.setStringMap('annotations', patch.stringMap('annotations'));
  copy.setNamespace(patch.namespace);
  copy.obj.set('apiVersion', target.apiVersion);
  copy.setKind(patch.kind);
  return copy;
}

function findUnique(m: ResMap, patch: Resource): Resource {
  const id = patch.orgId();
  const matches = m.byAnyId(id);
  if (matches.length === 1) return matches[0]!;
  const what = matches.length === 0 ? 'no matches' : 'multiple matches';
  throw new TransformError(`no unique resource matches strategic merge patch ${describeResId(id)} (${what})`, TransformError.refOf(patch));
}

function checkNoConflicts(m: ResMap): void {
  m.invalidate();
  const seen = new Set<string>();
  for (const r of m.resources()) {
    if (r.isEmpty()) continue;
    const k = idKey(r.curId());
    if (seen.has(k)) throw new TransformError(`may not add resource with an already registered id: ${describeResId(r.curId())}`, TransformError.refOf(r));
    seen.add(k);
  }
}

function applyJson(resources: readonly Resource[], ops: readonly JsonPatchOp[], storePrevious: boolean): void {
  for (const r of resources) {
    if (storePrevious) r.storePreviousId();
    let out: JsonValue;
    try {
      out = applyJsonPatch(toJsonValue(r.obj), ops);
    } catch (e) {
      if (e instanceof JsonPatchError) throw new TransformError(e.message, TransformError.refOf(r));
      throw e;
    }
    if (out === null || typeof out !== 'object' || Array.isArray(out)) {
      throw new TransformError('json: cannot unmarshal the patched document into an object', TransformError.refOf(r));
    }
    r.obj = fromJsonValue(out) as YMap;
  }
}

/** One `patches` entry (kustomize's PatchTransformer). */
export function applyPatchEntry(m: ResMap, p: PatchEntry, loader: TreeLoader, limits: YamlLimits, api: OpenApiSchema = BUILTIN_SCHEMA): void {
  const inline = trimSpace(p.patch ?? '');
  if (inline === '' && !p.path) throw new TransformError('must specify one of patch and path');
  if (inline !== '' && p.path) throw new TransformError("patch and path can't be set at the same time");
  const text = inline !== '' ? inline : loadFile(loader, p.path!, 'path');
  const loaded = parsePatch(text, patchSource(p), limits, p.options);
  if (loaded.kind === 'json') {
    if (!p.target) throw new TransformError(`must specify a target for JSON patch ${loaded.source}`, undefined, undefined, ['target']);
    const match = compileSelector(p.target);
    applyJson(m.resources().filter(match), loaded.ops, true);
    m.invalidate();
    return;
  }
  if (p.target) {
    if (loaded.patches.length > 1) {
      throw new TransformError(`Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field: ${loaded.source}`);
    }
    const patch = loaded.patches[0];
    if (!patch) return;
    const match = compileSelector(p.target);
    for (const r of m.resources().filter(match)) applySmPatch(r, patchCopyFor(patch, r), api);
    checkNoConflicts(m);
    return;
  }
  for (const patch of loaded.patches) {
    const target = findUnique(m, patch);
    applySmPatch(target, patch, api);
    m.invalidate();
  }
}

/** `patchesStrategicMerge`: each entry is patch content or a file of patches. */
export function applyPatchesStrategicMerge(m: ResMap, entries: readonly string[], loader: TreeLoader, limits: YamlLimits, _locate: FieldLocator, api: OpenApiSchema = BUILTIN_SCHEMA): void {
  const patches: Resource[] = [];
  entries.forEach((entry, i) => {
    try {
      patches.push(...parseResourceFile(entry, `patchesStrategicMerge[${i}]`, limits));
      return;
    } catch {
      // not patch content: a file path
    }
    const text = (() => {
      try {
        return Buffer.from(loader.load(entry).data).toString('utf8');
      } catch (e) {
        if (e instanceof LoadError) throw new TransformError(e.message, undefined, undefined, [i]);
        throw e;
      }
    })();
    try {
      patches.push(...parseResourceFile(text, loader.display(entry), limits));
    } catch (e) {
      if (e instanceof ResourceFileError) throw new TransformError(`${e.issue.file}${e.issue.line ? `:${e.issue.line}` : ''}: ${e.issue.message}`, undefined, undefined, [i]);
      throw e;
    }
  });
  if (patches.length === 0) throw new TransformError(`patch appears to be empty; files=[${entries.join(' ')}]`);
  for (const patch of patches) {
    const target = findUnique(m, patch);
    applySmPatch(target, patchCopyFor(patch, target), api);
    checkNoConflicts(m);
  }
}

/** One `patchesJson6902` entry (kustomize's PatchJson6902Transformer). */
export function applyJson6902Entry(m: ResMap, p: PatchEntry, loader: TreeLoader): void {
  if (!p.target?.name) throw new TransformError('must specify the target name', undefined, undefined, ['target', 'name']);
  if (!p.path && !p.patch) throw new TransformError('empty file path and empty jsonOp');
  if (p.path && p.patch) throw new TransformError('must specify a file path or jsonOp, not both');
  const text = p.path ? loadFile(loader, p.path, 'path') : p.patch!;
  if (text === '') throw new TransformError(`patch file '${p.path}' empty seems to be empty`, undefined, undefined, ['path']);
  const ops = parseJsonOps(text, patchSource(p));
  if (ops.length === 0) throw new TransformError(`patch appears to be empty; file=${p.path ?? ''}`);
  applyJson(m.resources().filter(compileSelector(p.target)), ops, false);
  m.invalidate();
}
