/**
 * Writes JSON-like data as YAML byte for byte like kustomize's output: sigs.k8s.io/yaml's
 * JSONToYAML, i.e. go-yaml v2's encoder and libyaml-derived emitter (sorted keys with its
 * natural-order comparison, 2-space indent, indentless sequences in mappings, lines folded
 * at 80 columns, literal blocks for multi-line strings, quoting when a plain scalar would
 * read back as another type).
 */
import type { JsonValue } from './json-form.js';
import { compareKeys } from './key-order.js';
import { v2PlainTag } from './scalar-resolve.js';
import { analyze, codePoints, formatNumber, isBase60Float, isBreak, isPrintable, throughJsonYaml, type Style } from './scalar-style.js';

export { compareKeys } from './key-order.js';
export { YamlOutputError, formatNumber } from './scalar-style.js';

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

/** Strings whose analysis is trivial: no blanks, breaks, indicators or non-ASCII characters. */
const SIMPLE = /^[A-Za-z0-9_./+=][A-Za-z0-9_./+=-]*$/;

class Emitter {
  private out = '';
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private flowLevel = 0;
  private mappingContext = false;
  private simpleKeyContext = false;

  result(): string {
    return this.out;
  }

  private put(s: string): void {
    this.out += s;
    this.column += 1;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  private writeChar(c: number): void {
    this.out += String.fromCodePoint(c);
    this.column += 1;
  }

  private writeBreakChar(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.out += String.fromCodePoint(c);
      this.column = 0;
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  private writeIndent(): void {
    const indent = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.out += indicator;
    this.column += indicator.length;
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  document(value: JsonValue): void {
    this.node(value, false, false);
    this.writeIndent();
  }

  private node(value: JsonValue, mapping: boolean, simpleKey: boolean): void {
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    if (value === null) return this.scalar('null', 'plain');
    switch (typeof value) {
      case 'string':
        return this.stringScalar(value);
      case 'boolean':
        return this.scalar(value ? 'true' : 'false', 'plain');
      case 'number':
      case 'bigint':
        return this.scalar(formatNumber(value), 'plain');
      default:
        if (Array.isArray(value)) return this.sequence(value);
        return this.mapping(value);
    }
  }

  private stringScalar(raw: string): void {
    const s = throughJsonYaml(raw);
    const canUsePlain = v2PlainTag(s) === 'str' && !isBase60Float(s);
    const style: Style = s.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double';
    this.scalar(s, style);
  }

  private scalar(s: string, requested: Style): void {
    if (this.flowLevel === 0 && requested !== 'literal' && SIMPLE.test(s) && !s.startsWith('...')) {
      // Nothing to fold, escape or quote beyond the requested style.
      this.increaseIndent(true, false);
      if (requested === 'plain') {
        if (!this.whitespace) this.put(' ');
      } else this.writeIndicator('"', true, false, false);
      this.out += s;
      this.column += s.length;
      if (requested !== 'plain') this.writeIndicator('"', false, false, false);
      this.whitespace = false;
      this.indention = false;
      this.popIndent();
      return;
    }
    const v = codePoints(s);
    const a = analyze(v);
    let style = requested;
    if (this.simpleKeyContext && a.multiline) style = 'double';
    if (style === 'plain') {
      if (this.flowLevel === 0 && !a.blockPlainAllowed) style = 'single';
      if (v.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || this.flowLevel > 0 || this.simpleKeyContext)) style = 'double';
    this.increaseIndent(true, false);
    const allowBreaks = !this.simpleKeyContext;
    switch (style) {
      case 'plain':
        this.writePlain(v, allowBreaks);
        break;
      case 'single':
        this.writeSingleQuoted(v, allowBreaks);
        break;
      case 'double':
        this.writeDoubleQuoted(v, allowBreaks);
        break;
      case 'literal':
        this.writeLiteral(v);
        break;
    }
    this.popIndent();
  }

  private sequence(items: JsonValue[]): void {
    if (items.length === 0) return this.emptyFlow('[', ']');
    this.increaseIndent(false, this.mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, false, false);
    }
    this.popIndent();
  }

  private mapping(obj: { [k: string]: JsonValue }): void {
    const keys = Object.keys(obj);
    if (keys.length === 0) return this.emptyFlow('{', '}');
    // Keys as kustomize prints them (rarely different from the keys themselves).
    let byPrinted: Map<string, string> | undefined;
    let printed = keys;
    if (keys.some((k) => throughJsonYaml(k) !== k)) {
      printed = keys.map(throughJsonYaml);
      byPrinted = new Map(printed.map((p, i) => [p, keys[i]!]));
    }
    printed.sort(compareKeys);
    this.increaseIndent(false, false);
    for (const key of printed) {
      this.writeIndent();
      const simple = !/[\n\r\u0085\u2028\u2029]/.test(key) && (key.length <= 32 || Buffer.byteLength(key, 'utf8') <= 128);
      if (simple) {
        this.node(key, true, true);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(key, true, false);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(obj[byPrinted ? byPrinted.get(key)! : key]!, true, false);
    }
    this.popIndent();
  }

  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator(close, false, false, false);
  }

  private writePlain(v: number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < v.length; i++) {
      const c = v[i]!;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && v[i + 1] !== 0x20) this.writeIndent();
        else this.writeChar(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreakChar(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.writeChar(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(v: number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < v.length; i++) {
      const c = v[i]!;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < v.length - 1 && v[i + 1] !== 0x20) this.writeIndent();
        else this.writeChar(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreakChar(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.writeChar(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(v: number[], allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    const bom = v[0] === 0xfeff;
    for (let i = 0; i < v.length; i++) {
      const c = v[i]!;
      if (!isPrintable(c) || bom || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.put('\\');
        const esc = ESCAPES.get(c);
        if (esc !== undefined) this.put(esc);
        else {
          const [prefix, width] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
          this.put(prefix);
          const hex = c.toString(16).toUpperCase().padStart(width, '0');
          for (const h of hex) this.put(h);
        }
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < v.length - 1) {
          this.writeIndent();
          if (v[i + 1] === 0x20) this.put('\\');
        } else this.writeChar(c);
        spaces = true;
      } else {
        this.writeChar(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(v: number[]): void {
    this.writeIndicator('|', true, false, false);
    if (v.length > 0 && (v[0] === 0x20 || isBreak(v[0]!))) this.writeIndicator(String(BEST_INDENT), false, false, false);
    let chomp = '';
    if (v.length === 0) chomp = '-';
    else {
      const last = v[v.length - 1]!;
      if (!isBreak(last)) chomp = '-';
      else if (v.length === 1) chomp = '+';
      else if (isBreak(v[v.length - 2]!)) chomp = '+';
    }
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of v) {
      if (isBreak(c)) {
        this.writeBreakChar(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.writeChar(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

const ESCAPES = new Map<number, string>([
  [0x00, '0'], [0x07, 'a'], [0x08, 'b'], [0x09, 't'], [0x0a, 'n'], [0x0b, 'v'], [0x0c, 'f'], [0x0d, 'r'],
  [0x1b, 'e'], [0x22, '"'], [0x5c, '\\'], [0x85, 'N'], [0xa0, '_'], [0x2028, 'L'], [0x2029, 'P'],
]);

/** One resource as kustomize prints it (ends with a newline). */
export function formatYamlDocument(value: JsonValue): string {
  const e = new Emitter();
  e.document(value);
  return e.result();
}
