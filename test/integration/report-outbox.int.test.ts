// Statuses that cannot be delivered wait in the file outbox and reach the forge after the
// forge comes back, also across a restart of the agent (a new outbox over the same file).
// The forge is the GitHub stand-in held to GitHub's OpenAPI description.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusContext, type CommitStatus } from '../../agent/report/commit-status.js';
import { createGitHubForge } from '../../agent/report/github.js';
import { createFileOutbox } from '../../agent/report/outbox.js';
import { flushOutbox, postStatuses } from '../../agent/report/post-statuses.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/forge/github-api-server.js';
import { memoryLogger, recordingClock } from '../support/forge/memory-logger.js';

const TOKEN = 'ghp_OUTBOXtokenThatMustNeverAppear000000';
const SHA = 'f'.repeat(40);
let github: GitHubApiServer;
let dir: string;

beforeAll(async () => {
  github = await startGitHubApiServer({ token: TOKEN, owner: 'acme', repo: 'fleet' });
  dir = await mkdtemp(join(tmpdir(), 'drover-outbox-'));
});
afterAll(async () => {
  await github?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const forge = () => createGitHubForge({ baseUrl: github.url, owner: 'acme', repo: 'fleet', token: TOKEN, fetch: globalThis.fetch, clock: recordingClock(), maxAttempts: 2 });
const status = (cluster: string, state: CommitStatus['state'], description: string): CommitStatus => ({ state, context: StatusContext.health('prod', cluster), description });
/** The forge answers 503 to everything for the next `n` requests. */
const outage = (n: number) => github.failNext({ status: 503, body: { message: 'Service Unavailable' } }, n);

describe('outbox', () => {
  it('keeps statuses the forge refused and delivers them after a restart', async () => {
    const path = join(dir, 'restart.json');
    const sha = SHA.replace(/^f/, '1');
    const log = memoryLogger();
    outage(100);
    const r = await postStatuses(forge(), sha, [status('eu-1', 'pending', 'prod/eu-1: Provisioning'), status('eu-2', 'pending', 'prod/eu-2: Provisioning')], { log, outbox: createFileOutbox(path) });
    expect(r).toEqual({ posted: [], unchanged: [], queued: ['drover/prod/eu-1', 'drover/prod/eu-2'] });
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual(['commit status queued for retry', 'commit status queued for retry']);
    const file = await readFile(path, 'utf8');
    expect(file).not.toContain(TOKEN);
    expect(JSON.parse(file).entries).toHaveLength(2);
    github.clearFaults(); // the forge is back
    // restart: a new process reads the same file
    const restarted = createFileOutbox(path);
    expect(await restarted.list()).toHaveLength(2);
    const flushed = await flushOutbox(restarted, (id) => (id === forge().id ? forge() : undefined), { log: memoryLogger() });
    expect([...flushed.posted].sort()).toEqual(['drover/prod/eu-1', 'drover/prod/eu-2']);
    expect(await restarted.list()).toEqual([]);
    expect(github.statuses(sha).map((s) => s.context).sort()).toEqual(['drover/prod/eu-1', 'drover/prod/eu-2']);
  });

  it('replaces a queued status by a newer one for the same context, so a stale one is never posted', async () => {
    const path = join(dir, 'supersede.json');
    const sha = SHA.replace(/^f/, '2');
    const outbox = createFileOutbox(path);
    outage(100);
    await postStatuses(forge(), sha, [status('eu-1', 'pending', 'prod/eu-1: Provisioning')], { log: memoryLogger(), outbox });
    await postStatuses(forge(), sha, [status('eu-1', 'success', 'prod/eu-1: Available')], { log: memoryLogger(), outbox });
    const entries = await outbox.list();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ status: { state: 'success' }, attempts: 2 });
    github.clearFaults();
    await flushOutbox(outbox, () => forge(), { log: memoryLogger() });
    expect(github.statuses(sha).map((s) => s.state)).toEqual(['success']);
  });

  it('drops a queued status once a newer one for its context is delivered directly', async () => {
    const path = join(dir, 'direct.json');
    const sha = SHA.replace(/^f/, '3');
    const outbox = createFileOutbox(path);
    outage(100);
    await postStatuses(forge(), sha, [status('eu-1', 'pending', 'prod/eu-1: Provisioning')], { log: memoryLogger(), outbox });
    github.clearFaults();
    await postStatuses(forge(), sha, [status('eu-1', 'success', 'prod/eu-1: Available')], { log: memoryLogger(), outbox });
    expect(await outbox.list()).toEqual([]);
    await flushOutbox(outbox, () => forge(), { log: memoryLogger() });
    expect(github.statuses(sha).map((s) => s.state)).toEqual(['success']);
  });

  it('forgets a queued status the forge already shows', async () => {
    const path = join(dir, 'current.json');
    const sha = SHA.replace(/^f/, '4');
    const outbox = createFileOutbox(path);
    const s = status('eu-1', 'pending', 'prod/eu-1: Provisioning');
    await forge().postStatus(sha, s); // delivered, but the agent never learned (timeout on its side)
    await outbox.put({ forgeId: forge().id, sha, status: s, attempts: 1, queuedAt: Date.now(), lastError: 'request failed: timeout' });
    const r = await flushOutbox(outbox, () => forge(), { log: memoryLogger() });
    expect(r.unchanged).toEqual(['drover/prod/eu-1']);
    expect(await outbox.list()).toEqual([]);
    expect(github.statuses(sha)).toHaveLength(1);
  });

  it('serializes concurrent writes to the file', async () => {
    const path = join(dir, 'concurrent.json');
    const outbox = createFileOutbox(path);
    await Promise.all(Array.from({ length: 25 }, (_, i) => outbox.put({ forgeId: 'github:x', sha: SHA, status: status(`c-${i}`, 'pending', 'x'), attempts: 1, queuedAt: Date.now() + i, lastError: 'x' })));
    expect(JSON.parse(await readFile(path, 'utf8')).entries).toHaveLength(25);
    expect(await createFileOutbox(path).list()).toHaveLength(25);
  });

  it('drops a status the forge refuses for good (401), records why, and never retries it', async () => {
    const path = join(dir, 'refused.json');
    const sha = SHA.replace(/^f/, '5');
    const log = memoryLogger();
    const outbox = createFileOutbox(path);
    const wrong = createGitHubForge({ baseUrl: github.url, owner: 'acme', repo: 'fleet', token: 'ghp_wrongTokenThatMustNeverAppear0000000', fetch: globalThis.fetch, clock: recordingClock(), maxAttempts: 2 });
    const r = await postStatuses(wrong, sha, [status('eu-1', 'pending', 'prod/eu-1: Provisioning')], { log, outbox });
    expect(r).toEqual({ posted: [], unchanged: [], queued: [], dropped: ['drover/prod/eu-1'] });
    expect(await outbox.list()).toEqual([]);
    const dropped = await createFileOutbox(path).dropped(); // recorded in the file, across restarts
    expect(dropped).toMatchObject([{ sha, context: 'drover/prod/eu-1', state: 'pending', reason: 'refused' }]);
    expect(dropped[0]!.error).toMatch(/HTTP 401: Bad credentials/);
    expect(await readFile(path, 'utf8')).not.toContain('ghp_wrongToken');
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual(['commit status refused by the forge, dropped']);
  });

  it('drops a status the forge answers 422 for (no such commit), keeping the others of the run', async () => {
    const outbox = createFileOutbox(join(dir, 'unprocessable.json'));
    const r = await postStatuses(forge(), 'not-a-sha', [status('eu-1', 'pending', 'x')], { log: memoryLogger(), outbox });
    expect(r.dropped).toEqual(['drover/prod/eu-1']);
    expect((await outbox.dropped())[0]).toMatchObject({ reason: 'refused' });
  });

  it('caps the outbox by age and by size while the forge stays down, recording what it dropped', async () => {
    let now = Date.parse('2026-11-25T08:00:00Z');
    const outbox = createFileOutbox(join(dir, 'caps.json'), { limits: { maxEntries: 3, maxAgeMs: 60_000 }, now: () => now });
    const sha = SHA.replace(/^f/, '6');
    outage(1000);
    for (let i = 0; i < 5; i++) {
      now += 1000;
      await postStatuses(forge(), sha, [status(`c-${i}`, 'pending', `prod/c-${i}: Provisioning`)], { log: memoryLogger(), outbox, now: () => now });
    }
    expect((await outbox.list()).map((e) => e.status.context)).toEqual(['drover/prod/c-2', 'drover/prod/c-3', 'drover/prod/c-4']);
    expect((await outbox.dropped()).map((d) => [d.context, d.reason])).toEqual([['drover/prod/c-0', 'overflow'], ['drover/prod/c-1', 'overflow']]);
    now += 120_000; // the forge stays down past the age limit
    const r = await flushOutbox(outbox, () => forge(), { log: memoryLogger(), now: () => now });
    expect(r.posted).toEqual([]);
    expect(await outbox.list()).toEqual([]);
    expect((await outbox.dropped()).filter((d) => d.reason === 'expired')).toHaveLength(3);
    github.clearFaults();
    expect(github.statuses(sha)).toEqual([]);
  });
});
