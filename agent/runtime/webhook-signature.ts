import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The forges whose webhooks the agent accepts, and how each proves who sent a delivery. */
export const WebhookForge = { GitHub: 'github', GitLab: 'gitlab', Gitea: 'gitea' } as const;
export type WebhookForge = (typeof WebhookForge)[keyof typeof WebhookForge];

/** Why a delivery was refused; never carries the secret or the signature. */
export const SignatureProblem = { Missing: 'missing', Malformed: 'malformed', Mismatch: 'mismatch' } as const;
export type SignatureProblem = (typeof SignatureProblem)[keyof typeof SignatureProblem];

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly problem: SignatureProblem; readonly header: string };

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The header that carries each forge's proof (lower case, as node:http gives headers). */
export const SIGNATURE_HEADER: Readonly<Record<WebhookForge, string>> = {
  [WebhookForge.GitHub]: 'x-hub-signature-256',
  [WebhookForge.GitLab]: 'x-gitlab-token',
  [WebhookForge.Gitea]: 'x-gitea-signature',
};

/** `sha256=<hex>`: GitHub's X-Hub-Signature-256 of `body` under `secret` (HMAC-SHA256). Pure. */
export function computeGitHubSignature(secret: string, body: Buffer | string): string {
  return `sha256=${computeHmacHex(secret, body)}`;
}

/** The lower-case hex HMAC-SHA256 of `body` under `secret` (Gitea's X-Gitea-Signature). Pure. */
export function computeHmacHex(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Checks one delivery's proof against the Fleet's webhook secret, in constant time:
 * - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`;
 * - Gitea: `X-Gitea-Signature: <hex HMAC-SHA256 of the raw body>`;
 * - GitLab: `X-Gitlab-Token` is the secret token itself, sent as configured (no HMAC); it is
 *   compared through SHA-256 digests so neither its content nor its length leaks through timing.
 * An empty secret never verifies. Pure.
 */
export function verifyWebhookSignature(forge: WebhookForge, headers: Headers, body: Buffer, secret: string): SignatureCheck {
  const header = SIGNATURE_HEADER[forge];
  const given = headerValue(headers, header);
  if (!given) return { ok: false, problem: SignatureProblem.Missing, header };
  if (!secret) return { ok: false, problem: SignatureProblem.Mismatch, header };
  if (forge === WebhookForge.GitLab) {
    const a = createHash('sha256').update(given, 'utf8').digest();
    const b = createHash('sha256').update(secret, 'utf8').digest();
    return timingSafeEqual(a, b) ? { ok: true } : { ok: false, problem: SignatureProblem.Mismatch, header };
  }
  const hex = forge === WebhookForge.GitHub ? /^sha256=([0-9a-fA-F]{64})$/.exec(given)?.[1] : /^([0-9a-fA-F]{64})$/.exec(given)?.[1];
  if (!hex) return { ok: false, problem: SignatureProblem.Malformed, header };
  const expected = createHmac('sha256', secret).update(body).digest();
  const actual = Buffer.from(hex, 'hex');
  // Both are 32 bytes here; timingSafeEqual needs equal lengths and compares in constant time.
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? { ok: true } : { ok: false, problem: SignatureProblem.Mismatch, header };
}

/** One header's value, the first if repeated; undefined when absent or empty. */
export function headerValue(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}
