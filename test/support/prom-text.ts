/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests that
 * scrape `/metrics`: every line must be a HELP, a TYPE, another comment or a well-formed sample;
 * names and label names must be valid; each family's samples must follow its TYPE and stay
 * together; no series twice; histograms must have cumulative buckets ending in `le="+Inf"` equal
 * to `_count`, and `_sum`. Any violation throws naming the line.
 */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PromFamily {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly help: string;
  readonly samples: PromSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parsePromText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily & { samples: PromSample[]; help: string }>();
  const closed = new Set<string>();
  const series = new Set<string>();
  let current: string | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('exposition does not end with a newline');
  lines.forEach((line, i) => {
    const where = `line ${i + 1} (${JSON.stringify(line.slice(0, 80))})`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // another comment
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: invalid metric name ${name}`);
      if (closed.has(name)) throw new Error(`${where}: ${name} described again after its samples`);
      const fam = families.get(name) ?? { name, type: 'untyped' as const, help: '', samples: [] };
      if (current && current !== name) closed.add(current);
      current = name;
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`${where}: unknown type ${rest}`);
        if (fam.samples.length) throw new Error(`${where}: TYPE after samples of ${name}`);
        families.set(name, { ...fam, type: rest as PromFamily['type'] });
      } else {
        families.set(name, { ...fam, help: unescapeHelp(rest) });
      }
      return;
    }
    const sample = parseSample(line, where);
    const family = familyOf(sample.name, families);
    if (!family) throw new Error(`${where}: sample ${sample.name} has no TYPE`);
    if (closed.has(family.name)) throw new Error(`${where}: samples of ${family.name} are not together`);
    if (current && current !== family.name) closed.add(current);
    current = family.name;
    const id = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (series.has(id)) throw new Error(`${where}: series ${id} appears twice`);
    series.add(id);
    family.samples.push(sample);
  });
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

/** The family a sample belongs to: its own name, or a histogram/summary's with a suffix. */
function familyOf(name: string, families: Map<string, PromFamily>): PromFamily | undefined {
  const own = families.get(name);
  if (own) return own;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  const base = m ? families.get(m[1]!) : undefined;
  if (base && (base.type === 'histogram' || (base.type === 'summary' && m![2] !== 'bucket'))) return base;
  return undefined;
}

function parseSample(line: string, where: string): PromSample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
  if (!m) throw new Error(`${where}: not a sample`);
  const labels: Record<string, string> = {};
  let rest = m[3] ?? '';
  while (rest.length) {
    const l = /^([^=]+)="((?:[^"\\]|\\.)*)"(,|$)/.exec(rest);
    if (!l) throw new Error(`${where}: bad labels ${rest}`);
    const [whole, name, raw] = l as unknown as [string, string, string];
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`${where}: invalid label name ${name}`);
    if (name in labels) throw new Error(`${where}: label ${name} twice`);
    if (/\\[^\\"n]/.test(raw)) throw new Error(`${where}: bad escape in ${name}`);
    labels[name] = raw.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(whole.length);
  }
  return { name: m[1]!, labels, value: parseValue(m[4]!, where) };
}

function parseValue(text: string, where: string): number {
  // As Go's strconv.ParseFloat, which Prometheus uses: NaN and Inf in any case (prom-client writes `Nan`).
  if (/^nan$/i.test(text)) return NaN;
  const inf = /^([-+]?)inf(inity)?$/i.exec(text);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${where}: bad value ${text}`);
  return Number(text);
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
}

function checkHistogram(f: PromFamily): void {
  const groups = new Map<string, { buckets: Array<[number, number]>; sum?: number; count?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const g = groups.get(key) ?? { buckets: [] };
    groups.set(key, g);
    if (s.name === `${f.name}_bucket`) {
      if (le === undefined) throw new Error(`${f.name}: bucket without le ${key}`);
      g.buckets.push([parseValue(le, f.name), s.value]);
    } else if (s.name === `${f.name}_sum`) g.sum = s.value;
    else if (s.name === `${f.name}_count`) g.count = s.value;
    else throw new Error(`${f.name}: unexpected sample ${s.name}`);
  }
  for (const [key, g] of groups) {
    if (g.sum === undefined || g.count === undefined) throw new Error(`${f.name}${key}: _sum or _count missing`);
    const sorted = [...g.buckets].sort((a, b) => a[0] - b[0]);
    if (sorted.at(-1)?.[0] !== Infinity) throw new Error(`${f.name}${key}: no le="+Inf" bucket`);
    for (let i = 1; i < sorted.length; i++) if (sorted[i]![1] < sorted[i - 1]![1]) throw new Error(`${f.name}${key}: buckets not cumulative`);
    if (sorted.at(-1)![1] !== g.count) throw new Error(`${f.name}${key}: +Inf bucket ${sorted.at(-1)![1]} differs from _count ${g.count}`);
  }
}

/** The samples of `name` (a family or a histogram's `_bucket`/`_sum`/`_count`) whose labels include `labels`. */
export function findSamples(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): PromSample[] {
  const out: PromSample[] = [];
  for (const f of families.values()) for (const s of f.samples) if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) out.push(s);
  return out;
}

/** Sum of the values of findSamples. */
export function sumSamples(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): number {
  return findSamples(families, name, labels).reduce((n, s) => n + s.value, 0);
}
