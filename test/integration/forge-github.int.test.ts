// The GitHub adapter (agent/report/github.ts, @octokit/rest) against a local GitHub API
// stand-in whose every request and response is checked against GitHub's published OpenAPI
// description (@octokit/openapi). No real github.com is involved.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportError } from '../../agent/core/errors.js';
import { StatusContext, type CommitStatus } from '../../agent/report/commit-status.js';
import { createGitHubForge } from '../../agent/report/github.js';
import { postStatuses } from '../../agent/report/post-statuses.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/forge/github-api-server.js';
import { loadGitHubContract } from '../support/forge/github-contract.js';
import { memoryLogger, recordingClock } from '../support/forge/memory-logger.js';

const TOKEN = 'ghp_TESTtokenThatMustNeverAppear0123456789';
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const contract = loadGitHubContract();
let github: GitHubApiServer;
let enterprise: GitHubApiServer;

beforeAll(async () => {
  github = await startGitHubApiServer({ token: TOKEN, owner: 'acme', repo: 'fleet', contract });
  enterprise = await startGitHubApiServer({ token: TOKEN, owner: 'acme', repo: 'fleet', enterprise: true, contract });
});
afterAll(async () => {
  await github?.close();
  await enterprise?.close();
});

const forgeFor = (server: GitHubApiServer, clock = recordingClock(), token = TOKEN) => createGitHubForge({ baseUrl: server.url, owner: 'acme', repo: 'fleet', token, fetch: globalThis.fetch, clock });
const pending: CommitStatus = { state: 'pending', context: StatusContext.apply('prod'), description: 'prod: applied 1 configured' };

