/**
 * configMapGenerator and secretGenerator: key/value pairs from env files, literals and files
 * (in that order, as kustomize reads them), the generated object, and kustomize's generator
 * options (labels, annotations, immutable, hash suffix) and behaviors (create/merge/replace).
 */
import type { GeneratorEntry, GeneratorOptionsEntry } from '../kustomization/kustomization-file.js';
import { Resource, type Behavior } from '../kustomization/resource.js';
import type { TreeLoader } from '../kustomization/tree-loader.js';
import { YScalar, scalarText, type YMap } from '../yaml/yaml-value.js';

export class GeneratorError extends Error {
  constructor(
    message: string,
    /** The generator field at fault, relative to the generator entry: ['literals', 2]. */
    readonly path: (string | number)[] = [],
  ) {
    super(message);
  }
}

/** kustomize's MergeGlobalOptionsIntoLocal: the entry's own options win over generatorOptions. */
export function mergeGeneratorOptions(local: GeneratorOptionsEntry | undefined, global: GeneratorOptionsEntry | undefined): GeneratorOptionsEntry | undefined {
  if (!global) return local;
  const out: GeneratorOptionsEntry = { ...(local ?? {}) };
  if (out.labels === undefined) {
    if (global.labels !== undefined) out.labels = { ...global.labels };
  } else out.labels = { ...global.labels, ...out.labels };
  if (out.annotations === undefined) {
    if (global.annotations !== undefined) out.annotations = { ...global.annotations };
  } else out.annotations = { ...global.annotations, ...out.annotations };
  if (global.disableNameSuffixHash) out.disableNameSuffixHash = true;
  if (global.immutable) out.immutable = true;
  return out;
}

/** Go's unicode.IsSpace. */
function isGoSpace(c: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(c);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The pairs of an env file (kustomize's keyValuesFromLines). */
function parseEnvFile(bytes: Uint8Array, index: number): [string, string][] {
  const out: [string, string][] = [];
  // bufio.Scanner lines: split on \n, a trailing \r dropped.
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (i === bytes.length && start === i) break;
      let end = i;
      if (end > start && bytes[end - 1] === 0x0d) end--;
      lines.push(bytes.subarray(start, end));
      start = i + 1;
    }
  }
  lines.forEach((raw, n) => {
    let line = decodeUtf8(raw);
    if (line === undefined) throw new GeneratorError(`line ${n} has invalid utf8 bytes`, ['envs', index]);
    if (n === 0 && line.startsWith('\ufeff')) line = line.slice(1);
    let i = 0;
    while (i < line.length && isGoSpace(line[i]!)) i++;
    line = line.slice(i);
    if (line.length === 0 || line[0] === '#') return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    const value = eq < 0 ? '' : line.slice(eq + 1);
    if (key.length === 0) return;
    out.push([key, value]);
  });
  return out;
}

function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s;
  return s[0] === '"' || s[0] === "'" ? s.slice(1, -1) : s;
}

function fileSourceKey(source: string, index: number): [string, string] {
  const n = source.split('=').length - 1;
  if (n === 0) return [source.slice(source.lastIndexOf('/') + 1) || source, source];
  if (n === 1 && source.startsWith('=')) throw new GeneratorError(`missing key name for file path "${source.slice(1)}" in source "${source}"`, ['files', index]);
  if (n === 1 && source.endsWith('=')) throw new GeneratorError(`missing file path for key name "${source.slice(0, -1)}" in source "${source}"`, ['files', index]);
  if (n > 1) throw new GeneratorError(`source "${source}" key name or file path contains '='`, ['files', index]);
  const [k, p] = source.split('=') as [string, string];
  return [k, p];
}

type Value = { text: string } | { bytes: Uint8Array };

function loadPairs(entry: GeneratorEntry, loader: TreeLoader): [string, Value][] {
  const pairs: [string, Value][] = [];
  const envs = [...(entry.envs ?? []), ...(entry.env ? [entry.env] : [])];
  envs.forEach((p, i) => {
    const { data } = loadOrFail(loader, p, i < (entry.envs ?? []).length ? ['envs', i] : ['env']);
    for (const [k, v] of parseEnvFile(data, i)) pairs.push([k, { text: v }]);
  });
  (entry.literals ?? []).forEach((s, i) => {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new GeneratorError(`invalid literal source ${s}, expected key=value`, ['literals', i]);
    pairs.push([s.slice(0, eq), { text: removeQuotes(s.slice(eq + 1)) }]);
  });
  (entry.files ?? []).forEach((s, i) => {
    const [key, path] = fileSourceKey(s, i);
    const { data } = loadOrFail(loader, path, ['files', i]);
    pairs.push([key, { bytes: data }]);
  });
  return pairs;
}

function loadOrFail(loader: TreeLoader, path: string, at: (string | number)[]): { data: Uint8Array } {
  try {
    return loader.load(path);
  } catch (e) {
    throw new GeneratorError((e as Error).message, at);
  }
}

/** Go's base64 with kustomize's 70-column line breaks (each line ends with "\n" when split). */
function encodeBase64(bytes: Uint8Array): string {
  const enc = Buffer.from(bytes).toString('base64');
  const lines = Math.floor(enc.length / 70) + 1;
  if (lines === 1) return enc;
  let out = '';
  for (let i = 0; i < enc.length; i += 70) out += `${enc.slice(i, i + 70)}\n`;
  return out;
}

