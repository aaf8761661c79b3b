// Signed webhooks (agent/runtime/webhook-plugin.ts) against real components: a real Gitea holds
// the fleet repository and delivers its push and pull request webhooks, signed with the Fleet's
// webhook Secret, to the agent running in-process against the real kube-apiserver. The Fleet polls
// every 10 minutes, so anything applied or checked within the test came from a webhook. Gitea's
// deliveries pass through a recording relay so that a real delivery can be sent again.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { runWebhookUrlCommand } from '../../agent/cli/webhook-url-command.js';
import { createKubeClient, type KubeClient } from '../../agent/kube/kube-client.js';
import type { RunningAgent } from '../../agent/runtime/agent.js';
import { PullRequestInbox } from '../../agent/runtime/pr-inbox.js';
import { createPullRequestPlugin } from '../../agent/runtime/pr-plugin.js';
import { createWebhookPlugin, type WebhookDelivery } from '../../agent/runtime/webhook-plugin.js';
import { computeGitHubSignature, computeHmacHex } from '../../agent/runtime/webhook-signature.js';
import { giteaBinary, startGitea, type GiteaInstance } from '../support/forge/gitea.js';
import { memoryLogger } from '../support/forge/memory-logger.js';
import { createTestNamespace, deleteTestNamespace } from '../support/namespace.js';
import { waitUntil } from '../support/wait-until.js';
import { startTestAgent } from '../support/test-agent.js';

const kubeconfigPath = inject('kubeconfigPath');
const REPO = 'fleet-hooks';
const HOOK_EVENTS = ['push', 'pull_request'];
const SECRET = `webhook-secret-${randomUUID()}`;
const b64 = (text: string) => Buffer.from(text).toString('base64');

interface Recorded {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  status?: number;
  answer?: string;
}

let gitea: GiteaInstance;
let ns: string;
let envNs: string;
let client: KubeClient;
let agent: RunningAgent;
let cacheDir: string;
let relay: Server;
let relayUrl: string;
let hookId: number;
const recorded: Recorded[] = [];
const deliveries: WebhookDelivery[] = [];
let reconcileStarts = 0;
const log = memoryLogger();
/** The agent's warnings and errors, to name what went wrong when a wait times out. */
const troubles = () => log.lines.filter((l) => l.level === 'warn' || l.level === 'error').map((l) => `${l.msg} ${JSON.stringify(l.data)}`).slice(-10).join('\n');

const fleetKey = () => `${ns}/example`;
const hookPath = () => `/hooks/${ns}/example`;
const setting = async () => ((await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: envNs, name: 'settings' }))?.data as Record<string, string> | undefined)?.value;
const settingsFile = (value: string) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { value } });

/** Commits a new value of the setting on `branch` through Gitea's API (as a person would push); resolves with the commit. */
async function pushSetting(value: string, branch = 'main'): Promise<string> {
  const path = 'environments/staging/settings.yaml';
  const current = await gitea.api<{ sha: string }>('GET', `/repos/drover/${REPO}/contents/${path}?ref=${branch}`);
  const res = await gitea.api<{ commit: { sha: string } }>('PUT', `/repos/drover/${REPO}/contents/${path}`, { content: b64(settingsFile(value)), sha: current.sha, branch, message: `value ${value}` });
  return res.commit.sha;
}

