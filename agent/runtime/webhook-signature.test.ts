import { describe, expect, it } from 'vitest';
import { computeGitHubSignature, computeHmacHex, SignatureProblem, verifyWebhookSignature, WebhookForge } from './webhook-signature.js';

// GitHub's published example ("Validating webhook deliveries", docs.github.com): secret
// "It's a Secret to Everybody", payload "Hello, World!".
const GH_SECRET = "It's a Secret to Everybody";
const GH_PAYLOAD = Buffer.from('Hello, World!');
const GH_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('webhook signatures', () => {
  it("computes GitHub's published X-Hub-Signature-256 test vector", () => {
    expect(computeGitHubSignature(GH_SECRET, GH_PAYLOAD)).toBe(GH_SIGNATURE);
  });

  it("accepts GitHub's published test vector and refuses it under another secret or body", () => {
    expect(verifyWebhookSignature('github', { 'x-hub-signature-256': GH_SIGNATURE }, GH_PAYLOAD, GH_SECRET)).toEqual({ ok: true });
    expect(verifyWebhookSignature('github', { 'x-hub-signature-256': GH_SIGNATURE }, GH_PAYLOAD, 'another secret')).toMatchObject({ ok: false, problem: SignatureProblem.Mismatch });
    expect(verifyWebhookSignature('github', { 'x-hub-signature-256': GH_SIGNATURE }, Buffer.from('Hello, World?'), GH_SECRET)).toMatchObject({ ok: false, problem: SignatureProblem.Mismatch });
  });

  it.each([
    ['no header', {}, SignatureProblem.Missing],
    ['an empty header', { 'x-hub-signature-256': '' }, SignatureProblem.Missing],
    ['the sha1 header only', { 'x-hub-signature': 'sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59' }, SignatureProblem.Missing],
    ['no sha256= prefix', { 'x-hub-signature-256': GH_SIGNATURE.slice(7) }, SignatureProblem.Malformed],
    ['a short digest', { 'x-hub-signature-256': GH_SIGNATURE.slice(0, -2) }, SignatureProblem.Malformed],
    ['a digest one character off', { 'x-hub-signature-256': `${GH_SIGNATURE.slice(0, -1)}8` }, SignatureProblem.Mismatch],
  ])('refuses a GitHub delivery with %s', (_name, headers, problem) => {
    expect(verifyWebhookSignature('github', headers, GH_PAYLOAD, GH_SECRET)).toEqual({ ok: false, problem, header: 'x-hub-signature-256' });
  });

  it('checks Gitea\'s X-Gitea-Signature, the bare hex HMAC-SHA256 of the body', () => {
    const body = Buffer.from('{"ref":"refs/heads/main"}');
    const sig = computeHmacHex('gitea-secret', body);
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('gitea', { 'x-gitea-signature': sig }, body, 'gitea-secret')).toEqual({ ok: true });
    expect(verifyWebhookSignature('gitea', { 'x-gitea-signature': sig.toUpperCase() }, body, 'gitea-secret')).toEqual({ ok: true });
    expect(verifyWebhookSignature('gitea', { 'x-gitea-signature': `sha256=${sig}` }, body, 'gitea-secret')).toMatchObject({ ok: false, problem: SignatureProblem.Malformed });
    expect(verifyWebhookSignature('gitea', { 'x-gitea-signature': sig }, Buffer.from(`${body} `), 'gitea-secret')).toMatchObject({ ok: false, problem: SignatureProblem.Mismatch });
    // A Gitea delivery signed only with GitHub's header is not a Gitea signature.
    expect(verifyWebhookSignature('gitea', { 'x-hub-signature-256': `sha256=${sig}` }, body, 'gitea-secret')).toMatchObject({ ok: false, problem: SignatureProblem.Missing });
  });

  // GitLab (docs.gitlab.com, "Webhooks": validate payloads by using a secret token): the token
  // configured on the webhook is sent as-is in X-Gitlab-Token; the receiver compares it.
  it.each([
    ['the configured token', 'gl-token-123', true],
    ['another token', 'gl-token-124', false],
    ['a prefix of it', 'gl-token-12', false],
    ['it with a trailing space', 'gl-token-123 ', false],
  ])('accepts in X-Gitlab-Token only the token itself: %s', (_name, given, ok) => {
    expect(verifyWebhookSignature(WebhookForge.GitLab, { 'x-gitlab-token': given }, Buffer.from('{}'), 'gl-token-123').ok).toBe(ok);
  });

  it('never verifies against an empty secret', () => {
    expect(verifyWebhookSignature('gitlab', { 'x-gitlab-token': 'x' }, Buffer.alloc(0), '').ok).toBe(false);
    expect(verifyWebhookSignature('github', { 'x-hub-signature-256': computeGitHubSignature('', GH_PAYLOAD) }, GH_PAYLOAD, '').ok).toBe(false);
  });

  it('says which header failed, never the secret or the signature', () => {
    const r = verifyWebhookSignature('github', { 'x-hub-signature-256': GH_SIGNATURE }, GH_PAYLOAD, 'wrong');
    expect(JSON.stringify(r)).not.toContain('757107ea');
    expect(JSON.stringify(r)).not.toContain('wrong');
  });
});