const bytesOf = (v: Value): Uint8Array => ('bytes' in v ? v.bytes : Buffer.from(v.text, 'utf8'));

function behaviorOf(s: string | undefined): Behavior {
  return s === 'create' || s === 'merge' || s === 'replace' ? s : 'unspecified';
}

function baseObject(kind: string, entry: GeneratorEntry): YMap {
  if (!entry.name) throw new GeneratorError('a configmap must have a name', ['name']);
  const metadata: YMap = new Map([['name', entry.name]]);
  if (entry.namespace) metadata.set('namespace', entry.namespace);
  return new Map<string, YMap | string>([
    ['apiVersion', 'v1'],
    ['kind', kind],
    ['metadata', metadata],
  ]);
}

function uniquePairs(entry: GeneratorEntry, pairs: [string, Value][]): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [k, v] of pairs) {
    if (out.has(k)) throw new GeneratorError(`configmap ${entry.name} illegally repeats the key \`${k}\``);
    out.set(k, v);
  }
  return out;
}

function applyOptions(obj: YMap, opts: GeneratorOptionsEntry | undefined): void {
  if (!opts) return;
  const metadata = obj.get('metadata') as YMap;
  const labels = Object.keys(opts.labels ?? {}).sort();
  if (labels.length) metadata.set('labels', new Map(labels.map((k) => [k, opts.labels![k]!])));
  const annotations = Object.keys(opts.annotations ?? {}).sort();
  if (annotations.length) metadata.set('annotations', new Map(annotations.map((k) => [k, opts.annotations![k]!])));
  if (opts.immutable) obj.set('immutable', new YScalar('bool', 'true'));
}

function finish(obj: YMap, entry: GeneratorEntry, opts: GeneratorOptionsEntry | undefined, file: string): Resource {
  applyOptions(obj, opts);
  const r = new Resource(obj, { file, generatedBy: obj.get('kind') === 'Secret' ? 'SecretGenerator' : 'ConfigMapGenerator' });
  r.needsHashSuffix = !opts?.disableNameSuffixHash;
  r.behavior = behaviorOf(entry.behavior);
  return r;
}

export function generateConfigMap(entry: GeneratorEntry, opts: GeneratorOptionsEntry | undefined, loader: TreeLoader, file: string): Resource {
  const obj = baseObject('ConfigMap', entry);
  const pairs = uniquePairs(entry, loadPairs(entry, loader));
  for (const k of [...pairs.keys()].sort()) {
    const v = pairs.get(k)!;
    const text = 'text' in v ? v.text : decodeUtf8(v.bytes);
    const field = text === undefined ? 'binaryData' : 'data';
    let m = obj.get(field) as YMap | undefined;
    if (!m) obj.set(field, (m = new Map()));
    m.set(k, text ?? encodeBase64(bytesOf(v)));
  }
  return finish(obj, entry, opts, file);
}

export function generateSecret(entry: GeneratorEntry, opts: GeneratorOptionsEntry | undefined, loader: TreeLoader, file: string): Resource {
  const obj = baseObject('Secret', entry);
  obj.set('type', entry.type || 'Opaque');
  const pairs = uniquePairs(entry, loadPairs(entry, loader));
  const data: YMap = new Map();
  obj.set('data', data);
  for (const k of [...pairs.keys()].sort()) data.set(k, encodeBase64(bytesOf(pairs.get(k)!)));
  return finish(obj, entry, opts, file);
}

function stringMapOf(obj: YMap, field: string): Map<string, string> {
  const out = new Map<string, string>();
  const m = obj.get(field);
  if (m instanceof Map) for (const [k, v] of m) out.set(k, scalarText(v));
  return out;
}

function setDataMap(obj: YMap, field: 'data' | 'binaryData', values: Map<string, string>): void {
  obj.delete(field);
  if (values.size === 0) return;
  const m: YMap = new Map();
  for (const k of [...values.keys()].sort()) m.set(k, values.get(k)!);
  obj.set(field, m);
}

/**
 * kustomize's appendReplaceOrMerge for a generated resource whose id already exists: `replace`
 * keeps the old name, namespace, labels and annotations (new ones win); `merge` also merges
 * data and binaryData. Returns the resource that takes the old one's place.
 */
export function mergeGenerated(fresh: Resource, old: Resource, behavior: 'merge' | 'replace'): Resource {
  const labels = new Map([...old.stringMap('labels'), ...fresh.stringMap('labels')]);
  const annotations = new Map([...old.stringMap('annotations'), ...fresh.stringMap('annotations')]);
  fresh.setStringMap('labels', labels);
  fresh.setStringMap('annotations', annotations);
  fresh.setName(old.name);
  fresh.setNamespace(old.namespace);
  const needsHash = old.needsHashSuffix && fresh.needsHashSuffix;
  fresh.copyMetaFrom(old);
  fresh.needsHashSuffix = needsHash;
  fresh.behavior = old.behavior;
  if (behavior === 'merge') {
    setDataMap(fresh.obj, 'data', new Map([...stringMapOf(old.obj, 'data'), ...stringMapOf(fresh.obj, 'data')]));
    setDataMap(fresh.obj, 'binaryData', new Map([...stringMapOf(old.obj, 'binaryData'), ...stringMapOf(fresh.obj, 'binaryData')]));
  }
  return fresh;
}