/** POSTs to the agent's webhook route with node:http (so bodies can be sent chunked); resolves with the answer. */
function post(headers: Record<string, string>, body: Buffer, opts: { chunked?: boolean } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${agent.url}${hookPath()}`, { method: 'POST', headers: opts.chunked ? headers : { ...headers, 'content-length': String(body.length) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (opts.chunked) for (let i = 0; i < body.length; i += 256 * 1024) req.write(body.subarray(i, i + 256 * 1024));
    else req.write(body);
    req.end();
  });
}

/** The headers Gitea sends for a delivery, signed with `secret` (or not at all). */
function giteaHeaders(event: string, body: Buffer, secret: string | undefined, delivery = randomUUID()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-gitea-event': event,
    'x-gitea-event-type': event,
    'x-gitea-delivery': delivery,
    ...(secret === undefined ? {} : { 'x-gitea-signature': computeHmacHex(secret, body) }),
  };
}

/** Waits `ms` and tells how many reconciles of the Fleet started meanwhile. */
async function reconcilesDuring(ms: number, act: () => Promise<void>): Promise<number> {
  const before = reconcileStarts;
  await act();
  await new Promise((r) => setTimeout(r, ms));
  return reconcileStarts - before;
}

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  client = createKubeClient(kc, { fieldManager: 'test' });
  ns = await createTestNamespace(kubeconfigPath, 'agent-hooks');
  envNs = await createTestNamespace(kubeconfigPath, 'agent-hooks-stg');
  cacheDir = await mkdtemp(join(tmpdir(), 'drover-agent-hooks-'));
  gitea = await startGitea(giteaBinary());
  await gitea.createRepo(REPO);
  const files = {
    'drover.yaml': stringify({ apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', environments: [{ name: 'staging', path: 'environments/staging', namespace: envNs }] }),
    'environments/staging/kustomization.yaml': 'resources:\n  - settings.yaml\n',
    'environments/staging/settings.yaml': settingsFile('one'),
  };
  await gitea.api('POST', `/repos/drover/${REPO}/contents`, { branch: 'main', message: 'fleet', files: Object.entries(files).map(([path, content]) => ({ operation: 'create', path, content: b64(content) })) });

  const inbox = new PullRequestInbox();
  agent = await startTestAgent(kc, {
    log,
    namespace: ns,
    cacheDir,
    recheckMs: 60_000,
    identity: 'webhook-test',
    plugins: [createPullRequestPlugin({ inbox }), createWebhookPlugin({ inbox, onDelivery: (d) => deliveries.push(d) })],
  });
  agent.state.subscribe(({ key, fleet }) => {
    if (key === fleetKey() && fleet?.reconciling && !wasReconciling) reconcileStarts++;
    wasReconciling = key === fleetKey() ? !!fleet?.reconciling : wasReconciling;
  });

  // The relay Gitea delivers to: records each delivery as sent, passes it on and answers as the agent did.
  relay = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: Recorded = { headers: req.headers, body: Buffer.concat(chunks) };
      recorded.push(rec);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k))) as Record<string, string>;
      void post(headers, rec.body).then(
        (a) => {
          rec.status = a.status;
          rec.answer = a.text;
          res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.text);
        },
        (e: Error) => res.writeHead(502).end(e.message),
      );
    });
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', () => r()));
  relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;

  await client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'fleet-webhook', namespace: ns }, data: { token: b64(SECRET) } });
  await client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gitea-token', namespace: ns }, data: { token: b64(gitea.token) } });
  await client.create({
    apiVersion: 'drover.dev/v1alpha1',
    kind: 'Fleet',
    metadata: { name: 'example', namespace: ns },
    spec: {
      source: { url: `${gitea.url}/drover/${REPO}.git`, ref: 'main' },
      interval: '10m',
      webhook: { secretRef: { name: 'fleet-webhook' } },
      forge: { kind: 'gitea', url: gitea.url, repository: `drover/${REPO}`, tokenSecretRef: { name: 'gitea-token' } },
      pullRequests: { enabled: true },
    },
  });
  await waitUntil(async () => ((await setting()) === 'one' ? true : undefined), { what: 'the first apply', timeoutMs: 120_000, intervalMs: 250 });
  await waitUntil(async () => (agent.state.get(fleetKey())?.reconciling === false ? true : undefined), { what: 'the first pass to end', timeoutMs: 60_000 });
  const hook = await gitea.api<{ id: number }>('POST', `/repos/drover/${REPO}/hooks`, {
    type: 'gitea',
    active: true,
    events: HOOK_EVENTS,
    config: { url: `${relayUrl}${hookPath()}`, content_type: 'json', secret: SECRET },
  });
  hookId = hook.id;
}, 600_000);
let wasReconciling = false;

afterAll(async () => {
  await agent?.stop();
  await new Promise<void>((r) => (relay ? relay.close(() => r()) : r()));
  await gitea?.stop();
  for (const n of [ns, envNs]) if (n) await deleteTestNamespace(kubeconfigPath, n);
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

describe('signed webhooks from a real Gitea', () => {
  it('applies a push announced by a signed Gitea webhook long before the 10-minute poll', async () => {
    const t0 = Date.now();
    const sha = await pushSetting('two');
    await waitUntil(async () => ((await setting()) === 'two' ? true : undefined), { what: 'the pushed value applied', timeoutMs: 120_000, intervalMs: 100 });
    const elapsedMs = Date.now() - t0;
    await waitUntil(async () => (agent.state.get(fleetKey())?.environments[0]?.appliedRevision === `main@sha1:${sha}` ? true : undefined), { what: 'the state at the pushed commit', timeoutMs: 60_000 });
    const push = recorded.find((r) => r.headers['x-gitea-event'] === 'push' && r.body.toString().includes(sha));
    expect(push, 'Gitea delivered the push').toBeDefined();
    expect(push!.status).toBe(200);
    expect(JSON.parse(push!.answer!)).toMatchObject({ result: 'reconcile queued', ref: 'refs/heads/main', after: sha });
    expect(push!.headers['x-gitea-signature']).toBe(computeHmacHex(SECRET, push!.body));
    expect(elapsedMs).toBeLessThan(600_000); // a bound, not a measurement: the poll would come after 10 minutes
  }, 300_000);

  describe('deliveries that must do nothing (a new commit waits, unannounced)', () => {
    let pending: string;
    beforeAll(async () => {
      await gitea.api('PATCH', `/repos/drover/${REPO}/hooks/${hookId}`, { active: false, events: HOOK_EVENTS });
      pending = await pushSetting('three');
      await waitUntil(async () => (agent.state.get(fleetKey())?.reconciling === false ? true : undefined), { what: 'no pass running', timeoutMs: 60_000 });
    });

    const pushBody = () => Buffer.from(JSON.stringify({ ref: 'refs/heads/main', before: '0'.repeat(40), after: pending }));

    it('refuses a wrong signature with 401', async () => {
      const body = pushBody();
      let answer = { status: 0, text: '' };
      expect(await reconcilesDuring(1500, async () => void (answer = await post(giteaHeaders('push', body, 'not-the-secret'), body)))).toBe(0);
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('x-gitea-signature does not match');
      expect(answer.text).not.toContain(SECRET);
    });

    it('refuses a missing signature with 401', async () => {
      const body = pushBody();
      let answer = { status: 0, text: '' };
      expect(await reconcilesDuring(1500, async () => void (answer = await post(giteaHeaders('push', body, undefined), body)))).toBe(0);
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('x-gitea-signature is missing');
      expect(answer.text).not.toContain(SECRET);
      // A body signed with the right secret but sent with GitHub's header only is not a Gitea signature either.
      const gh = { ...giteaHeaders('push', body, undefined), 'x-hub-signature-256': `sha256=${computeHmacHex('not-the-secret', body)}` };
      expect((await post(gh, body)).status).toBe(401);
    });

    it('refuses a body over 5 MiB with 413, declared or chunked, even when signed', async () => {
      const padding = 'x'.repeat(5 * 1024 * 1024);
      const body = Buffer.from(JSON.stringify({ ref: 'refs/heads/main', after: pending, padding }));
      let declared = { status: 0, text: '' };
      let chunked = { status: 0, text: '' };
      const n = await reconcilesDuring(1500, async () => {
        declared = await post(giteaHeaders('push', body, SECRET), body);
        chunked = await post(giteaHeaders('push', body, SECRET), body, { chunked: true });
      });
      expect(n).toBe(0);
      expect([declared.status, chunked.status]).toEqual([413, 413]);
      expect(declared.text).toContain('request body too large');
    });

    it('acts on a real Gitea delivery once: sent again, it is answered as a duplicate', async () => {
      const original = recorded.find((r) => r.headers['x-gitea-event'] === 'push' && r.status === 200)!;
      const headers = Object.fromEntries(Object.entries(original.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      let answer = { status: 0, text: '' };
      expect(await reconcilesDuring(1500, async () => void (answer = await post(headers, original.body)))).toBe(0);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ result: 'duplicate' });
    });

    it('answers 202 to an event it does not act on, and to a push of another branch', async () => {
      const issue = Buffer.from(JSON.stringify({ action: 'opened', issue: { number: 1 } }));
      const other = Buffer.from(JSON.stringify({ ref: 'refs/heads/feature', after: pending }));
      let a1 = { status: 0, text: '' };
      let a2 = { status: 0, text: '' };
      const n = await reconcilesDuring(1500, async () => {
        a1 = await post(giteaHeaders('issues', issue, SECRET), issue);
        a2 = await post(giteaHeaders('push', other, SECRET), other);
      });
      expect(n).toBe(0);
      expect([a1.status, a2.status]).toEqual([202, 202]);
      expect(JSON.parse(a1.text)).toMatchObject({ result: 'ignored', reason: 'event "issues" is not acted on' });
      expect(JSON.parse(a2.text)).toMatchObject({ result: 'ignored' });
    });

    it('reads a GitHub-signed delivery in GitHub\'s form encoding (payload=…) too', async () => {
      const form = Buffer.from(new URLSearchParams({ payload: JSON.stringify({ ref: 'refs/heads/feature', after: pending }) }).toString());
      const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': computeGitHubSignature(SECRET, form) };
      let answer = { status: 0, text: '' };
      expect(await reconcilesDuring(1000, async () => void (answer = await post(headers, form)))).toBe(0);
      expect(answer.status).toBe(202);
      expect(JSON.parse(answer.text)).toMatchObject({ result: 'ignored', reason: `push to refs/heads/feature; Fleet/${ns}/example tracks main` });
      const wrong = { ...headers, 'x-github-delivery': randomUUID(), 'x-hub-signature-256': computeGitHubSignature('not-the-secret', form) };
      expect((await post(wrong, form)).status).toBe(401);
    });

    it('has written nothing: the unannounced commit is still not applied; a correctly signed delivery applies it', async () => {
      expect(await setting()).toBe('two');
      const body = pushBody();
      const answer = await post(giteaHeaders('push', body, SECRET), body);
      expect(answer.status).toBe(200);
      await waitUntil(async () => ((await setting()) === 'three' ? true : undefined), { what: 'the announced commit applied', timeoutMs: 120_000, intervalMs: 100 });
      expect(deliveries.filter((d) => d.result === 'unauthorized').length).toBeGreaterThanOrEqual(3);
      // Each outcome is counted in /metrics by forge and result.
      const metrics = await (await fetch(`${agent.url}/metrics`)).text();
      const count = (result: string) => Number(metrics.split('\n').find((l) => l.startsWith('drover_webhook_deliveries_total{') && l.includes('forge="gitea"') && l.includes(`result="${result}"`))?.split(' ').pop() ?? 0);
      expect(count('unauthorized')).toBeGreaterThanOrEqual(2);
      expect(count('too_large')).toBe(2);
      expect(count('duplicate')).toBe(1);
      expect(count('accepted')).toBeGreaterThanOrEqual(2);
    });

    afterAll(async () => {
      await gitea.api('PATCH', `/repos/drover/${REPO}/hooks/${hookId}`, { active: true, events: HOOK_EVENTS }); // Gitea's edit sets the events anew
    });
  });

  it('plans a pull request when Gitea announces it, and again when its branch is pushed, with one sticky comment', async () => {
    const statuses = async (sha: string) => (await gitea.api<{ status: string; context: string }[]>('GET', `/repos/drover/${REPO}/statuses/${sha}?limit=50`)).filter((s) => s.context === 'drover/plan/staging');
    await gitea.api('POST', `/repos/drover/${REPO}/branches`, { new_branch_name: 'bump', old_branch_name: 'main' });
    const head1 = await pushSetting('four', 'bump');
    const pr = await gitea.api<{ number: number }>('POST', `/repos/drover/${REPO}/pulls`, { head: 'bump', base: 'main', title: 'Bump the setting' });
    await waitUntil(async () => ((await statuses(head1)).length ? true : undefined), { what: 'drover/plan/staging on the head', timeoutMs: 120_000, intervalMs: 250 }).catch((e: Error) => {
      throw new Error(`${e.message}\ndeliveries: ${JSON.stringify(recorded.map((r) => [r.headers['x-gitea-event'], r.status, r.answer]))}\nagent: ${troubles()}`);
    });
    const opened = recorded.find((r) => r.headers['x-gitea-event'] === 'pull_request' && JSON.parse(r.body.toString()).action === 'opened');
    expect(opened?.status).toBe(200);
    expect(JSON.parse(opened!.answer!)).toMatchObject({ result: 'plan check queued', pullRequest: pr.number, head: head1 });

    const head2 = await pushSetting('five', 'bump');
    await waitUntil(async () => ((await statuses(head2)).length ? true : undefined), { what: 'drover/plan/staging on the new head', timeoutMs: 120_000, intervalMs: 250 });
    const comments = await gitea.api<{ body: string }[]>('GET', `/repos/drover/${REPO}/issues/${pr.number}/comments`);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/^<!-- drover:plan:staging -->/);
    // Each head was checked once: one status per head, however many passes ran.
    expect((await statuses(head1)).length).toBe(1);
    expect((await statuses(head2)).length).toBe(1);
    // Planning wrote nothing: main's value stays.
    expect(await setting()).toBe('three');
  }, 300_000);

  it('drover webhook-url reads the Fleet and prints the URL, secret location and events configured on Gitea here', async () => {
    let out = '';
    let err = '';
    const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, logStream: process.stderr, env: {}, cwd: process.cwd() };
    expect(await runWebhookUrlCommand(['fleet', 'example', '-n', ns, '--url', relayUrl, '--kubeconfig', kubeconfigPath], io), err).toBe(0);
    expect(out).toContain(`Target URL              ${relayUrl}${hookPath()}`);
    expect(out).toContain(`Secret/${ns}/fleet-webhook`);
    expect(out).toContain('POST content type       application/json');
    expect(out).toContain('Custom events: Push, Pull request, Pull request synchronized');
    expect(out).not.toContain('GitHub (');
    expect(out).not.toContain(SECRET);
  });

  it('never logged the webhook secret', () => {
    expect(log.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(log.lines)).not.toContain(SECRET);
  });
});
