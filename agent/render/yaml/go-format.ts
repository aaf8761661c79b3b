/**
 * Number and time text exactly as Go's strconv, encoding/json and time packages write them, since
 * kustomize prints every value through json.Marshal and then go-yaml v2.
 */

/** The shortest decimal digits of |x| and its decimal exponent (x = 0.d1d2… × 10^(exp+1)). */
function shortestDigits(x: number): { digits: string; exp: number } {
  const [mant, e] = Math.abs(x).toExponential().split('e') as [string, string];
  return { digits: mant.replace('.', ''), exp: Number(e) };
}

function expSuffix(exp: number): string {
  const a = Math.abs(exp);
  return `e${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
}

function fixedFromDigits(digits: string, exp: number): string {
  if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return frac ? `${intPart}.${frac}` : intPart;
}

function sign(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/** strconv.FormatFloat(x, 'g', -1, 64), with go-yaml's .inf/.nan spellings. */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  if (x === 0) return `${sign(x)}0`;
  const { digits, exp } = shortestDigits(x);
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign(x)}${mant}${expSuffix(exp)}`;
  }
  return sign(x) + fixedFromDigits(digits, exp);
}

/** strconv.FormatFloat(x, 'f', -1, 64): the shortest digits, never an exponent. */
export function formatGoFixedFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return `${sign(x)}0`;
  const { digits, exp } = shortestDigits(x);
  return sign(x) + fixedFromDigits(digits, exp);
}

/** encoding/json's text for a float64 (the number kustomize puts in JSON). */
export function formatGoJsonFloat(x: number): string {
  if (x === 0) return `${sign(x)}0`;
  const abs = Math.abs(x);
  const { digits, exp } = shortestDigits(x);
  if (abs < 1e-6 || abs >= 1e21) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const a = Math.abs(exp);
    return `${sign(x)}${mant}e${exp < 0 ? '-' : '+'}${a}`;
  }
  return sign(x) + fixedFromDigits(digits, exp);
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

/**
 * Go's strconv.ParseInt(s, 0, 64) (and, when `unsigned`, ParseUint): optional sign, 0x/0o/0b
 * prefixes, a leading 0 meaning octal. Returns undefined on syntax error or overflow.
 */
export function parseGoInt(s: string, unsigned = false): bigint | undefined {
  let i = 0;
  let neg = false;
  if (!unsigned && (s[0] === '+' || s[0] === '-')) {
    neg = s[0] === '-';
    i = 1;
  }
  let base = 10;
  let body = s.slice(i);
  if (body.length >= 2 && body[0] === '0') {
    const p = body[1]!.toLowerCase();
    if (p === 'x') base = 16;
    else if (p === 'o') base = 8;
    else if (p === 'b') base = 2;
    if (base !== 10) body = body.slice(2);
    else base = 8;
  }
  if (body === '') return undefined;
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 10 ? /^[0-9]+$/ : base === 8 ? /^[0-7]+$/ : /^[01]+$/;
  if (!valid.test(body)) return undefined;
  let v: bigint;
  if (base === 10) v = BigInt(body);
  else v = BigInt((base === 16 ? '0x' : base === 8 ? '0o' : '0b') + body);
  if (neg) v = -v;
  if (unsigned ? v > UINT64_MAX : v > INT64_MAX || v < INT64_MIN) return undefined;
  return v;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseFloat for decimal text matched by go-yaml's float pattern; undefined on overflow. */
export function parseGoDecimalFloat(s: string): number | undefined {
  if (!YAML_STYLE_FLOAT.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

export function isYamlStyleFloat(s: string): boolean {
  return YAML_STYLE_FLOAT.test(s);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(month: number, year: number): number {
  if (month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

const TS_FULL = /^(\d{4})-(\d{1,2})-(\d{1,2})([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})?$/;
const TS_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * go-yaml's timestamp resolution (the four layouts it tries with time.Parse), returning the value
 * as Go's time.Time marshals to JSON (RFC 3339 with nanoseconds), or undefined when not a timestamp.
 */
export function parseYamlTimestamp(s: string): string | undefined {
  if (!/^\d{4}-/.test(s)) return undefined;
  const date = TS_DATE.exec(s);
  if (date) {
    const [, y, mo, d] = date.map(Number) as [number, number, number, number];
    if (mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y)) return undefined;
    return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T00:00:00Z`;
  }
  const m = TS_FULL.exec(s);
  if (!m) return undefined;
  const sep = m[4]!;
  const zone = m[9];
  // Layouts: T/t separators require a zone; the space-separated one takes none.
  if (sep === ' ' ? zone !== undefined : zone === undefined) return undefined;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[5], m[6], m[7]].map(Number) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysIn(mo!, y!) || h! > 23 || mi! > 59 || se! > 59) return undefined;
  let frac = (m[8] ?? '').slice(0, 9).replace(/0+$/, '');
  frac = frac ? `.${frac}` : '';
  let tz = 'Z';
  if (zone && zone !== 'Z') {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 24 || zm > 60) return undefined;
    if (zh !== 0 || zm !== 0) tz = zone;
  }
  return `${pad(y!, 4)}-${pad(mo!)}-${pad(d!)}T${pad(h!)}:${pad(mi!)}:${pad(se!)}${frac}${tz}`;
}
