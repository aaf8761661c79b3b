/**
 * Reads YAML the way kustomize does: the text is split into documents on `\n---…\n` lines by hand
 * (kyaml's splitDocuments), each document is parsed on its own, anchors and aliases are expanded
 * and `<<` merge keys applied (kyaml's DeAnchor). Plain scalars resolve like go-yaml v3 (resources)
 * or v2 (kustomization files). Errors carry the file's line and column.
 */
import type { Alias} from 'yaml';
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { foldedThroughKustomize } from './folded-scalar.js';
import { reindentQuotedContinuations } from './quoted-continuations.js';
import { resolvePlainV2, resolvePlainV3, resolveTaggedV3 } from './scalar-resolve.js';
import { YScalar, cloneNode, type YMap, type YNode } from './yaml-value.js';

export interface YamlLimits {
  /** The yaml package's maxAliasCount: bounds alias expansion (billion laughs); -1 disables. */
  readonly maxAliasCount: number;
  /** Documents larger than this many bytes are rejected. */
  readonly maxDocumentBytes: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxAliasCount: 100, maxDocumentBytes: 16 * 1024 * 1024 };

export type ScalarMode = 'v3' | 'v2';

export interface Pos {
  readonly line: number;
  readonly col: number;
}

export interface ParsedDocument {
  readonly value: YNode;
  /** 1-based line of the document's first line in the file. */
  readonly line: number;
  /** Positions of fields, keyed by path joined with "\u0000" ("" is the root), when requested. */
  readonly positions?: Map<string, Pos>;
}

export class YamlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
    readonly col: number | undefined,
  ) {
    super(message);
  }
}

/** A document over one of Drover's safety limits (size, alias expansion): valid YAML, refused. */
export class YamlLimitError extends YamlSyntaxError {}

/** kyaml's splitDocuments: pieces between `\n---…\n` separators, with their start offsets. */
export function splitDocuments(text: string): { text: string; offset: number }[] {
  const docs: { text: string; offset: number }[] = [];
  if (text.length === 0) return docs;
  const sep = /\n---.*\n/g;
  let prev = 0;
  for (let m = sep.exec(text); m; m = sep.exec(text)) {
    const after = m[0].slice(4).trim();
    if (after.length > 0 && after[0] !== '#') {
      throw new YamlSyntaxError(`invalid document separator: ${m[0].trim()}`, lineOf(text, m.index + 1), 1);
    }
    docs.push({ text: text.slice(prev, m.index), offset: prev });
    prev = m.index + m[0].length;
  }
  docs.push({ text: text.slice(prev), offset: prev });
  return docs;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  pos(offset: number): Pos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo]! + 1 };
  }
}

class NeedsAliasCheck extends Error {}

interface ConvertContext {
  readonly doc: Document;
  readonly mode: ScalarMode;
  readonly allowAliases: boolean;
  readonly converted: Map<YamlNode, YNode>;
  readonly positions: Map<string, Pos> | undefined;
  readonly index: LineIndex;
  readonly base: number;
  /** Length of the document text, when it does not end with a line break (else -1). */
  readonly openEnd: number;
}

function positionOf(ctx: ConvertContext, node: YamlNode | null | undefined): Pos | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : ctx.index.pos(ctx.base + start);
}

function fail(ctx: ConvertContext, node: YamlNode | null | undefined, message: string): never {
  const p = positionOf(ctx, node);
  throw new YamlSyntaxError(message, p?.line, p?.col);
}

function convertScalar(ctx: ConvertContext, node: YamlNode & { value: unknown; type?: string; tag?: string }): YNode {
  const text = String(node.value ?? '');
  if (node.tag && node.tag !== '!') {
    if (ctx.mode === 'v2') return node.tag.endsWith(':str') ? text : resolvePlainV2AsNode(text);
    const r = resolveTaggedV3(node.tag, text);
    if (typeof r === 'object' && 'error' in r) fail(ctx, node, r.error);
    return r;
  }
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    // libyaml keeps a block scalar's final line break only if the text has one; the yaml
    // package adds it even when the block ends the input without a newline.
    const end = node.range?.[1];
    const v = ctx.openEnd >= 0 && end !== undefined && end >= ctx.openEnd && text.endsWith('\n') ? text.slice(0, -1) : text;
    return node.type === 'BLOCK_FOLDED' && ctx.mode === 'v3' ? foldedThroughKustomize(v) : v;
  }
  if (node.type !== 'PLAIN') return text;
  return ctx.mode === 'v3' ? resolvePlainV3(text) : resolvePlainV2AsNode(text);
}

