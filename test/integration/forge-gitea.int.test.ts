// The Gitea adapter (agent/report/gitea.ts) against a real Gitea built from its Go module
// (test/support/forge/build-gitea.sh) and started on loopback with SQLite.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportError } from '../../agent/core/errors.js';
import { StatusContext, type CommitStatus } from '../../agent/report/commit-status.js';
import { createGiteaForge } from '../../agent/report/gitea.js';
import { postStatuses } from '../../agent/report/post-statuses.js';
import { giteaBinary, startGitea, type GiteaInstance } from '../support/forge/gitea.js';
import { memoryLogger, recordingClock } from '../support/forge/memory-logger.js';

let gitea: GiteaInstance;
let sha: string;

beforeAll(async () => {
  const binary = giteaBinary();
  const t1 = Date.now();
  gitea = await startGitea(binary);
  ({ sha } = await gitea.createRepo('fleet'));
  console.log(`gitea ${gitea.version} at ${gitea.url} (binary at ${binary}; started with a repo in ${((Date.now() - t1) / 1000).toFixed(1)} s)`);
}, 180_000);
afterAll(async () => {
  await gitea?.stop();
});

const forge = (token = gitea.token) => createGiteaForge({ baseUrl: gitea.url, owner: 'drover', repo: 'fleet', token, fetch: globalThis.fetch, clock: recordingClock() });
const pending: CommitStatus = { state: 'pending', context: StatusContext.apply('prod'), description: 'prod: applied 2 created', targetUrl: 'https://drover.example/prod' };
/** Every status Gitea stores for the commit, newest first, as its API returns them. */
const stored = (ref: string) => gitea.api<{ status: string; context: string; description: string }[]>('GET', `/repos/drover/fleet/statuses/${ref}?limit=50`);

describe('Gitea adapter against a real Gitea', () => {
  it('posts pending, reads back and skips an unchanged repeat, then turns success', async () => {
    const log = memoryLogger();
    expect(await postStatuses(forge(), sha, [pending], { log })).toEqual({ posted: ['drover/prod'], unchanged: [], queued: [] });
    expect(await postStatuses(forge(), sha, [pending], { log })).toEqual({ posted: [], unchanged: ['drover/prod'], queued: [] });
    expect((await stored(sha)).filter((s) => s.context === 'drover/prod')).toHaveLength(1);
    const success: CommitStatus = { ...pending, state: 'success', description: 'prod: applied 2 created; 2/2 clusters healthy at this revision' };
    expect((await postStatuses(forge(), sha, [success], { log })).posted).toEqual(['drover/prod']);
    const mine = (await stored(sha)).filter((s) => s.context === 'drover/prod');
    // Gitea names the state `status` in what it returns.
    expect(mine.map((s) => s.status).sort()).toEqual(['pending', 'success']);
    expect((await forge().getLatestStatuses(sha)).get('drover/prod')).toEqual({ context: 'drover/prod', forgeState: 'success', description: success.description, targetUrl: 'https://drover.example/prod' });
  });

  it('reads the latest status of every context across Gitea pages (60 clusters, 50 per page)', async () => {
    const many = Array.from({ length: 60 }, (_, i): CommitStatus => ({ state: 'pending', context: StatusContext.health('staging', `c-${i}`), description: `staging/c-${i}: Provisioning (InfrastructureReady)` }));
    const first = await postStatuses(forge(), sha, many, { log: memoryLogger() });
    expect(first.posted).toHaveLength(60);
    const latest = await forge().getLatestStatuses(sha);
    expect([...latest.keys()].filter((k) => k.startsWith('drover/staging/'))).toHaveLength(60);
    expect((await postStatuses(forge(), sha, many, { log: memoryLogger() })).unchanged).toHaveLength(60);
  });

  it('stores a long description cut to 140 characters', async () => {
    await forge().postStatus(sha, { state: 'failure', context: 'drover/prod/eu-9', description: `prod/eu-9: ${'Degraded: etcd member unhealthy '.repeat(10)}` });
    const latest = await forge().getLatestStatuses(sha);
    const description = latest.get('drover/prod/eu-9')!.description;
    expect([...description].length).toBeLessThanOrEqual(140);
    expect(description.endsWith('…')).toBe(true);
  });

  it('keeps one sticky plan comment on a pull request, edited in place on each push', async () => {
    const pr = await gitea.openPullRequest('fleet', 'eu-3');
    const f = forge();
    const first = await f.upsertPlanComment(pr.number, 'prod', '### Plan for prod\n- adds cluster eu-3');
    expect(first.action).toBe('created');
    await gitea.api('POST', `/repos/drover/fleet/issues/${pr.number}/comments`, { body: 'looks good to me' });
    const second = await f.upsertPlanComment(pr.number, 'prod', '### Plan for prod\n- adds cluster eu-3\n- eu-1: pool md-0 3 → 5');
    expect(second).toEqual({ id: first.id, action: 'updated' });
    expect(await f.upsertPlanComment(pr.number, 'prod', '### Plan for prod\n- adds cluster eu-3\n- eu-1: pool md-0 3 → 5')).toEqual({ id: first.id, action: 'unchanged' });
    const comments = await gitea.api<{ id: number; body: string }[]>('GET', `/repos/drover/fleet/issues/${pr.number}/comments`);
    expect(comments.map((c) => c.body)).toEqual(['<!-- drover:plan:prod -->\n### Plan for prod\n- adds cluster eu-3\n- eu-1: pool md-0 3 → 5\n', 'looks good to me']);
    // the plan status goes on the PR head
    await postStatuses(f, pr.headSha, [{ state: 'success', context: StatusContext.plan('prod'), description: '+1 cluster, 0 pools resized, 0 deleted' }], { log: memoryLogger() });
    expect((await f.getLatestStatuses(pr.headSha)).get('drover/plan/prod')?.forgeState).toBe('success');
  });

  it('fails with a ReportError naming Gitea and the SHA, never the token', async () => {
    // flip the last hex digit, so the wrong token never equals the real one (it ends in 0 one time in 16)
    const wrong = `${gitea.token.slice(0, -1)}${gitea.token.endsWith('0') ? '1' : '0'}`;
    const err = await forge(wrong).postStatus(sha, pending).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).message).toMatch(new RegExp(`^gitea drover/fleet@${sha} post status drover/prod: HTTP 401: `));
    expect((err as ReportError).retry).toBe('terminal');
    const everything = [String(err), (err as Error).stack, JSON.stringify(err), inspect(err, { depth: 10, showHidden: true })].join('\n');
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(gitea.token);
  });

  it('reports an unknown repository as a terminal ReportError', async () => {
    const f = createGiteaForge({ baseUrl: gitea.url, owner: 'drover', repo: 'nope', token: gitea.token, fetch: globalThis.fetch });
    const err = await f.getLatestStatuses(sha).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).message).toMatch(new RegExp(`^gitea drover/nope@${sha} read statuses: HTTP 404`));
  });
});
