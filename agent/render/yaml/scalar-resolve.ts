/**
 * Plain-scalar resolution of the two YAML libraries kustomize uses: go-yaml v3 for resources
 * (YAML 1.2-ish: only true/false are booleans) and go-yaml v2 for kustomization files (YAML 1.1:
 * y/yes/on are booleans too), plus the typed value a scalar decodes to when kustomize prints it.
 */
import { isYamlStyleFloat, parseGoInt, parseYamlTimestamp } from './go-format.js';
import { YScalar } from './yaml-value.js';

export type JsonScalar = string | number | bigint | boolean | null;

const V3_BOOL = new Map([
  ['true', true], ['True', true], ['TRUE', true],
  ['false', false], ['False', false], ['FALSE', false],
]);
const V2_BOOL = new Map([
  ['y', true], ['Y', true], ['yes', true], ['Yes', true], ['YES', true],
  ['true', true], ['True', true], ['TRUE', true],
  ['on', true], ['On', true], ['ON', true],
  ['n', false], ['N', false], ['no', false], ['No', false], ['NO', false],
  ['false', false], ['False', false], ['FALSE', false],
  ['off', false], ['Off', false], ['OFF', false],
]);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = new Map([
  ['.nan', NaN], ['.NaN', NaN], ['.NAN', NaN],
  ['.inf', Infinity], ['.Inf', Infinity], ['.INF', Infinity],
  ['+.inf', Infinity], ['+.Inf', Infinity], ['+.INF', Infinity],
  ['-.inf', -Infinity], ['-.Inf', -Infinity], ['-.INF', -Infinity],
]);

type Resolved =
  | { tag: 'str'; value: string }
  | { tag: 'null'; value: null }
  | { tag: 'bool'; value: boolean }
  | { tag: 'int'; value: bigint }
  | { tag: 'float'; value: number }
  | { tag: 'timestamp'; value: string };

function resolvePlain(s: string, bools: ReadonlyMap<string, boolean>, timestamps: boolean): Resolved {
  if (NULLS.has(s)) return { tag: 'null', value: null };
  const b = bools.get(s);
  if (b !== undefined) return { tag: 'bool', value: b };
  const special = SPECIAL_FLOATS.get(s);
  if (special !== undefined) return { tag: 'float', value: special };
  const c = s[0]!;
  if (c === '.') {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s)) {
      const v = Number(s);
      if (Number.isFinite(v)) return { tag: 'float', value: v };
    }
    return { tag: 'str', value: s };
  }
  if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    if (timestamps) {
      const t = parseYamlTimestamp(s);
      if (t !== undefined) return { tag: 'timestamp', value: t };
    }
    const plain = s.includes('_') ? s.replaceAll('_', '') : s;
    const i = parseGoInt(plain) ?? parseGoInt(plain, true);
    if (i !== undefined) return { tag: 'int', value: i };
    if (isYamlStyleFloat(plain)) {
      const v = Number(plain);
      if (Number.isFinite(v)) return { tag: 'float', value: v };
    }
  }
  return { tag: 'str', value: s };
}

/** go-yaml v3: the node a plain scalar becomes in a resource (a string, or a typed scalar). */
export function resolvePlainV3(s: string): string | YScalar {
  const r = resolvePlain(s, V3_BOOL, true);
  return r.tag === 'str' ? s : new YScalar(r.tag, s);
}

/**
 * go-yaml v3 with an explicit tag (`!!int 5`, `!!str 5`): the node, or an error message when the
 * text does not fit the tag (go-yaml's "cannot decode !!str `x` as a !!int").
 */
export function resolveTaggedV3(tag: string, s: string): string | YScalar | { error: string } {
  const short = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
  switch (short) {
    case '!!str':
    case '!!binary':
      return s;
    case '!!null':
    case '!!bool':
    case '!!int':
    case '!!float':
    case '!!timestamp': {
      const want = short.slice(2);
      const r = resolvePlain(s, V3_BOOL, true);
      if (r.tag === want && r.tag !== 'str') return new YScalar(r.tag, s);
      if (want === 'float' && r.tag === 'int') return new YScalar('float', s);
      return { error: `cannot decode !!${r.tag} \`${s}\` as a ${short}` };
    }
    default:
      // Unknown tags: go-yaml keeps the text as a string.
      return s;
  }
}

/** go-yaml v2 into interface{} (kustomization files): timestamps stay strings. */
export function resolvePlainV2(s: string): JsonScalar {
  const r = resolvePlain(s, V2_BOOL, false);
  if (r.tag === 'int') return toJsNumber(r.value);
  return r.value;
}

export function toJsNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * The JSON value go-yaml v3 decodes a typed scalar to (what kustomize marshals): ints as numbers
 * (bigint beyond 2^53), timestamps as RFC 3339 strings. Throws on NaN/Inf like json.Marshal.
 */
export function scalarToJson(s: YScalar): JsonScalar {
  switch (s.tag) {
    case 'null':
      return null;
    case 'bool':
      return V3_BOOL.get(s.raw) ?? V2_BOOL.get(s.raw) ?? false;
    case 'timestamp':
      return parseYamlTimestamp(s.raw) ?? s.raw;
    case 'int': {
      const plain = s.raw.replaceAll('_', '');
      const v = parseGoInt(plain) ?? parseGoInt(plain, true);
      if (v !== undefined) return toJsNumber(v);
      return floatOf(s.raw);
    }
    case 'float':
      return floatOf(s.raw);
  }
}

function floatOf(raw: string): number {
  const special = SPECIAL_FLOATS.get(raw);
  const v = special ?? Number(raw.startsWith('.') ? raw : raw.replaceAll('_', ''));
  if (!Number.isFinite(v)) throw new UnsupportedJsonValueError(Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf');
  return v;
}

export class UnsupportedJsonValueError extends Error {
  constructor(readonly what: string) {
    super(`json: unsupported value: ${what}`);
  }
}

/** The tag go-yaml v2 would give `s` written as a plain scalar (its encoder quotes non-"str"). */
export function v2PlainTag(s: string): string {
  return resolvePlain(s, V2_BOOL, true).tag;
}
