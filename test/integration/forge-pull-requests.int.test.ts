// Listing open pull requests (GitHub) and merge requests (GitLab) through the adapters, and the
// agent's pull request poll (agent/runtime/pr-poller.ts) on top of them, against the local
// GitHub and GitLab stand-ins: every request and answer is checked against GitHub's published
// OpenAPI description and GitLab's documented shapes. The plan itself is not made here (the
// Gitea tests plan real heads against the real apiserver); each head gets a fixed plan result,
// so what is tested is the poll: which heads are checked, what is posted, what is remembered.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForgeReporter } from '../../agent/reconcile/report-forge.js';
import { StatusContext } from '../../agent/report/commit-status.js';
import type { Forge, PullRequestHead } from '../../agent/report/forge.js';
import { createGitHubForge } from '../../agent/report/github.js';
import { createGitLabForge } from '../../agent/report/gitlab.js';
import { createFileOutbox } from '../../agent/report/outbox.js';
import { createMemoryHeadStore } from '../../agent/runtime/pr-checked-heads.js';
import { checkPullRequestHeads, pollPullRequests, type PullRequestCheck } from '../../agent/runtime/pr-poller.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/forge/github-api-server.js';
import { startGitLabApiServer, type GitLabApiServer } from '../support/forge/gitlab-api-server.js';
import { memoryLogger, recordingClock } from '../support/forge/memory-logger.js';

const GH_TOKEN = 'ghp_TESTtokenForPullRequestLists012345678';
const GL_TOKEN = 'glpat-TESTtokenForMergeRequests01';
const sha = (n: number, salt = 'a') => `${salt}${n.toString(16).padStart(39, '0')}`;

let github: GitHubApiServer;
let gitlab: GitLabApiServer;
let dir: string;