function resolvePlainV2AsNode(text: string): YNode {
  const v = resolvePlainV2(text);
  if (typeof v === 'string') return v;
  if (v === null) return new YScalar('null', text);
  if (typeof v === 'boolean') return new YScalar('bool', text);
  if (typeof v === 'number' && !Number.isInteger(v)) return new YScalar('float', text);
  if (typeof v === 'number' || typeof v === 'bigint') return new YScalar('int', text);
  return text;
}

function keyText(ctx: ConvertContext, key: unknown): { text: string; merge: boolean } {
  if (key === null || key === undefined) return { text: '', merge: false };
  if (isAlias(key)) {
    const target = (key as Alias).resolve(ctx.doc);
    return keyText(ctx, target);
  }
  if (isScalar(key)) {
    const text = String(key.value ?? '');
    const merge = text === '<<' && key.type === 'PLAIN' && (!key.tag || key.tag === '!' || key.tag.endsWith(':merge'));
    return { text, merge };
  }
  fail(ctx, key as YamlNode, 'mapping keys must be scalars');
}

function convert(ctx: ConvertContext, node: unknown, path: string): YNode {
  if (node === null || node === undefined) return new YScalar('null', '');
  if (isAlias(node)) {
    const target = node.resolve(ctx.doc);
    if (!target) fail(ctx, node, `unknown anchor '${node.source}' referenced`);
    if (!ctx.allowAliases) throw new NeedsAliasCheck();
    let value = ctx.converted.get(target);
    if (value === undefined) {
      value = convert(ctx, target, path);
    }
    return cloneNode(value);
  }
  const n = node as YamlNode;
  if (ctx.positions) {
    const p = positionOf(ctx, n);
    if (p) ctx.positions.set(path, p);
  }
  let out: YNode;
  if (isScalar(n)) {
    out = convertScalar(ctx, n);
  } else if (isSeq(n)) {
    out = n.items.map((item, i) => convert(ctx, item, `${path}\u0000${i}`));
  } else if (isMap(n)) {
    out = convertMap(ctx, n.items, path);
  } else {
    fail(ctx, n, 'unsupported YAML node');
  }
  if (n.anchor) ctx.converted.set(n, out);
  return out;
}

function convertMap(ctx: ConvertContext, items: readonly { key: unknown; value: unknown }[], path: string): YMap {
  const own: YMap = new Map();
  let merges: YMap[] | undefined;
  for (const pair of items) {
    const { text, merge } = keyText(ctx, pair.key);
    if (merge) {
      if (merges) fail(ctx, pair.key as YamlNode, 'duplicate merge key');
      merges = mergeSources(ctx, pair.value, path);
      continue;
    }
    const childPath = `${path}\u0000${text}`;
    if (ctx.positions && pair.key) {
      const p = positionOf(ctx, pair.key as YamlNode);
      if (p) ctx.positions.set(`${childPath}\u0000#key`, p);
    }
    // Resources: go-yaml v3 rejects duplicate keys when kustomize decodes them. Kustomization
    // files: go-yaml v2 keeps the last one.
    if (own.has(text)) {
      if (ctx.mode === 'v3') fail(ctx, pair.key as YamlNode, `mapping key "${text}" already defined`);
      own.delete(text);
    }
    own.set(text, convert(ctx, pair.value, childPath));
  }
  if (!merges) return own;
  const out: YMap = new Map();
  for (const src of merges) for (const [k, v] of src) out.set(k, cloneNode(v));
  for (const [k, v] of own) out.set(k, v);
  return out;
}

/** The maps a `<<` value brings in, highest precedence last (kyaml's findMergeValues order). */
function mergeSources(ctx: ConvertContext, value: unknown, path: string): YMap[] {
  const one = (v: unknown): YMap => {
    const c = convert(ctx, v, path);
    if (!(c instanceof Map)) fail(ctx, v as YamlNode, 'map merge requires map or sequence of maps as the value');
    return c;
  };
  if (isSeq(value)) {
    const out: YMap[] = [];
    for (const item of value.items) {
      if (isSeq(item)) fail(ctx, item, 'invalid map merge: received a nested sequence');
      out.unshift(one(item));
    }
    return out;
  }
  return [one(value)];
}

export interface ParseOptions {
  readonly mode?: ScalarMode;
  readonly limits?: YamlLimits;
  /** Record field positions (for kustomization files, whose errors point at fields). */
  readonly positions?: boolean;
}

