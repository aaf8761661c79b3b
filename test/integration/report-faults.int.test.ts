// Issue 8 #8: a forge that hangs, answers late or refuses. Reporting is bounded in total (the rest
// waits in the outbox), and a comment-creating POST whose answer was lost is never sent again
// without first looking whether the comment exists: one sticky plan comment, never two.
// The forge is the GitHub stand-in held to GitHub's OpenAPI description.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StatusContext, type CommitStatus } from '../../agent/report/commit-status.js';
import { createGitHubForge } from '../../agent/report/github.js';
import { createReportBudget } from '../../agent/report/http-retry.js';
import { createFileOutbox } from '../../agent/report/outbox.js';
import { postStatuses } from '../../agent/report/post-statuses.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/forge/github-api-server.js';
import { memoryLogger } from '../support/forge/memory-logger.js';

const TOKEN = 'ghp_FAULTStokenThatMustNeverAppear00000';
let github: GitHubApiServer;
let dir: string;

beforeAll(async () => {
  github = await startGitHubApiServer({ token: TOKEN, owner: 'acme', repo: 'fleet' });
  dir = await mkdtemp(join(tmpdir(), 'drover-report-faults-'));
});
afterAll(async () => {
  await github?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});
afterEach(() => github.clearFaults());

const forge = (extra: Partial<Parameters<typeof createGitHubForge>[0]> = {}) =>
  createGitHubForge({ baseUrl: github.url, owner: 'acme', repo: 'fleet', token: TOKEN, fetch: globalThis.fetch, ...extra });
const status = (cluster: string): CommitStatus => ({ state: 'pending', context: StatusContext.health('prod', cluster), description: `prod/${cluster}: Provisioning` });

describe('reporting under forge faults', () => {
  it('a comment created by a POST whose answer never came is found, not created twice', async () => {
    github.failNext({ status: 0, hang: true, afterHandling: true, method: 'POST' });
    const r = await forge({ attemptTimeoutMs: 500 }).upsertPlanComment(11, 'prod', '### plan\n');
    expect(r.action).toBe('created');
    expect(github.comments(11)).toHaveLength(1);
    expect(github.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/issues/11/comments'))).toHaveLength(1);
  });

  it('a POST that failed with 500 is looked for, then created once', async () => {
    github.failNext({ status: 500, method: 'POST', body: { message: 'boom' } });
    const r = await forge({ attemptTimeoutMs: 500 }).upsertPlanComment(12, 'prod', '### plan\n');
    expect(r.action).toBe('created');
    expect(github.comments(12)).toHaveLength(1);
  });

  it('a hanging forge holds reporting no longer than the budget; every status waits in the outbox', async () => {
    github.failNext({ status: 0, hang: true }, 1000);
    const outbox = createFileOutbox(join(dir, 'hang.json'));
    const sha = 'a'.repeat(40);
    const f = forge({ budget: createReportBudget(1500), attemptTimeoutMs: 30_000 });
    const r = await postStatuses(f, sha, [status('eu-1'), status('eu-2')], { log: memoryLogger(), outbox });
    expect(r.queued).toEqual(['drover/prod/eu-1', 'drover/prod/eu-2']);
    const entries = await outbox.list();
    expect(entries.map((e) => e.status.context)).toEqual(['drover/prod/eu-1', 'drover/prod/eu-2']);
    expect(entries[0]!.lastError).toContain('github acme/fleet@');
    expect(JSON.stringify(entries)).not.toContain(TOKEN);
  }, 20_000);

  it('a 429 asking for more time than the budget has left is not waited for', async () => {
    github.failNext({ status: 429, headers: { 'retry-after': '60' }, body: { message: 'slow down' } }, 10);
    const outbox = createFileOutbox(join(dir, 'ratelimit.json'));
    const r = await postStatuses(forge({ budget: createReportBudget(5000) }), 'b'.repeat(40), [status('eu-1')], { log: memoryLogger(), outbox });
    expect(r.queued).toEqual(['drover/prod/eu-1']);
    expect((await outbox.list())[0]!.lastError).toContain('HTTP 429');
  }, 20_000);

  it('a 401 is not retried, and the status is dropped for good with the reason recorded (a refusal, not an outage)', async () => {
    github.failNext({ status: 401, body: { message: 'Bad credentials' } }, 10);
    const outbox = createFileOutbox(join(dir, 'auth.json'));
    const before = github.requests.length;
    const r = await postStatuses(forge({ budget: createReportBudget(5000) }), 'c'.repeat(40), [status('eu-1')], { log: memoryLogger(), outbox });
    expect(r.queued).toEqual([]);
    expect(r.dropped).toEqual(['drover/prod/eu-1']);
    expect(github.requests.length - before).toBe(1);
    expect(await outbox.list()).toEqual([]);
    expect((await outbox.dropped())[0]!.error).toContain('HTTP 401: Bad credentials');
  });
});
