// A local stand-in for the GitHub REST API (github.com and Enterprise Server under /api/v3):
// commit statuses, issue comments and the list of pull requests, with GitHub's documented
// behaviour (140-character descriptions, at most 1000 statuses per SHA and context,
// case-insensitive contexts, Link pagination, pull requests filtered by state and base and sorted
// by creation, token auth). Every request and response is checked against GitHub's published
// OpenAPI description (@octokit/openapi); `contract.violations` lists any mismatch.
import { loadGitHubContract } from './github-contract.js';
import type { ApiContract } from './openapi-contract.js';
import { startJsonServer, type Fault, type JsonReply, type JsonRequest, type JsonServer, type RecordedRequest, type Route } from './json-http-server.js';

export interface GitHubStatus {
  id: number;
  state: string;
  description: string | null;
  target_url: string | null;
  context: string;
  created_at: string;
  updated_at: string;
}
export interface GitHubComment {
  id: number;
  issue: number;
  body: string;
  created_at: string;
  updated_at: string;
}

/** A pull request as the stand-in keeps it; `addPullRequest` makes one. */
export interface GitHubPullRequest {
  number: number;
  title: string;
  state: 'open' | 'closed';
  headRef: string;
  headSha: string;
  baseRef: string;
  created_at: string;
  updated_at: string;
}

