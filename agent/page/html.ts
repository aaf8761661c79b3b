/** HTML that is safe to send as it is: built only by `html` and `raw`, never from a plain string. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

/** Escapes text for an element's content or a quoted attribute value. Pure. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

function toText(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.text;
  if (Array.isArray(v)) return (v as readonly Value[]).map(toText).join('');
  return escapeHtml(String(v));
}

/**
 * The page's only way to build markup: every interpolated value is escaped unless it is already
 * SafeHtml (a fragment built the same way). Arrays are joined; null, undefined and false vanish.
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += toText(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Markup written in this source (constants), trusted as it is. */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text);
}

/** A URL for an href: only http(s) and same-site paths pass; anything else (javascript:, data:) becomes "#". Pure. */
export function safeHref(url: string | undefined): string {
  if (!url) return '#';
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : '#';
  } catch {
    return '#';
  }
}

/** A fragment id from free text (cluster and environment names): letters, digits, `-` and `_` only. Pure. */
export function toId(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}`)).join('--');
}
