/** encoding/json's Marshal of decoded YAML: sorted keys, HTML-safe escapes, Go number text. */
import { formatGoJsonFloat } from './go-format.js';
import type { JsonValue } from './json-form.js';

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function goJsonMarshal(v: JsonValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return quote(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? String(v) : formatGoJsonFloat(v);
    default:
      if (Array.isArray(v)) return `[${v.map(goJsonMarshal).join(',')}]`;
      return `{${Object.keys(v)
        .sort(byteCompare)
        .map((k) => `${quote(k)}:${goJsonMarshal(v[k]!)}`)
        .join(',')}}`;
  }
}
