// The GitLab adapter (agent/report/gitlab.ts) against a local GitLab API stand-in held to
// GitLab's documented shapes (test/support/forge/gitlab-contract.ts). No real GitLab is involved.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportError } from '../../agent/core/errors.js';
import { StatusContext, type CommitStatus } from '../../agent/report/commit-status.js';
import { createGitLabForge } from '../../agent/report/gitlab.js';
import { postStatuses } from '../../agent/report/post-statuses.js';
import { startGitLabApiServer, type GitLabApiServer } from '../support/forge/gitlab-api-server.js';
import { memoryLogger, recordingClock } from '../support/forge/memory-logger.js';

const TOKEN = 'glpat-TESTtokenThatMustNeverAppear01';
const sha = (n: number): string => n.toString(16).padStart(40, 'c');
let gitlab: GitLabApiServer;

beforeAll(async () => {
  gitlab = await startGitLabApiServer({ token: TOKEN, project: 'acme/fleet' });
});
afterAll(async () => {
  await gitlab?.close();
});

const forgeFor = (project: string | number = 'acme/fleet', token = TOKEN, clock = recordingClock()) => createGitLabForge({ baseUrl: gitlab.baseUrl, project, token, fetch: globalThis.fetch, clock });
const pending: CommitStatus = { state: 'pending', context: StatusContext.apply('prod'), description: 'prod: applied 1 configured' };
const posts = () => gitlab.requests.filter((r) => r.method === 'POST' && r.path.includes('/statuses/')).length;