export interface GitHubApiServer {
  /** The API base URL to give Octokit (`…/api/v3` when started with `enterprise`). */
  readonly url: string;
  readonly contract: ApiContract;
  readonly requests: RecordedRequest[];
  /** Every status posted per SHA, oldest first. */
  statuses(sha: string): GitHubStatus[];
  comments(issue: number): GitHubComment[];
  /** Opens a pull request (numbers count up from 1, shared with issues as on GitHub). */
  addPullRequest(pr: { title: string; headRef: string; headSha: string; baseRef?: string }): GitHubPullRequest;
  /** A push to its branch (`headSha`) or closing it (`state`). */
  updatePullRequest(number: number, change: { headSha?: string; state?: 'open' | 'closed' }): void;
  failNext(fault: Fault, times?: number): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const MAX_STATUSES_PER_CONTEXT = 1000;

export async function startGitHubApiServer(options: { token: string; owner: string; repo: string; enterprise?: boolean; contract?: ApiContract }): Promise<GitHubApiServer> {
  const contract = options.contract ?? loadGitHubContract();
  const prefix = options.enterprise ? '/api/v3' : '';
  const statuses = new Map<string, GitHubStatus[]>();
  const comments: GitHubComment[] = [];
  const pulls: GitHubPullRequest[] = [];
  let nextId = 1;
  let clock = Date.parse('2026-11-25T08:00:00Z');
  const stamp = (): string => new Date((clock += 1000)).toISOString();
  const origin = (req: JsonRequest): string => `http://${String(req.headers.host)}${prefix}`;

  /** Runs a handler with contract checks on both sides; a bad request gets GitHub's 422. */
  const operation = (operationId: string, method: string, template: string, handle: (req: JsonRequest) => JsonReply): Route => ({
    method,
    template,
    handle: (req) => {
      const problems = contract.checkRequest(operationId, req.query, req.body);
      const reply = problems.length
        ? { status: 422, body: { message: `Invalid request.\n\n${problems.join('\n')}`, documentation_url: DOCS } }
        : sameRepo(req) ?? handle(req);
      contract.checkResponse(operationId, reply.status, reply.body);
      return reply;
    },
  });
  const sameRepo = (req: JsonRequest): JsonReply | undefined =>
    req.params.owner === options.owner && req.params.repo === options.repo ? undefined : { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };

  const user = (base: string) => simpleUser(base, 'drover-bot', 4242);
  const toStatus = (s: GitHubStatus, base: string, sha: string) => ({
    url: `${base}/repos/${options.owner}/${options.repo}/statuses/${sha}`,
    avatar_url: null,
    id: s.id,
    node_id: `SC_${s.id}`,
    state: s.state,
    description: s.description,
    target_url: s.target_url,
    context: s.context,
    created_at: s.created_at,
    updated_at: s.updated_at,
  });
  const latestPerContext = (sha: string): GitHubStatus[] => {
    const seen = new Set<string>();
    const out: GitHubStatus[] = [];
    for (const s of [...(statuses.get(sha) ?? [])].reverse()) {
      if (seen.has(s.context.toLowerCase())) continue;
      seen.add(s.context.toLowerCase());
      out.push(s);
    }
    return out;
  };
  const page = <T>(req: JsonRequest, items: T[], defaultPerPage = 30): { items: T[]; headers: Record<string, string> } | JsonReply => {
    const perPage = Number(req.query.get('per_page') ?? defaultPerPage);
    const n = Number(req.query.get('page') ?? 1);
    if (perPage > 100) return { status: 422, body: { message: 'per_page must be at most 100', documentation_url: DOCS } };
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const links: string[] = [];
    const link = (p: number, rel: string): string => {
      const q = new URLSearchParams(req.query);
      q.set('page', String(p));
      q.set('per_page', String(perPage));
      return `<${origin(req)}${req.path}?${q}>; rel="${rel}"`;
    };
    if (n < last) links.push(link(n + 1, 'next'), link(last, 'last'));
    if (n > 1) links.push(link(1, 'first'), link(n - 1, 'prev'));
    return { items: items.slice((n - 1) * perPage, n * perPage), headers: links.length ? { link: links.join(', ') } : {} };
  };
  const toComment = (c: GitHubComment, base: string) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${base}/repos/${options.owner}/${options.repo}/issues/comments/${c.id}`,
    html_url: `https://github.example/${options.owner}/${options.repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${base}/repos/${options.owner}/${options.repo}/issues/${c.issue}`,
    body: c.body,
    user: user(base),
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: 'NONE',
  });

  const routes: Route[] = [
    operation('repos/create-commit-status', 'POST', '/repos/{owner}/{repo}/statuses/{sha}', (req) => {
      const sha = req.params.sha!;
      if (!/^[0-9a-f]{40}$/.test(sha)) return { status: 422, body: { message: `No commit found for SHA: ${sha}`, documentation_url: DOCS } };
      const b = req.body as { state: string; description?: string | null; target_url?: string | null; context?: string };
      if ((b.description ?? '').length > 140) {
        return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Status', code: 'custom', field: 'description', message: 'description is too long (maximum is 140 characters)' }], documentation_url: DOCS } };
      }
      const context = b.context ?? 'default';
      const list = statuses.get(sha) ?? [];
      if (list.filter((s) => s.context.toLowerCase() === context.toLowerCase()).length >= MAX_STATUSES_PER_CONTEXT) {
        return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Status', code: 'custom', message: 'This SHA and context has reached the maximum number of statuses.' }], documentation_url: DOCS } };
      }
      const now = stamp();
      const s: GitHubStatus = { id: nextId++, state: b.state, description: b.description ?? null, target_url: b.target_url ?? null, context, created_at: now, updated_at: now };
      list.push(s);
      statuses.set(sha, list);
      return { status: 201, body: { ...toStatus(s, origin(req), sha), creator: user(origin(req)) }, headers: { location: `${origin(req)}/repos/${options.owner}/${options.repo}/statuses/${sha}` } };
    }),
    operation('repos/get-combined-status-for-ref', 'GET', '/repos/{owner}/{repo}/commits/{ref}/status', (req) => {
      const sha = req.params.ref!;
      const latest = latestPerContext(sha);
      const p = page(req, latest);
      if ('status' in p) return p;
      const states = latest.map((s) => s.state);
      const state = states.some((s) => s === 'error' || s === 'failure') ? 'failure' : states.length === 0 || states.includes('pending') ? 'pending' : 'success';
      const base = origin(req);
      return {
        status: 200,
        headers: p.headers,
        body: {
          state,
          sha,
          total_count: latest.length,
          statuses: p.items.map((s) => toStatus(s, base, sha)),
          repository: minimalRepository(base, options.owner, options.repo),
          commit_url: `${base}/repos/${options.owner}/${options.repo}/commits/${sha}`,
          url: `${base}/repos/${options.owner}/${options.repo}/commits/${sha}/status`,
        },
      };
    }),
    operation('repos/list-commit-statuses-for-ref', 'GET', '/repos/{owner}/{repo}/commits/{ref}/statuses', (req) => {
      const sha = req.params.ref!;
      const p = page(req, [...(statuses.get(sha) ?? [])].reverse());
      if ('status' in p) return p;
      return { status: 200, headers: p.headers, body: p.items.map((s) => ({ ...toStatus(s, origin(req), sha), creator: user(origin(req)) })) };
    }),
    operation('issues/list-comments', 'GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (req) => {
      const p = page(req, comments.filter((c) => c.issue === Number(req.params.issue_number)));
      if ('status' in p) return p;
      return { status: 200, headers: p.headers, body: p.items.map((c) => toComment(c, origin(req))) };
    }),
    operation('issues/create-comment', 'POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (req) => {
      const now = stamp();
      const c: GitHubComment = { id: nextId++, issue: Number(req.params.issue_number), body: (req.body as { body: string }).body, created_at: now, updated_at: now };
      comments.push(c);
      return { status: 201, body: toComment(c, origin(req)) };
    }),
    operation('issues/update-comment', 'PATCH', '/repos/{owner}/{repo}/issues/comments/{comment_id}', (req) => {
      const c = comments.find((x) => x.id === Number(req.params.comment_id));
      if (!c) return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'missing', field: 'id' }], documentation_url: DOCS } };
      c.body = (req.body as { body: string }).body;
      c.updated_at = stamp();
      return { status: 200, body: toComment(c, origin(req)) };
    }),
    operation('pulls/list', 'GET', '/repos/{owner}/{repo}/pulls', (req) => {
      const state = req.query.get('state') ?? 'open';
      const base = req.query.get('base');
      const head = req.query.get('head'); // `user:ref`
      const sort = req.query.get('sort') ?? 'created';
      // GitHub: "Default: desc when sort is created or sort is not specified, otherwise asc".
      const desc = (req.query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc')) === 'desc';
      const key = sort === 'updated' ? 'updated_at' : 'created_at';
      const rows = pulls
        .filter((p) => state === 'all' || p.state === state)
        .filter((p) => base === null || p.baseRef === base)
        .filter((p) => head === null || `${options.owner}:${p.headRef}` === head)
        .sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.number - b.number) * (desc ? -1 : 1));
      const p = page(req, rows);
      if ('status' in p) return p;
      return { status: 200, headers: p.headers, body: p.items.map((pr) => toPullRequest(pr, origin(req))) };
    }),
  ];

  const toPullRequest = (pr: GitHubPullRequest, base: string) => {
    const repoUrl = `${base}/repos/${options.owner}/${options.repo}`;
    const html = `https://github.example/${options.owner}/${options.repo}/pull/${pr.number}`;
    const branch = (ref: string, sha: string) => ({ label: `${options.owner}:${ref}`, ref, sha, user: user(base), repo: fullRepository(base, options.owner, options.repo) });
    const link = (href: string) => ({ href });
    return {
      url: `${repoUrl}/pulls/${pr.number}`,
      id: 1000 + pr.number,
      node_id: `PR_${pr.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${repoUrl}/issues/${pr.number}`,
      commits_url: `${repoUrl}/pulls/${pr.number}/commits`,
      review_comments_url: `${repoUrl}/pulls/${pr.number}/comments`,
      review_comment_url: `${repoUrl}/pulls/comments{/number}`,
      comments_url: `${repoUrl}/issues/${pr.number}/comments`,
      statuses_url: `${repoUrl}/statuses/${pr.headSha}`,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: user(base),
      body: null,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: pr.created_at,
      updated_at: pr.updated_at,
      closed_at: pr.state === 'closed' ? pr.updated_at : null,
      merged_at: null,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: branch(pr.headRef, pr.headSha),
      base: branch(pr.baseRef, 'f'.repeat(40)),
      _links: {
        self: link(`${repoUrl}/pulls/${pr.number}`),
        html: link(html),
        issue: link(`${repoUrl}/issues/${pr.number}`),
        comments: link(`${repoUrl}/issues/${pr.number}/comments`),
        review_comments: link(`${repoUrl}/pulls/${pr.number}/comments`),
        review_comment: link(`${repoUrl}/pulls/comments{/number}`),
        commits: link(`${repoUrl}/pulls/${pr.number}/commits`),
        statuses: link(`${repoUrl}/statuses/${pr.headSha}`),
      },
      author_association: 'MEMBER',
      auto_merge: null,
      draft: false,
    };
  };

  const server: JsonServer = await startJsonServer({
    routes,
    prefix,
    guard: (req) => {
      const auth = String(req.headers.authorization ?? '');
      return auth === `token ${options.token}` || auth === `Bearer ${options.token}` ? undefined : { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS, status: '401' } };
    },
  });
  const s = server;
  return {
    url: s.url,
    contract,
    requests: s.requests,
    statuses: (sha) => statuses.get(sha) ?? [],
    comments: (issue) => comments.filter((c) => c.issue === issue),
    addPullRequest: (pr) => {
      const now = stamp();
      const row: GitHubPullRequest = { number: pulls.length + 1, title: pr.title, state: 'open', headRef: pr.headRef, headSha: pr.headSha, baseRef: pr.baseRef ?? 'main', created_at: now, updated_at: now };
      pulls.push(row);
      return row;
    },
    updatePullRequest: (number, change) => {
      const row = pulls.find((p) => p.number === number);
      if (!row) throw new Error(`github stand-in: no pull request #${number}`);
      if (change.headSha) row.headSha = change.headSha;
      if (change.state) row.state = change.state;
      row.updated_at = stamp();
    },
    failNext: (f, times) => s.failNext(f, times),
    clearFaults: () => s.clearFaults(),
    close: () => s.close(),
  };
}

