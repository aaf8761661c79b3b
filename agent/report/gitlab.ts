import { ReportError } from '../core/errors.js';
import { CommitState, isStatusCurrent, truncateDescription, type CommitStatus, type PostedStatus } from './commit-status.js';
import { createOnce } from './create-once.js';
import { createJsonClient } from './forge-http.js';
import { ForgeKind, type CommentAction, type Forge, type ForgeClientOptions, type PullRequestHead } from './forge.js';
import { forgeRequestRepeatable, retryingFetch } from './http-retry.js';
import { findPlanComment, formatPlanComment } from './plan-comment.js';

export interface GitLabForgeOptions extends ForgeClientOptions {
  /** The GitLab root URL, e.g. `https://gitlab.com`; the API is under /api/v4. */
  readonly baseUrl: string;
  /** Numeric project ID or its full path (`group/subgroup/project`). */
  readonly project: string | number;
}

interface GitLabStatus {
  name?: string;
  status?: string;
  description?: string | null;
  target_url?: string | null;
}
interface GitLabMergeRequest {
  iid: number;
  sha?: string | null;
  title?: string;
  source_branch?: string;
  target_branch?: string;
}
interface GitLabNote {
  id: number;
  body: string;
  system?: boolean;
}

const PER_PAGE = 100;

/**
 * GitLab's word for each Drover state. Drover's pending is work in progress, so `running`;
 * GitLab has one word, `failed`, for both failure and error.
 */
export function toGitLabState(state: CommitState): string {
  switch (state) {
    case CommitState.Pending:
      return 'running';
    case CommitState.Success:
      return 'success';
    case CommitState.Failure:
    case CommitState.Error:
      return 'failed';
  }
}

/**
 * Dedupe for GitLab: the same state and description, or a status that is still running (or
 * pending) and would stay so. GitLab refuses the transition running → running ("Cannot
 * transition status via :run from :running"), so a new description cannot reach it before
 * the state changes; posting it anyway would only repeat a refused request on every reconcile.
 */
export function isGitLabStatusCurrent(latest: PostedStatus | undefined, next: CommitStatus): boolean {
  if (isStatusCurrent(latest, next, toGitLabState)) return true;
  const target = toGitLabState(next.state);
  return latest !== undefined && latest.forgeState === target && (target === 'running' || target === 'pending');
}

/**
 * GitLab: `POST /projects/:id/statuses/:sha` (`name` is the context), read back with
 * `GET /projects/:id/repository/commits/:sha/statuses` (the latest per name unless `all`), and
 * merge request notes for the plan comment.
 */
export function createGitLabForge(options: GitLabForgeOptions): Forge {
  const base = options.baseUrl.replace(/\/+$/, '');
  const project = encodeURIComponent(String(options.project));
  const label = String(options.project);
  const client = createJsonClient({
    kind: ForgeKind.GitLab,
    apiUrl: `${base}/api/v4`,
    auth: ['PRIVATE-TOKEN', options.token],
    token: options.token,
    fetch: retryingFetch(options.fetch, { clock: options.clock, maxAttempts: options.maxAttempts, attemptTimeoutMs: options.attemptTimeoutMs, onRetry: options.onRetry, budget: options.budget, isIdempotent: forgeRequestRepeatable }),
  });
  return {
    kind: ForgeKind.GitLab,
    id: `gitlab:${base}/${label}`,
    forgeState: toGitLabState,
    isCurrent: isGitLabStatusCurrent,
    async getLatestStatuses(sha) {
      const out = new Map<string, PostedStatus>();
      for (let page = 1; ; page++) {
        const res = await client.request<GitLabStatus[]>('GET', `/projects/${project}/repository/commits/${encodeURIComponent(sha)}/statuses?per_page=${PER_PAGE}&page=${page}`, `${label}@${sha} read statuses`);
        const list = res.data ?? [];
        for (const s of list) {
          if (!s.name || out.has(s.name)) continue;
          out.set(s.name, { context: s.name, forgeState: s.status ?? '', description: s.description ?? '', targetUrl: s.target_url ?? undefined });
        }
        if (list.length < PER_PAGE) return out;
      }
    },
    async postStatus(sha, status: CommitStatus) {
      const where = `${label}@${sha} post status ${status.context}`;
      try {
        await client.request('POST', `/projects/${project}/statuses/${encodeURIComponent(sha)}`, where, {
          state: toGitLabState(status.state),
          name: status.context,
          description: truncateDescription(status.description),
          ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
        });
      } catch (err) {
        // GitLab refuses a transition to the state a running or pending status already has
        // ("Cannot transition status via :run from :running"): the state is already right.
        if (err instanceof ReportError && err.data.status === 400 && /cannot transition status/i.test(String(err.data.apiMessage ?? ''))) return;
        throw err;
      }
    },
    async upsertPlanComment(pr, env, markdown) {
      const where = `${label}!${pr} plan comment ${env}`;
      const body = formatPlanComment(env, markdown);
      const findComment = async () => {
        const notes: GitLabNote[] = [];
        for (let page = 1; ; page++) {
          const res = await client.request<GitLabNote[]>('GET', `/projects/${project}/merge_requests/${pr}/notes?sort=asc&order_by=created_at&per_page=${PER_PAGE}&page=${page}`, where);
          notes.push(...(res.data ?? []).filter((n) => !n.system));
          if ((res.data ?? []).length < PER_PAGE) break;
        }
        return findPlanComment(notes, env);
      };
      const update = async (id: number) => {
        await client.request('PUT', `/projects/${project}/merge_requests/${pr}/notes/${id}`, where, { body });
        return { id, action: 'updated' as CommentAction };
      };
      const found = await findComment();
      if (found && found.body === body) return { id: found.id, action: 'unchanged' as CommentAction };
      if (found) return update(found.id);
      // A create whose answer was lost may have happened: look before creating again.
      const created = await createOnce(async () => (await client.request<GitLabNote>('POST', `/projects/${project}/merge_requests/${pr}/notes`, where, { body })).data, findComment);
      if (created.found && created.value.body !== body) return update(created.value.id);
      return { id: created.value.id, action: 'created' as CommentAction };
    },
    async listOpenPullRequests() {
      const out: PullRequestHead[] = [];
      for (let page = 1; ; page++) {
        const res = await client.request<GitLabMergeRequest[]>('GET', `/projects/${project}/merge_requests?state=opened&order_by=created_at&sort=asc&per_page=${PER_PAGE}&page=${page}`, `${label} list merge requests`);
        const list = res.data ?? [];
        for (const mr of list) {
          if (mr.sha) out.push({ number: mr.iid, headSha: mr.sha, headRef: mr.source_branch ?? '', baseRef: mr.target_branch ?? '', title: mr.title ?? '' });
        }
        if (list.length < PER_PAGE) return out;
      }
    },
  };
}
