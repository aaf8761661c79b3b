/**
 * What a folded block scalar (`>`) of a resource becomes in kustomize's output. kustomize turns a
 * resource into JSON by writing its YAML nodes back out with go-yaml v3 and reading them again.
 * go-yaml's folded-scalar writer looks for a leading blank at the start of the whole value
 * instead of at the current position, so for values that do not start with a blank it writes an
 * extra empty line after every content line. Reading that back leaves most text unchanged but
 * adds a line break before more-indented lines and at the end of `>+` values. This module
 * replays both steps (the writer, then go-yaml's block scalar scanner) on a value.
 */

import { isPrintable } from './scalar-style.js';

const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

type Chomp = 'strip' | 'clip' | 'keep';

/** The chomping indicator go-yaml writes for a value (its block scalar hints). */
function chompingOf(v: string): Chomp {
  if (v.length === 0) return 'strip';
  if (!isBreak(v[v.length - 1])) return 'strip';
  if (v.length === 1) return 'keep';
  return isBreak(v[v.length - 2]) ? 'keep' : 'clip';
}

/** The scalar's text as go-yaml v3 writes it, without indentation, ending with a line break. */
function written(v: string): string {
  let k = 0;
  while (k < v.length && isBreak(v[k])) k++;
  const extraBreaks = !(k >= v.length || isBlank(v[k]));
  let w = '';
  let breaks = true;
  let leadingSpaces = true;
  for (const c of v) {
    if (isBreak(c)) {
      if (!breaks && !leadingSpaces && c === '\n' && extraBreaks) w += '\n';
      w += '\n';
      breaks = true;
    } else {
      if (breaks) leadingSpaces = isBlank(c);
      w += c;
      breaks = false;
    }
  }
  return w.endsWith('\n') ? w : `${w}\n`;
}

/** go-yaml's block scalar scanner for a folded scalar over unindented text. */
function scanned(w: string, chomp: Chomp): string {
  let s = '';
  let leadingBreak = '';
  let trailingBreaks = '';
  let leadingBlank = false;
  let pos = 0;
  const breaks = (): void => {
    while (pos < w.length && w[pos] === '\n') {
      trailingBreaks += '\n';
      pos++;
    }
  };
  breaks();
  while (pos < w.length) {
    const trailingBlank = isBlank(w[pos]);
    if (!leadingBlank && !trailingBlank && leadingBreak === '\n') {
      if (trailingBreaks === '') s += ' ';
    } else s += leadingBreak;
    leadingBreak = '';
    s += trailingBreaks;
    trailingBreaks = '';
    leadingBlank = isBlank(w[pos]);
    while (pos < w.length && w[pos] !== '\n') s += w[pos++];
    if (pos < w.length) {
      leadingBreak = '\n';
      pos++;
    }
    breaks();
  }
  if (chomp !== 'strip') s += leadingBreak;
  if (chomp === 'keep') s += trailingBreaks;
  return s;
}

/** go-yaml v3's analysis: may this value be written as a block scalar? (Tabs are fine in v3.) */
function blockAllowed(v: string): boolean {
  if (v.endsWith(' ')) return false;
  let prev = '';
  for (const ch of v) {
    if (prev === ' ' && isBreak(ch)) return false;
    if (ch !== '\t' && !isPrintable(ch.codePointAt(0)!)) return false;
    prev = ch;
  }
  return true;
}

/** The value kustomize prints for a folded scalar whose parsed value is `v`. */
export function foldedThroughKustomize(v: string): string {
  if (!/[\n\r\u0085\u2028\u2029]/.test(v)) return v;
  // go-yaml writes values a block scalar cannot hold (trailing or pre-break spaces, control
  // characters) double-quoted instead, and those read back unchanged.
  if (!blockAllowed(v)) return v;
  return scanned(written(v), chompingOf(v));
}