function simpleUser(base: string, login: string, id: number) {
  const u = `${base}/users/${login}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.github.example/u/${id}`,
    gravatar_id: '',
    url: u,
    html_url: `https://github.example/${login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: 'Bot',
    site_admin: false,
  };
}

function minimalRepository(base: string, owner: string, repo: string) {
  const r = `${base}/repos/${owner}/${repo}`;
  const urls = Object.fromEntries(
    ['archive', 'assignees', 'blobs', 'branches', 'collaborators', 'comments', 'commits', 'compare', 'contents', 'contributors', 'deployments', 'downloads', 'events', 'forks', 'git_commits', 'git_refs', 'git_tags', 'hooks', 'issue_comment', 'issue_events', 'issues', 'keys', 'labels', 'languages', 'merges', 'milestones', 'notifications', 'pulls', 'releases', 'stargazers', 'statuses', 'subscribers', 'subscription', 'tags', 'teams', 'trees'].map((k) => [`${k}_url`, `${r}/${k}`]),
  );
  return { id: 1296269, node_id: 'R_1', name: repo, full_name: `${owner}/${repo}`, owner: simpleUser(base, owner, 1), private: false, html_url: `https://github.example/${owner}/${repo}`, description: null, fork: false, url: r, ...urls };
}

/** The full `repository` schema GitHub embeds in a pull request's head and base. */
function fullRepository(base: string, owner: string, repo: string) {
  const t = '2026-01-05T10:00:00Z';
  return {
    ...minimalRepository(base, owner, repo),
    clone_url: `https://github.example/${owner}/${repo}.git`,
    git_url: `git://github.example/${owner}/${repo}.git`,
    ssh_url: `git@github.example:${owner}/${repo}.git`,
    svn_url: `https://github.example/${owner}/${repo}`,
    mirror_url: null,
    homepage: null,
    language: null,
    default_branch: 'main',
    forks: 0,
    forks_count: 0,
    open_issues: 0,
    open_issues_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 1,
    has_downloads: true,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: t,
    created_at: t,
    updated_at: t,
  };
}
