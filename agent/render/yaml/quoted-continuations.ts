/**
 * go-yaml accepts a quoted scalar whose continuation lines are not indented past their key:
 *
 *   message: 'first line
 *   second line'
 *
 * The yaml package rejects it ("Missing closing quote"). Leading blanks of a quoted scalar's
 * continuation lines are not part of its value, so indenting those lines further changes nothing
 * but makes the text acceptable to the yaml package. This finds quoted scalars that span lines
 * (outside comments and block scalars) and indents their continuation lines; it is used only to
 * retry a document the yaml package rejected.
 */

function startsToken(line: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && line[j] === ' ') j--;
  if (j < 0) return true;
  const c = line[j]!;
  if (c === '[' || c === '{' || c === ',') return true;
  if ((c === ':' || c === '-' || c === '?') && i - j >= 2) {
    return j === 0 || line[j - 1] === ' ' || c === ':';
  }
  return false;
}

const BLOCK_HEADER = /(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?$/;

export function reindentQuotedContinuations(text: string): string {
  const lines = text.split('\n');
  let quote: '"' | "'" | undefined;
  let quoteIndent = 0; // column of the opening quote
  let blockParent: number | undefined;
  let changed = false;
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    const indent = line.length - line.trimStart().length;
    if (blockParent !== undefined) {
      if (line.trim() === '' || indent > blockParent) continue;
      blockParent = undefined;
    }
    let i = 0;
    if (quote) {
      const pad = Math.max(0, quoteIndent + 1 - indent);
      if (pad > 0 && line.trim() !== '') {
        line = ' '.repeat(pad) + line;
        lines[n] = line;
        changed = true;
      }
      i = line.length - line.trimStart().length;
    } else i = indent;
    let outside = '';
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') quote = undefined;
        continue;
      }
      if (quote === "'") {
        if (c === "'" && line[i + 1] === "'") i++;
        else if (c === "'") quote = undefined;
        continue;
      }
      if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      if ((c === '"' || c === "'") && startsToken(line, i)) {
        quote = c;
        quoteIndent = i;
        continue;
      }
      outside += c;
    }
    if (!quote && BLOCK_HEADER.test(outside.trimEnd())) blockParent = indent;
  }
  return changed ? lines.join('\n') : text;
}
