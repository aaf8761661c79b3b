/**
 * Reads a kustomization file as kustomize does: YAML 1.1 scalars (go-yaml v2, so `y` is a
 * boolean), then a strict typed decode (encoding/json with DisallowUnknownFields: field names
 * match case-insensitively, null leaves a field unset, a number or boolean is no string). Every
 * problem is collected with its line and column.
 */
import type { Issue } from '../../core/errors.js';
import { kustomizationType, UNSUPPORTED_FIELDS, type FieldType } from './kustomization-schema.js';
import { YamlLimitError, YamlSyntaxError, parseYamlDocuments, type Pos, type YamlLimits } from '../yaml/yaml-parse.js';
import { YScalar, type YNode } from '../yaml/yaml-value.js';

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  annotationSelector?: string;
  labelSelector?: string;
}

export interface FieldSpecEntry {
  group?: string;
  version?: string;
  kind?: string;
  path?: string;
  create?: boolean;
}

export interface PatchEntry {
  path?: string;
  patch?: string;
  target?: Selector;
  options?: Record<string, boolean>;
}

export interface GeneratorOptionsEntry {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorEntry {
  namespace?: string;
  name?: string;
  behavior?: string;
  literals?: string[];
  files?: string[];
  envs?: string[];
  env?: string;
  options?: GeneratorOptionsEntry;
  type?: string;
}

export interface FieldOptionsEntry {
  delimiter?: string;
  index?: number;
  encoding?: string;
  create?: boolean;
}

export interface ReplacementEntry {
  source?: Selector & { fieldPath?: string; options?: FieldOptionsEntry };
  targets?: { select?: Selector; reject?: Selector[]; fieldPaths?: string[]; options?: FieldOptionsEntry }[];
  path?: string;
}

export interface ImageEntry {
  name?: string;
  newName?: string;
  tagSuffix?: string;
  newTag?: string;
  digest?: string;
}

export interface LabelEntry {
  pairs?: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
  fields?: FieldSpecEntry[];
}

export interface VarEntry {
  name?: string;
  objref?: { apiVersion?: string; group?: string; version?: string; kind?: string; name?: string; namespace?: string };
  fieldref?: { fieldPath?: string };
}

export interface Kustomization {
  kind?: string;
  apiVersion?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  commonLabels?: Record<string, string>;
  labels?: LabelEntry[];
  commonAnnotations?: Record<string, string>;
  patchesStrategicMerge?: string[];
  patchesJson6902?: PatchEntry[];
  patches?: PatchEntry[];
  images?: ImageEntry[];
  imageTags?: ImageEntry[];
  replacements?: ReplacementEntry[];
  replicas?: { name?: string; count?: number }[];
  sortOptions?: { order?: string; legacySortOptions?: { orderFirst?: string[]; orderLast?: string[] } };
  resources?: string[];
  components?: string[];
  bases?: string[];
  configMapGenerator?: GeneratorEntry[];
  secretGenerator?: GeneratorEntry[];
  generatorOptions?: GeneratorOptionsEntry;
  configurations?: string[];
  vars?: VarEntry[];
  /** Built-in transformer configurations: inline YAML, files, or kustomizations that output them. */
  transformers?: string[];
  /** Built-in generator configurations, listed like `transformers`. */
  generators?: string[];
  buildMetadata?: string[];
  crds?: string[];
  /** `path` (a custom OpenAPI document) or `version` (a built-in schema); other keys are ignored. */
  openapi?: Record<string, string>;
}

/** Where each field of the file is: `pos(['patches', 0, 'path'])`. */
export interface FieldLocator {
  (path: ReadonlyArray<string | number>): Pos | undefined;
}

export interface ParsedKustomization {
  readonly kustomization: Kustomization;
  readonly locate: FieldLocator;
}

const SEP = '\u0000';

function jsonKind(v: YNode): string {
  if (typeof v === 'string') return 'string';
  if (v instanceof YScalar) {
    switch (v.tag) {
      case 'bool':
        return 'bool';
      case 'int':
      case 'float':
        return 'number';
      case 'null':
        return 'null';
      default:
        return 'string';
    }
  }
  return Array.isArray(v) ? 'array' : 'object';
}

const GO_TYPE: Record<FieldType['t'], (t: FieldType) => string> = {
  string: () => 'string',
  bool: () => 'bool',
  int: () => 'int64',
  list: (t) => `[]${goType((t as { of: FieldType }).of)}`,
  map: (t) => `map[string]${goType((t as { of: FieldType }).of)}`,
  struct: (t) => (t as { name: string }).name,
};

function goType(t: FieldType): string {
  return GO_TYPE[t.t](t);
}

/**
 * Parses and decodes a kustomization file. Throws a list of issues (never partial data) when the
 * file is malformed or has unknown, unsupported or mistyped fields.
 */
export function parseKustomization(text: string, file: string, limits?: YamlLimits): ParsedKustomization | { issues: Issue[] } {
  let value: YNode;
  let positions: Map<string, Pos>;
  try {
    const docs = parseYamlDocuments(text, { mode: 'v2', positions: true, ...(limits ? { limits } : {}) });
    const first = docs[0];
    value = first?.value ?? new Map();
    positions = first?.positions ?? new Map();
  } catch (e) {
    if (e instanceof YamlLimitError) return { issues: [{ code: 'OverLimit', file, line: e.line, col: e.col, path: [], message: e.message }] };
    if (e instanceof YamlSyntaxError) {
      return { issues: [{ code: 'MalformedYAML', file, line: e.line, col: e.col, path: [], message: `invalid YAML: ${e.message}` }] };
    }
    throw e;
  }
  const issues: Issue[] = [];
  // The position of a field, or of its nearest ancestor that is written in the file.
  const locate: FieldLocator = (path) => {
    for (let n = path.length; n >= 0; n--) {
      const key = path.slice(0, n).map(String).join(SEP);
      const p = positions.get(key ? `${SEP}${key}${SEP}#key` : '') ?? positions.get(key ? `${SEP}${key}` : '');
      if (p) return p;
    }
    return undefined;
  };
  const at = (path: (string | number)[], message: string, code: string): void => {
    const p = locate(path);
    issues.push({ code, file, line: p?.line, col: p?.col, path, message });
  };
  if (!(value instanceof Map)) {
    if (value instanceof YScalar && value.tag === 'null') value = new Map();
    else {
      at([], `a kustomization must be a mapping, not ${jsonKind(value)}`, 'InvalidKustomization');
      return { issues };
    }
  }
  const decoded = decode(value, kustomizationType, [], at, true);
  if (issues.length > 0) return { issues };
  return { kustomization: (decoded ?? {}) as Kustomization, locate };
}

export type Report = (path: (string | number)[], message: string, code: string) => void;

/** A strict typed decode of `v` (encoding/json semantics); problems go to `report`. */
export function decode(v: YNode, t: FieldType, path: (string | number)[], report: Report, top = false): unknown {
  if (v instanceof YScalar && v.tag === 'null') return undefined;
  const kind = jsonKind(v);
  const mismatch = (): undefined => {
    report(path, `expected ${goType(t)}, got ${kind === 'bool' ? 'a boolean' : kind === 'number' ? 'a number' : kind === 'string' ? 'a string' : kind === 'array' ? 'a list' : 'a mapping'}`, 'InvalidFieldType');
    return undefined;
  };
  switch (t.t) {
    case 'string':
      return kind === 'string' ? (v instanceof YScalar ? v.raw : v) : mismatch();
    case 'bool':
      if (kind !== 'bool') return mismatch();
      return ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].includes((v as YScalar).raw);
    case 'int': {
      if (kind !== 'number') return mismatch();
      const raw = (v as YScalar).raw.replaceAll('_', '');
      const n = Number((v as YScalar).tag === 'int' ? BigInt(toDecimal(raw)) : raw);
      if (!Number.isInteger(n)) {
        report(path, `expected an integer, got ${(v as YScalar).raw}`, 'InvalidFieldType');
        return undefined;
      }
      return n;
    }
    case 'list': {
      if (!Array.isArray(v)) return mismatch();
      return v.map((item, i) => decode(item, t.of, [...path, i], report) ?? zeroOf(t.of));
    }
    case 'map': {
      if (!(v instanceof Map)) return mismatch();
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const [k, item] of v) out[k] = decode(item, t.of, [...path, k], report) ?? zeroOf(t.of);
      return out;
    }
    case 'struct': {
      if (!(v instanceof Map)) return mismatch();
      const out: Record<string, unknown> = {};
      const byLower = new Map(Object.keys(t.fields).map((f) => [f.toLowerCase(), f]));
      for (const [k, item] of v) {
        const name = k in t.fields ? k : byLower.get(k.toLowerCase());
        if (name === undefined) {
          if (top && k in UNSUPPORTED_FIELDS) report([...path, k], `unsupported field "${k}": ${UNSUPPORTED_FIELDS[k]}`, 'UnsupportedField');
          else report([...path, k], `unknown field "${k}"`, 'UnknownField');
          continue;
        }
        const decoded = decode(item, t.fields[name]!, [...path, k], report);
        if (decoded !== undefined) out[name] = decoded;
        else delete out[name];
      }
      return out;
    }
  }
}

function toDecimal(raw: string): string {
  const neg = raw.startsWith('-');
  const body = raw.replace(/^[-+]/, '');
  let v: bigint;
  if (/^0[xX]/.test(body)) v = BigInt(body);
  else if (/^0[oO]/.test(body)) v = BigInt(`0o${body.slice(2)}`);
  else if (/^0[bB]/.test(body)) v = BigInt(body);
  else if (/^0[0-7]+$/.test(body)) v = BigInt(`0o${body.slice(1)}`);
  else v = BigInt(body);
  return (neg ? -v : v).toString();
}

function zeroOf(t: FieldType): unknown {
  switch (t.t) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
      return 0;
    default:
      return undefined;
  }
}
