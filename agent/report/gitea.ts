import type { CommitState, CommitStatus, PostedStatus } from './commit-status.js';
import { isStatusCurrent, truncateDescription } from './commit-status.js';
import { createOnce } from './create-once.js';
import { createJsonClient } from './forge-http.js';
import { ForgeKind, type CommentAction, type Forge, type ForgeClientOptions, type PullRequestHead } from './forge.js';
import { forgeRequestRepeatable, retryingFetch } from './http-retry.js';
import { findPlanComment, formatPlanComment } from './plan-comment.js';

export interface GiteaForgeOptions extends ForgeClientOptions {
  /** The Gitea (or Forgejo) root URL, e.g. `https://gitea.example.com`; the API is under /api/v1. */
  readonly baseUrl: string;
  readonly owner: string;
  readonly repo: string;
}

interface GiteaStatus {
  context?: string;
  /** Gitea names the state `status` in what it returns (GitHub says `state`). */
  status?: string;
  state?: string;
  description?: string;
  target_url?: string;
}
interface GiteaCombined {
  statuses?: GiteaStatus[] | null;
}
interface GiteaPull {
  number: number;
  title?: string;
  head?: { sha?: string; ref?: string } | null;
  base?: { ref?: string } | null;
}
interface GiteaComment {
  id: number;
  body: string;
}

/** Page size for the combined status; Gitea's default MAX_RESPONSE_ITEMS is 50. */
const PAGE = 50;

/**
 * Gitea and Forgejo: `POST /api/v1/repos/{owner}/{repo}/statuses/{sha}`, read back through the
 * combined status (latest per context, paged), and issue comments (a pull request is an issue).
 */
export function createGiteaForge(options: GiteaForgeOptions): Forge {
  const base = options.baseUrl.replace(/\/+$/, '');
  const repoPath = `/repos/${encodeURIComponent(options.owner)}/${encodeURIComponent(options.repo)}`;
  const fullName = `${options.owner}/${options.repo}`;
  const client = createJsonClient({
    kind: ForgeKind.Gitea,
    apiUrl: `${base}/api/v1`,
    auth: ['Authorization', `token ${options.token}`],
    token: options.token,
    fetch: retryingFetch(options.fetch, { clock: options.clock, maxAttempts: options.maxAttempts, attemptTimeoutMs: options.attemptTimeoutMs, onRetry: options.onRetry, budget: options.budget, isIdempotent: forgeRequestRepeatable }),
  });
  return {
    kind: ForgeKind.Gitea,
    id: `gitea:${base}/${fullName}`,
    forgeState: (state: CommitState) => state,
    isCurrent: (latest, next) => isStatusCurrent(latest, next, (state) => state),
    async getLatestStatuses(sha) {
      const out = new Map<string, PostedStatus>();
      for (let page = 1; ; page++) {
        const { data } = await client.request<GiteaCombined>('GET', `${repoPath}/commits/${encodeURIComponent(sha)}/status?page=${page}&limit=${PAGE}`, `${fullName}@${sha} read statuses`);
        const statuses = data?.statuses ?? [];
        for (const s of statuses) {
          if (!s.context || out.has(s.context)) continue;
          out.set(s.context, { context: s.context, forgeState: s.status ?? s.state ?? '', description: s.description ?? '', targetUrl: s.target_url || undefined });
        }
        if (statuses.length < PAGE) return out;
      }
    },
    async postStatus(sha, status: CommitStatus) {
      await client.request('POST', `${repoPath}/statuses/${encodeURIComponent(sha)}`, `${fullName}@${sha} post status ${status.context}`, {
        state: status.state,
        context: status.context,
        description: truncateDescription(status.description),
        ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
      });
    },
    async upsertPlanComment(pr, env, markdown) {
      const where = `${fullName}#${pr} plan comment ${env}`;
      const body = formatPlanComment(env, markdown);
      const findComment = async () => findPlanComment((await client.request<GiteaComment[]>('GET', `${repoPath}/issues/${pr}/comments`, where)).data ?? [], env);
      const update = async (id: number) => {
        await client.request('PATCH', `${repoPath}/issues/comments/${id}`, where, { body });
        return { id, action: 'updated' as CommentAction };
      };
      const found = await findComment();
      if (found && found.body === body) return { id: found.id, action: 'unchanged' as CommentAction };
      if (found) return update(found.id);
      // A create whose answer was lost may have happened: look before creating again.
      const created = await createOnce(async () => (await client.request<GiteaComment>('POST', `${repoPath}/issues/${pr}/comments`, where, { body })).data, findComment);
      if (created.found && created.value.body !== body) return update(created.value.id);
      return { id: created.value.id, action: 'created' as CommentAction };
    },
    async listOpenPullRequests() {
      const out: PullRequestHead[] = [];
      for (let page = 1; ; page++) {
        const { data } = await client.request<GiteaPull[]>('GET', `${repoPath}/pulls?state=open&sort=oldest&page=${page}&limit=${PAGE}`, `${fullName} list pull requests`);
        const pulls = data ?? [];
        for (const p of pulls) {
          if (p.head?.sha) out.push({ number: p.number, headSha: p.head.sha, headRef: p.head.ref ?? '', baseRef: p.base?.ref ?? '', title: p.title ?? '' });
        }
        if (pulls.length < PAGE) return out.sort((a, b) => a.number - b.number);
      }
    },
  };
}
