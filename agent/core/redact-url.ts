/**
 * Removes credentials from anything URL-like in a text, whatever the scheme, its case or the
 * URL's validity: `HTTP://alice:secret@host/x`, `ftp://u:p@h`, `https://a:pa/ss@h/x` (not a valid
 * URL, still a password), and the `scheme:/user:pass@host` a path normalization leaves. Called
 * on every DroverError message, log line and status text, so a credential given in a URL never
 * reaches a user. A port (`host:8080/x.git@main`, a `repo@ref` message) is not userinfo. Pure.
 */
export function redactUrlCredentials(text: string, mask = '[redacted]@'): string {
  if (!text.includes('@')) return text;
  return text.replace(SCHEME_TOKEN, (whole, scheme: string, rest: string) => {
    const end = userinfoEnd(rest);
    return end < 0 ? whole : `${scheme}${mask}${rest.slice(end + 1)}`;
  });
}

/** A scheme, one or more slashes, and the rest of the token (up to whitespace or a quote). */
const SCHEME_TOKEN = /([a-z][a-z0-9+.-]*:\/+)([^\s"'<>`]*)/gi;

/** Index of the `@` that ends the userinfo in what follows `scheme://`, or -1 when there is none. */
function userinfoEnd(rest: string): number {
  const at = rest.indexOf('@');
  if (at < 0) return -1;
  const slash = rest.search(/[/?#\\]/);
  // The last `@` of the authority: a password may hold an unescaped `@`.
  if (slash < 0) return rest.lastIndexOf('@');
  if (at < slash) return rest.lastIndexOf('@', slash);
  // `user:pa/ss@host`: a password holding a slash. `host:8080/path@x` is a port, not a password.
  const authority = rest.slice(0, slash);
  const colon = authority.indexOf(':');
  return colon < 0 || /^\d*$/.test(authority.slice(colon + 1)) ? -1 : at;
}

/** A log object with every string in it (nested ones included) passed through redactUrlCredentials. */
export function redactLogObject<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactUrlCredentials(value) as T;
  if (depth > 8 || typeof value !== 'object' || value === null) return value;
  if (value instanceof Error) return redactUrlCredentials(value.message) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactLogObject(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactLogObject(v, depth + 1);
  return out as T;
}