describe('GitLab adapter against the documented-shape stand-in', () => {
  it('posts running for pending, skips the repeat, then turns the same status to success', async () => {
    const forge = forgeFor();
    const log = memoryLogger();
    expect((await postStatuses(forge, sha(1), [pending], { log })).posted).toEqual(['drover/prod']);
    const before = posts();
    expect((await postStatuses(forge, sha(1), [pending], { log })).unchanged).toEqual(['drover/prod']);
    expect(posts()).toBe(before);
    await postStatuses(forge, sha(1), [{ ...pending, state: 'success', description: 'prod: applied 1 configured; 1/1 clusters healthy at this revision' }], { log });
    expect(gitlab.statuses(sha(1))).toMatchObject([{ name: 'drover/prod', status: 'success', description: 'prod: applied 1 configured; 1/1 clusters healthy at this revision' }]);
    expect((await forge.getLatestStatuses(sha(1))).get('drover/prod')?.forgeState).toBe('success');
  });

  it('does not re-post a running status whose description changed (GitLab refuses running → running)', async () => {
    const forge = forgeFor();
    await postStatuses(forge, sha(2), [pending], { log: memoryLogger() });
    const before = posts();
    const r = await postStatuses(forge, sha(2), [{ ...pending, description: 'prod: applied 1 configured; 0/1 clusters healthy at this revision; pending: eu-1' }], { log: memoryLogger() });
    expect(r.unchanged).toEqual(['drover/prod']);
    expect(posts()).toBe(before);
    await postStatuses(forge, sha(2), [{ ...pending, state: 'error', description: 'prod: 0/1 clusters healthy at this revision; error: eu-1' }], { log: memoryLogger() });
    expect(gitlab.statuses(sha(2))).toMatchObject([{ status: 'failed', description: 'prod: 0/1 clusters healthy at this revision; error: eu-1' }]);
  });

  it('treats GitLab\'s refused same-state transition as delivered', async () => {
    const forge = forgeFor();
    await forge.postStatus(sha(3), pending);
    await expect(forge.postStatus(sha(3), pending)).resolves.toBeUndefined();
    const refused = gitlab.requests.filter((r) => r.status === 400);
    expect(refused.length).toBeGreaterThan(0);
  });

  it('posts a new status after a finished one, as GitLab creates a new job for it', async () => {
    const forge = forgeFor();
    await postStatuses(forge, sha(4), [{ ...pending, state: 'failure', description: 'prod: apply failed: x' }], { log: memoryLogger() });
    await postStatuses(forge, sha(4), [pending], { log: memoryLogger() });
    expect(gitlab.statuses(sha(4)).map((s) => s.status)).toEqual(['failed', 'running']);
    expect((await forge.getLatestStatuses(sha(4))).get('drover/prod')?.forgeState).toBe('running');
  });

  it('reads back the latest status per name across pages (130 clusters) and addresses the project by ID or path', async () => {
    const many = Array.from({ length: 130 }, (_, i): CommitStatus => ({ state: 'pending', context: StatusContext.health('prod', `eu-${i}`), description: `prod/eu-${i}: Provisioning` }));
    expect((await postStatuses(forgeFor(42), sha(5), many, { log: memoryLogger() })).posted).toHaveLength(130);
    expect((await forgeFor('acme/fleet').getLatestStatuses(sha(5))).size).toBe(130);
    expect(gitlab.requests.some((r) => r.path === `/api/v4/projects/acme%2Ffleet/repository/commits/${sha(5)}/statuses`)).toBe(true);
    expect(gitlab.requests.some((r) => r.path === `/api/v4/projects/42/statuses/${sha(5)}`)).toBe(true);
    expect(gitlab.requests.filter((r) => r.method === 'POST').every((r) => r.headers['private-token'] === TOKEN)).toBe(true);
  });

  it('retries 500 and 429 with Retry-After', async () => {
    const clock = recordingClock();
    const forge = forgeFor('acme/fleet', TOKEN, clock);
    gitlab.failNext({ status: 500, method: 'POST', body: { message: '500 Internal Server Error' } });
    gitlab.failNext({ status: 429, method: 'POST', headers: { 'retry-after': '3' }, body: { message: 'Retry later' } });
    await forge.postStatus(sha(6), pending);
    expect(clock.slept).toEqual([1000, 3000]);
    expect(gitlab.statuses(sha(6))).toHaveLength(1);
  });

  it('abandons a status POST the forge never answers and does not resend it blind', async () => {
    // It may have landed: resending could post it twice. The reporter reads the context back and
    // posts again only when it is absent (faults-forge.int.test.ts covers that path).
    const retried: (number | undefined)[] = [];
    const forge = createGitLabForge({ baseUrl: gitlab.baseUrl, project: 42, token: TOKEN, fetch: globalThis.fetch, clock: recordingClock(), attemptTimeoutMs: 50, onRetry: (i) => retried.push(i.status) });
    gitlab.failNext({ status: 0, hang: true, method: 'POST' });
    await expect(forge.postStatus(sha(10), pending)).rejects.toThrow(/post status drover\/prod: request failed/);
    expect(retried).toEqual([]);
    expect(gitlab.statuses(sha(10))).toHaveLength(0);
  });

  it('keeps one sticky plan note per environment on a merge request, ignoring system notes', async () => {
    const forge = forgeFor();
    const mr = 9;
    gitlab.addNote(mr, 'added 1 commit', true);
    for (let i = 0; i < 105; i++) gitlab.addNote(mr, `review comment ${i}`);
    const created = await forge.upsertPlanComment(mr, 'prod', '### prod\n- adds cluster eu-3');
    expect(created.action).toBe('created');
    expect(await forge.upsertPlanComment(mr, 'prod', '### prod\n- adds cluster eu-3\n- eu-1: pool md-0 3 → 5')).toEqual({ id: created.id, action: 'updated' });
    expect(await forge.upsertPlanComment(mr, 'prod', '### prod\n- adds cluster eu-3\n- eu-1: pool md-0 3 → 5')).toEqual({ id: created.id, action: 'unchanged' });
    expect(gitlab.notes(mr).filter((n) => n.body.startsWith('<!-- drover:plan:prod -->'))).toHaveLength(1);
  });

  it('fails with a ReportError naming GitLab and the SHA, never the token', async () => {
    const wrong = `${TOKEN}x`;
    const err = await forgeFor('acme/fleet', wrong).postStatus(sha(7), pending).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).message).toBe(`gitlab acme/fleet@${sha(7)} post status drover/prod: HTTP 401: 401 Unauthorized`);
    const everything = [String(err), (err as Error).stack, JSON.stringify(err), inspect(err, { depth: 10, showHidden: true })].join('\n');
    expect(everything).not.toContain(TOKEN);
  });

  it('the contract catches a state GitLab does not know (negative control)', async () => {
    const before = gitlab.contract.violations.length;
    const res = await fetch(`${gitlab.baseUrl}/api/v4/projects/42/statuses/${sha(8)}`, { method: 'POST', headers: { 'private-token': TOKEN, 'content-type': 'application/json' }, body: JSON.stringify({ state: 'error', name: 'x' }) });
    expect(res.status).toBe(400);
    expect(gitlab.contract.violations.slice(before)).toEqual([expect.stringContaining('commits/post-status request: body/state must be equal to one of the allowed values')]);
    gitlab.contract.violations.splice(before);
  });

  afterAll(() => {
    expect(gitlab.contract.violations).toEqual([]);
  });
});
