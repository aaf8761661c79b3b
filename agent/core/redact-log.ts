import { redactUrlCredentials } from './redact-url.js';

/**
 * Keys whose values are credentials wherever they appear in a log record, at any depth:
 * tokens, passwords, secrets, Authorization and cookie headers, private keys, and a Secret's
 * `data` / `stringData`.
 */
const SECRET_KEY = /^(token|.*[-_]?token|password|passwd|.*secret|authorization|proxy-authorization|cookie|set-cookie|private[-_]?key|api[-_]?key|credentials?|auth|data|stringdata)$/i;

/** Keys that end like a secret's but are not one (counts, names of Secrets, flags). */
const NOT_SECRET_KEY = /^(tokenSecret|tokenSecretRef|secretRef|secretName|secretNamespace|.*Count|tokens)$/i;

/** An Authorization-like header written in a text (`Authorization: Basic …`, `Bearer …`, `Private-Token: …`). */
const HEADER_TEXT = /\b(authorization|proxy-authorization|private-token|x-gitlab-token|x-auth-token|x-gitea-signature|x-hub-signature-256)(["']?\s*[:=]\s*["']?)(basic |bearer |token )?[^\s"',}]+/gi;
const BEARER_TEXT = /\b(bearer|basic) [A-Za-z0-9._~+/=-]{8,}/gi;

/** A text with URL userinfo and header-borne credentials masked. Pure. */
export function redactSecretText(text: string): string {
  return redactUrlCredentials(text).replace(HEADER_TEXT, (_m, name: string, sep: string, scheme: string | undefined) => `${name}${sep}${scheme ?? ''}[redacted]`).replace(BEARER_TEXT, (_m, scheme: string) => `${scheme} [redacted]`);
}

/**
 * A log record with every credential masked: values under secret-looking keys at any depth,
 * URL userinfo and Authorization-like headers inside any string, Errors reduced to their
 * (masked) message. What pino's path-based redaction cannot reach (deep or dynamic keys) ends
 * here. Pure.
 */
export function redactLogRecord<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactSecretText(value) as T;
  if (depth > 8 || typeof value !== 'object' || value === null) return value;
  if (value instanceof Error) return redactSecretText(value.message) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactLogRecord(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) && v !== undefined && v !== null && typeof v !== 'boolean' && typeof v !== 'number' ? '[redacted]' : redactLogRecord(v, depth + 1);
  return out as T;
}

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key);
}