/**
 * Parses every document of a YAML stream. Empty documents are skipped. Throws YamlSyntaxError with
 * the position of the first problem.
 */
export function parseYamlDocuments(text: string, options: ParseOptions = {}): ParsedDocument[] {
  const limits = options.limits ?? DEFAULT_YAML_LIMITS;
  const src = text.includes('\r\n') ? text.replaceAll('\r\n', '\n') : text;
  const index = new LineIndex(src);
  const pieces = splitDocuments(src);
  const out: ParsedDocument[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const body = i !== pieces.length - 1 ? `${piece.text}\n` : piece.text;
    if (Buffer.byteLength(body, 'utf8') > limits.maxDocumentBytes) {
      const p = index.pos(piece.offset);
      const mib = (n: number): string =>
        n >= 1048576 ? `${(n / 1048576).toFixed(1).replace(/\.0$/, '')} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB` : `${n} bytes`;
      const size = Buffer.byteLength(body, 'utf8');
      const shown = mib(size) === mib(limits.maxDocumentBytes) ? `${size} bytes` : mib(size);
      throw new YamlLimitError(`document is ${shown}, over the ${mib(limits.maxDocumentBytes)} limit for one document`, p.line, 1);
    }
    const parsed = parseOne(body, piece.offset, index, options.mode ?? 'v3', limits, options.positions === true);
    // kyaml skips documents that are empty or null (`---` followed by only comments).
    if (parsed && !(parsed.value instanceof YScalar && parsed.value.tag === 'null')) out.push(parsed);
  }
  return out;
}

/**
 * Directives (`%YAML`, `%TAG`) never work in kustomize: its document splitting separates them
 * from the `---` they need, and go-yaml then fails (it also takes only `%YAML 1.1`).
 */
function checkDirectives(body: string, offset: number, index: LineIndex): void {
  for (const m of body.matchAll(/^(.*)$/gm)) {
    const line = m[1]!;
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (!line.startsWith('%')) return;
    const p = index.pos(offset + m.index);
    const v = /^%YAML\s+(\S+)/.exec(line)?.[1];
    throw new YamlSyntaxError(v !== undefined && v !== '1.1' ? 'found incompatible YAML document' : 'did not find expected <document start>', p.line, p.col);
  }
}

function parseOne(body: string, offset: number, index: LineIndex, mode: ScalarMode, limits: YamlLimits, positions: boolean): ParsedDocument | undefined {
  if (body.includes('%')) checkDirectives(body, offset, index);
  const opts = { schema: 'failsafe', prettyErrors: false, uniqueKeys: false, strict: false } as const;
  let docs = parseAllDocuments(body, opts);
  if (!Array.isArray(docs) || docs.length === 0) return undefined;
  let doc = docs[0]!;
  let err = doc.errors[0];
  if (err && /Missing closing .?quote/.test(err.message)) {
    // go-yaml is lenient about the indentation of quoted scalars' continuation lines.
    const repaired = reindentQuotedContinuations(body);
    if (repaired !== body) {
      const retry = parseAllDocuments(repaired, opts);
      if (Array.isArray(retry) && retry.length > 0 && retry[0]!.errors.length === 0) {
        docs = retry;
        doc = retry[0]!;
        err = undefined;
        body = repaired;
      }
    }
  }
  if (err) {
    const p = index.pos(offset + (err.pos?.[0] ?? 0));
    throw new YamlSyntaxError(err.message.split('\n')[0]!, p.line, p.col);
  }
  if (doc.contents === null) return undefined;
  const make = (allowAliases: boolean): ConvertContext => ({
    doc, mode, allowAliases, converted: new Map(), positions: positions ? new Map() : undefined, index, base: offset,
    openEnd: body.endsWith('\n') ? -1 : body.length,
  });
  let ctx = make(false);
  let value: YNode;
  try {
    value = convert(ctx, doc.contents, '');
  } catch (e) {
    if (!(e instanceof NeedsAliasCheck)) throw e;
    try {
      doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (aliasErr) {
      const start = index.pos(offset + (doc.contents.range?.[0] ?? 0));
      throw new YamlLimitError(`${(aliasErr as Error).message} (more than ${limits.maxAliasCount} alias expansions)`, start.line, start.col);
    }
    ctx = make(true);
    value = convert(ctx, doc.contents, '');
  }
  const start = index.pos(offset + (doc.contents.range?.[0] ?? 0));
  return { value, line: start.line, ...(ctx.positions ? { positions: ctx.positions } : {}) };
}