beforeAll(async () => {
  github = await startGitHubApiServer({ token: GH_TOKEN, owner: 'acme', repo: 'fleet' });
  gitlab = await startGitLabApiServer({ token: GL_TOKEN, project: 'acme/fleet' });
  dir = await mkdtemp(join(tmpdir(), 'drover-forge-prs-'));
});
afterAll(async () => {
  await github?.close();
  await gitlab?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Stand {
  readonly name: string;
  forge(): Forge;
  open(title: string, branch: string, head: string, base?: string): number;
  push(n: number, head: string): void;
  close(n: number): void;
  listPages(): string[];
  comments(n: number): { body: string }[];
  statuses(head: string): { context: string; state: string }[];
  violations(): string[];
  /** What the contract says of a list answer holding one bare pull request (the negative control). */
  checkBareList(): string[];
}

const stands: Stand[] = [
  {
    name: 'GitHub',
    forge: () => createGitHubForge({ baseUrl: github.url, owner: 'acme', repo: 'fleet', token: GH_TOKEN, fetch: globalThis.fetch, clock: recordingClock() }),
    open: (title, headRef, headSha, baseRef) => github.addPullRequest({ title, headRef, headSha, baseRef }).number,
    push: (n, headSha) => github.updatePullRequest(n, { headSha }),
    close: (n) => github.updatePullRequest(n, { state: 'closed' }),
    listPages: () => github.requests.filter((r) => r.path === '/repos/acme/fleet/pulls').map((r) => new URLSearchParams(r.query).get('page') ?? '1'),
    comments: (n) => github.comments(n),
    statuses: (head) => github.statuses(head).map((s) => ({ context: s.context, state: s.state })),
    violations: () => github.contract.violations,
    checkBareList: () => github.contract.checkResponse('pulls/list', 200, [{ number: 1, head: { sha: sha(1) } }]),
  },
  {
    name: 'GitLab',
    forge: () => createGitLabForge({ baseUrl: gitlab.baseUrl, project: 'acme/fleet', token: GL_TOKEN, fetch: globalThis.fetch, clock: recordingClock() }),
    open: (title, sourceBranch, head, targetBranch) => gitlab.addMergeRequest({ title, sourceBranch, sha: head, targetBranch }).iid,
    push: (n, head) => gitlab.updateMergeRequest(n, { sha: head }),
    close: (n) => gitlab.updateMergeRequest(n, { state: 'closed' }),
    listPages: () => gitlab.requests.filter((r) => r.path === '/api/v4/projects/acme%2Ffleet/merge_requests').map((r) => new URLSearchParams(r.query).get('page') ?? '1'),
    comments: (n) => gitlab.notes(n),
    statuses: (head) => gitlab.statuses(head).map((s) => ({ context: s.name, state: s.status })),
    violations: () => gitlab.contract.violations,
    checkBareList: () => gitlab.contract.checkResponse('merge-requests/list-project', 200, [{ iid: 1, sha: sha(1) }]),
  },
];

/** A fixed plan result per head: what a real plan check would post, without planning. */
const fixedCheck = (checked: PullRequestHead[]) => async (pr: PullRequestHead): Promise<PullRequestCheck[]> => {
  checked.push(pr);
  return [{ env: 'staging', status: { state: 'success', context: StatusContext.plan('staging'), description: `staging: plan of ${pr.headSha.slice(0, 7)}` }, comment: `### Drover plan for \`${pr.headSha}\`\n` }];
};

describe.each(stands)('$name: open pull requests through the stand-in', (stand) => {
  it('lists every open one into any branch across pages, oldest first, with head and base', async () => {
    const before = stand.listPages().length;
    const opened: number[] = [];
    for (let i = 0; i < 120; i++) opened.push(stand.open(`Resize pool ${i}`, `resize-${i}`, sha(i), i % 10 === 9 ? 'release' : 'main'));
    for (const n of opened.slice(0, 5)) stand.close(n);
    const open = await stand.forge().listOpenPullRequests();
    expect(open.map((p) => p.number)).toEqual(opened.slice(5));
    expect(open[0]).toEqual({ number: opened[5], headSha: sha(5), headRef: 'resize-5', baseRef: 'main', title: 'Resize pool 5' });
    expect(open.find((p) => p.number === opened[9])?.baseRef).toBe('release');
    expect(stand.listPages().slice(before)).toEqual(['1', '2']);
    for (const n of opened.slice(5)) stand.close(n);
    expect(stand.violations()).toEqual([]);
  });

  it('the contract refuses a list answer missing the documented fields (negative control)', () => {
    expect(stand.checkBareList().length).toBeGreaterThan(3);
    stand.violations().length = 0;
  });

  it('polls: checks each new head once, again after a push with the comment edited in place, and forgets a closed one', async () => {
    const forge = stand.forge();
    const log = memoryLogger();
    const reporter = createForgeReporter(forge, createFileOutbox(join(dir, `${stand.name}-outbox.json`)), log);
    const store = createMemoryHeadStore();
    const checked: PullRequestHead[] = [];
    const poll = () =>
      pollPullRequests({
        forge,
        reportStatuses: (s, statuses) => reporter.reportStatuses(s, statuses),
        reportComment: (pr, env, markdown) => reporter.reportPlanComment(pr, env, markdown),
        check: fixedCheck(checked),
        store,
        baseRef: 'main',
        log,
      });
    const a = stand.open('Add eu-3', 'add-eu-3', sha(1, 'b'));
    const b = stand.open('Resize eu-1', 'resize-eu-1', sha(2, 'b'));
    const other = stand.open('Release only', 'rel', sha(3, 'b'), 'release');

    expect(await poll()).toEqual({ checked: [a, b], unchanged: [], failed: [], forgotten: [] });
    expect(stand.statuses(sha(1, 'b'))).toEqual([{ context: 'drover/plan/staging', state: 'success' }]);
    expect(stand.comments(a).map((c) => c.body)).toEqual([expect.stringMatching(/^<!-- drover:plan:staging -->\n### Drover plan for `b0+1`/)]);
    expect(stand.statuses(sha(3, 'b'))).toEqual([]); // into another branch: not this Fleet's

    expect(await poll()).toEqual({ checked: [], unchanged: [a, b], failed: [], forgotten: [] });
    stand.push(b, sha(4, 'b'));
    expect(await poll()).toMatchObject({ checked: [b], unchanged: [a] });
    expect(stand.comments(b)).toHaveLength(1);
    expect(stand.comments(b)[0]!.body).toContain(sha(4, 'b'));
    expect(stand.statuses(sha(4, 'b'))).toHaveLength(1);

    // A webhook announces a push before the next poll: checked once, and the poll leaves it.
    stand.push(a, sha(5, 'b'));
    const head = { number: a, headSha: sha(5, 'b'), headRef: 'add-eu-3', baseRef: 'main', title: 'Add eu-3' };
    const deps = { reportStatuses: (s: string, st: Parameters<typeof reporter.reportStatuses>[1]) => reporter.reportStatuses(s, st), reportComment: (pr: number, env: string, md: string) => reporter.reportPlanComment(pr, env, md), check: fixedCheck(checked), store, log };
    expect(await checkPullRequestHeads(deps, [head])).toEqual({ checked: [a], unchanged: [], failed: [] });
    expect(await checkPullRequestHeads(deps, [head])).toEqual({ checked: [], unchanged: [a], failed: [] });
    expect(await poll()).toMatchObject({ checked: [], unchanged: [a, b] });

    stand.close(a);
    expect(await poll()).toEqual({ checked: [], unchanged: [b], failed: [], forgotten: [a] });
    expect(checked.map((p) => [p.number, p.headSha])).toEqual([[a, sha(1, 'b')], [b, sha(2, 'b')], [b, sha(4, 'b')], [a, sha(5, 'b')]]);
    expect(JSON.stringify(log.lines)).not.toContain(stand.name === 'GitHub' ? GH_TOKEN : GL_TOKEN);
    stand.close(b);
    stand.close(other);
    expect(stand.violations()).toEqual([]);
  });
});
