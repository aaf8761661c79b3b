import type { CommitState, CommitStatus, PostedStatus } from './commit-status.js';
import type { ReportBudget } from './http-retry.js';

export const ForgeKind = { GitHub: 'github', GitLab: 'gitlab', Gitea: 'gitea' } as const;
export type ForgeKind = (typeof ForgeKind)[keyof typeof ForgeKind];

/** An open pull request (GitLab: merge request) as the plan check needs it. */
export interface PullRequestHead {
  /** The number users see: GitHub and Gitea `number`, GitLab `iid`. */
  readonly number: number;
  /** The commit at its head now. */
  readonly headSha: string;
  /** The branch it comes from. */
  readonly headRef: string;
  /** The branch it would merge into. */
  readonly baseRef: string;
  readonly title: string;
}

/** What upsertPlanComment did. */
export type CommentAction = 'created' | 'updated' | 'unchanged';

/**
 * One repository on one forge, as the report stage uses it. Adapters are thin: they translate
 * Drover's commit states and comments into the forge's API and back, retry 5xx/429, and throw
 * ReportError (naming the forge and the SHA, never the token) when a call fails for good.
 */
export interface Forge {
  readonly kind: ForgeKind;
  /** Stable identity (kind, API base, repository) for logs and the outbox; holds no secret. */
  readonly id: string;
  /** The forge's word for a Drover state (GitLab: pending → running, failure/error → failed). */
  forgeState(state: CommitState): string;
  /**
   * True when posting `next` would change nothing: the forge's latest status for the context
   * already says it (see isStatusCurrent). GitLab adds its own rule: a running status keeps
   * its description until its state changes.
   */
  isCurrent(latest: PostedStatus | undefined, next: CommitStatus): boolean;
  /** The latest status per context on a commit, keyed by context. */
  getLatestStatuses(sha: string): Promise<ReadonlyMap<string, PostedStatus>>;
  postStatus(sha: string, status: CommitStatus): Promise<void>;
  /**
   * Creates or edits in place the one comment on pull request `pr` that carries the marker
   * `<!-- drover:plan:<env> -->`.
   */
  upsertPlanComment(pr: number, env: string, markdown: string): Promise<{ id: number | string; action: CommentAction }>;
  /** Every open pull request (merge request) of the repository, all pages, oldest first. */
  listOpenPullRequests(): Promise<PullRequestHead[]>;
}

/** Clock and sleep for retries, injected so tests never wait. */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What every adapter needs besides its forge-specific coordinates. */
export interface ForgeClientOptions {
  /** An API token; sent only in the auth header, never logged, never in an error. */
  readonly token: string;
  /** The fetch to use (globalThis.fetch in production; tests may wrap it). */
  readonly fetch: typeof globalThis.fetch;
  readonly clock?: RetryClock | undefined;
  /** Attempts per request, the first included. Default 5. */
  readonly maxAttempts?: number | undefined;
  /** Longest one HTTP attempt may take. Default 30 s. */
  readonly attemptTimeoutMs?: number | undefined;
  /** Called before each retry, for a warn log line. */
  readonly onRetry?: ((info: RetryInfo) => void) | undefined;
  /** Bounds the time the run spends on this forge (see createReportBudget); unbounded when unset. */
  readonly budget?: ReportBudget | undefined;
}

export interface RetryInfo {
  readonly method: string;
  /** Path and query only, never the host's credentials. */
  readonly path: string;
  readonly attempt: number;
  readonly status?: number | undefined;
  readonly delayMs: number;
}