describe('GitHub adapter against the OpenAPI-checked stand-in', () => {
  it('posts pending, skips an unchanged repeat after reading back, then posts success', async () => {
    const forge = forgeFor(github);
    const log = memoryLogger();
    const sha = SHA.replace('a1', 'b1');
    expect(await postStatuses(forge, sha, [pending], { log })).toEqual({ posted: ['drover/prod'], unchanged: [], queued: [] });
    const postsBefore = github.requests.filter((r) => r.method === 'POST').length;
    expect(await postStatuses(forge, sha, [pending], { log })).toEqual({ posted: [], unchanged: ['drover/prod'], queued: [] });
    expect(github.requests.filter((r) => r.method === 'POST').length).toBe(postsBefore);
    const success: CommitStatus = { ...pending, state: 'success', description: 'prod: applied 1 configured; 1/1 clusters healthy at this revision' };
    expect(await postStatuses(forge, sha, [success], { log })).toMatchObject({ posted: ['drover/prod'] });
    expect(github.statuses(sha).map((s) => s.state)).toEqual(['pending', 'success']);
    const latest = await forge.getLatestStatuses(sha);
    expect(latest.get('drover/prod')).toMatchObject({ forgeState: 'success', description: success.description });
    expect(log.lines.map((l) => l.msg)).toEqual(['commit status posted', 'commit status unchanged', 'commit status posted']);
  });

  it('reads back the latest status of every context across pages (130 clusters)', async () => {
    const forge = forgeFor(github);
    const sha = SHA.replace('a1', 'c1');
    const many = Array.from({ length: 130 }, (_, i): CommitStatus => ({ state: 'pending', context: StatusContext.health('prod', `eu-${i}`), description: `prod/eu-${i}: Provisioning (InfrastructureReady)` }));
    const first = await postStatuses(forge, sha, many, { log: memoryLogger() });
    expect(first.posted).toHaveLength(130);
    const latest = await forge.getLatestStatuses(sha);
    expect(latest.size).toBe(130);
    const again = await postStatuses(forge, sha, many, { log: memoryLogger() });
    expect(again.unchanged).toHaveLength(130);
    expect(github.requests.filter((r) => r.path.endsWith(`/commits/${sha}/status`)).map((r) => new URLSearchParams(r.query).get('page'))).toEqual(['1', '1', '2', '1', '2']); // the first read finds none
  });

  it('cuts a long description to 140 characters, which GitHub would otherwise refuse with 422', async () => {
    const forge = forgeFor(github);
    const sha = SHA.replace('a1', 'd1');
    await forge.postStatus(sha, { ...pending, description: `prod/eu-1: ${'Provisioning '.repeat(20)}` });
    const [stored] = github.statuses(sha);
    expect([...stored!.description!]).toHaveLength(140);
    expect(stored!.description!.endsWith('…')).toBe(true);
  });

  it('retries 502 and 429, honouring Retry-After, without waiting in the test', async () => {
    const clock = recordingClock();
    const retries: number[] = [];
    const forge = createGitHubForge({ baseUrl: github.url, owner: 'acme', repo: 'fleet', token: TOKEN, fetch: globalThis.fetch, clock, onRetry: (i) => retries.push(i.status ?? 0) });
    const sha = SHA.replace('a1', 'e1');
    github.failNext({ status: 502, method: 'POST', body: { message: 'Server Error' } });
    github.failNext({ status: 429, method: 'POST', headers: { 'retry-after': '7' }, body: { message: 'You have exceeded a secondary rate limit.', documentation_url: 'https://docs.github.com/rest' } });
    await forge.postStatus(sha, pending);
    expect(retries).toEqual([502, 429]);
    expect(clock.slept).toEqual([1000, 7000]);
    expect(github.statuses(sha)).toHaveLength(1);
  });

  it('waits for the rate-limit reset on a 403 with x-ratelimit-remaining: 0', async () => {
    const clock = recordingClock();
    const forge = forgeFor(github, clock);
    const reset = Math.floor(clock.now() / 1000) + 20;
    github.failNext({ status: 403, method: 'POST', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, body: { message: 'API rate limit exceeded', documentation_url: 'https://docs.github.com/rest' } });
    await forge.postStatus(SHA.replace('a1', 'e2'), pending);
    expect(clock.slept).toEqual([20_000]);
  });

  it('gives up after 5 attempts with a ReportError naming GitHub and the SHA', async () => {
    const clock = recordingClock();
    const forge = forgeFor(github, clock);
    github.failNext({ status: 503, method: 'POST', body: { message: 'Service Unavailable' } }, 5);
    const err = await forge.postStatus(SHA, pending).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).message).toBe(`github acme/fleet@${SHA} post status drover/prod: HTTP 503: Service Unavailable`);
    expect((err as ReportError).retry).toBe('transient');
    expect(clock.slept).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never puts the token in an error or a log line', async () => {
    const log = memoryLogger();
    const forge = forgeFor(github, recordingClock(), `${TOKEN}-wrong`);
    const err = await forge.postStatus(SHA, pending).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).message).toBe(`github acme/fleet@${SHA} post status drover/prod: HTTP 401: Bad credentials`);
    expect((err as ReportError).retry).toBe('terminal');
    const everything = [String(err), (err as Error).stack, JSON.stringify(err), inspect(err, { depth: 10, showHidden: true })].join('\n');
    expect(everything).not.toContain(TOKEN);
    await expect(postStatuses(forge, SHA, [pending], { log })).rejects.toThrow(ReportError);
    expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
  });

  it('works against a GitHub Enterprise Server base URL (/api/v3)', async () => {
    const forge = forgeFor(enterprise);
    await postStatuses(forge, SHA, [pending], { log: memoryLogger() });
    expect(enterprise.statuses(SHA)).toHaveLength(1);
    expect(enterprise.requests.map((r) => r.path)).toEqual([`/api/v3/repos/acme/fleet/commits/${SHA}/status`, `/api/v3/repos/acme/fleet/statuses/${SHA}`]);
    expect(enterprise.requests.every((r) => r.headers.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('keeps one sticky plan comment per environment, edited in place, found past the first page', async () => {
    const forge = forgeFor(github);
    const pr = 17;
    const chatter = createGitHubForge({ baseUrl: github.url, owner: 'acme', repo: 'fleet', token: TOKEN, fetch: globalThis.fetch });
    expect(await forge.upsertPlanComment(pr, 'staging', '### staging\nno changes')).toMatchObject({ action: 'created' });
    for (let i = 0; i < 110; i++) await chatter.upsertPlanComment(pr, `noise-${i}`, 'x'); // 110 other comments
    const created = await forge.upsertPlanComment(pr, 'prod', '### prod\n- eu-1: pool md-0 3 → 5');
    expect(created.action).toBe('created');
    const updated = await forge.upsertPlanComment(pr, 'prod', '### prod\n- eu-1: pool md-0 3 → 7');
    expect(updated).toEqual({ id: created.id, action: 'updated' });
    expect(await forge.upsertPlanComment(pr, 'prod', '### prod\n- eu-1: pool md-0 3 → 7')).toEqual({ id: created.id, action: 'unchanged' });
    const prod = github.comments(pr).filter((c) => c.body.includes('<!-- drover:plan:prod -->'));
    expect(prod).toHaveLength(1);
    expect(prod[0]!.body).toBe('<!-- drover:plan:prod -->\n### prod\n- eu-1: pool md-0 3 → 7\n');
    expect(github.comments(pr).find((c) => c.body.includes('drover:plan:staging'))!.body).toContain('no changes');
  });

  it('the contract catches a request GitHub would refuse (negative control)', async () => {
    const before = contract.violations.length;
    const res = await fetch(`${github.url}/repos/acme/fleet/statuses/${SHA}`, { method: 'POST', headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ state: 'running' }) });
    expect(res.status).toBe(422);
    expect(contract.violations.slice(before)).toEqual([expect.stringContaining('repos/create-commit-status request: body/state must be equal to one of the allowed values ["error","failure","pending","success"]')]);
    contract.violations.splice(before);
  });

  afterAll(() => {
    // Every request the adapter made and every response the stand-in gave matched GitHub's description.
    expect(contract.violations).toEqual([]);
  });
});
