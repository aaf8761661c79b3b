import { Octokit } from '@octokit/rest';
import { ReportError, Retry } from '../core/errors.js';
import { createOnce } from './create-once.js';
import type { CommitState, CommitStatus, PostedStatus } from './commit-status.js';
import { isStatusCurrent, truncateDescription } from './commit-status.js';
import { errorText, reportError } from './forge-http.js';
import { ForgeKind, type CommentAction, type Forge, type ForgeClientOptions, type PullRequestHead } from './forge.js';
import { forgeRequestRepeatable, retryingFetch } from './http-retry.js';
import { findPlanComment, formatPlanComment } from './plan-comment.js';

export interface GitHubForgeOptions extends ForgeClientOptions {
  /** `https://api.github.com` (default) or a GitHub Enterprise Server API root, `https://ghe.example.com/api/v3`. */
  readonly baseUrl?: string | undefined;
  readonly owner: string;
  readonly repo: string;
}

const PER_PAGE = 100;

/**
 * GitHub and GitHub Enterprise Server through @octokit/rest: commit statuses (read back through
 * the combined status, which holds the latest per context) and issue comments for the plan.
 * Octokit gets our retrying fetch, so 5xx/429 and rate limits are retried in one place.
 */
export function createGitHubForge(options: GitHubForgeOptions): Forge {
  const baseUrl = (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const { owner, repo } = options;
  const fullName = `${owner}/${repo}`;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl,
    userAgent: 'drover',
    request: { fetch: retryingFetch(options.fetch, { clock: options.clock, maxAttempts: options.maxAttempts, attemptTimeoutMs: options.attemptTimeoutMs, onRetry: options.onRetry, budget: options.budget, isIdempotent: forgeRequestRepeatable }) },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const fail = (where: string, err: unknown): Error => {
    // Octokit reports a request that got no answer (network error, timeout, the report budget)
    // as status 500 without a response: that is no HTTP answer, and must not read as one.
    const answered = (err as { response?: unknown }).response !== undefined;
    const status = answered && typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : undefined;
    const data = (err as { response?: { data?: { message?: unknown } } }).response?.data;
    const apiMessage = typeof data?.message === 'string' ? data.message : undefined;
    const cause = status !== undefined ? `HTTP ${status}: ${apiMessage ?? errorText(err)}` : `request failed: ${errorText(err)}`;
    const retry = status === undefined || status === 429 || status >= 500 ? Retry.Transient : Retry.Terminal;
    return reportError(ForgeKind.GitHub, where, cause, options.token, { retry, status, apiMessage });
  };
  return {
    kind: ForgeKind.GitHub,
    id: `github:${baseUrl}/${fullName}`,
    forgeState: (state: CommitState) => state,
    isCurrent: (latest, next) => isStatusCurrent(latest, next, (state) => state),
    async getLatestStatuses(sha) {
      const where = `${fullName}@${sha} read statuses`;
      const out = new Map<string, PostedStatus>();
      for (let page = 1; ; page++) {
        let statuses;
        try {
          ({ data: { statuses } } = await octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha, per_page: PER_PAGE, page }));
        } catch (err) {
          throw fail(where, err);
        }
        for (const s of statuses) {
          // The combined status holds one (the latest) status per context.
          if (out.has(s.context)) continue;
          out.set(s.context, { context: s.context, forgeState: s.state, description: s.description ?? '', targetUrl: s.target_url ?? undefined });
        }
        if (statuses.length < PER_PAGE) return out;
      }
    },
    async postStatus(sha, status: CommitStatus) {
      try {
        await octokit.rest.repos.createCommitStatus({
          owner,
          repo,
          sha,
          state: status.state,
          context: status.context,
          description: truncateDescription(status.description),
          ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
        });
      } catch (err) {
        throw fail(`${fullName}@${sha} post status ${status.context}`, err);
      }
    },
    async upsertPlanComment(pr, env, markdown) {
      const where = `${fullName}#${pr} plan comment ${env}`;
      const body = formatPlanComment(env, markdown);
      const findComment = async () => {
        const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pr, per_page: PER_PAGE });
        return findPlanComment(comments.map((c) => ({ id: c.id, body: c.body ?? '' })), env);
      };
      const update = async (id: number | string) => {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: Number(id), body });
        return { id, action: 'updated' as CommentAction };
      };
      try {
        const found = await findComment();
        if (found && found.body === body) return { id: found.id, action: 'unchanged' as CommentAction };
        if (found) return await update(found.id);
        // A create whose answer was lost may have happened: look before creating again.
        const created = await createOnce(
          async () => {
            try {
              return { id: (await octokit.rest.issues.createComment({ owner, repo, issue_number: pr, body })).data.id as number | string, body };
            } catch (err) {
              throw fail(where, err);
            }
          },
          findComment,
        );
        if (created.found && created.value.body !== body) return await update(created.value.id);
        return { id: created.value.id, action: 'created' as CommentAction };
      } catch (err) {
        throw err instanceof ReportError ? err : fail(where, err);
      }
    },
    async listOpenPullRequests() {
      try {
        const pulls = await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: 'open', sort: 'created', direction: 'asc', per_page: PER_PAGE });
        return pulls.map((p): PullRequestHead => ({ number: p.number, headSha: p.head.sha, headRef: p.head.ref, baseRef: p.base.ref, title: p.title }));
      } catch (err) {
        throw fail(`${fullName} list pull requests`, err);
      }
    },
  };
}
