import { silentLogger, type Logger } from '../core/log.js';
import type { CommitStatus } from '../report/commit-status.js';
import type { Forge, PullRequestHead } from '../report/forge.js';
import type { CheckedHeads, CheckedHeadStore } from './pr-checked-heads.js';

/** The plan check of one pull request head against one environment. */
export interface PullRequestCheck {
  readonly env: string;
  /** `drover/plan/<env>` for the head commit. */
  readonly status: CommitStatus;
  /** The markdown of the environment's sticky comment. */
  readonly comment: string;
}

export interface PullRequestPollDeps {
  readonly forge: Forge;
  /** Posts statuses of one commit (ForgeReporter.reportStatuses: dedupe, outbox). */
  readonly reportStatuses: (sha: string, statuses: readonly CommitStatus[]) => Promise<unknown>;
  /** Creates or edits in place the sticky comment of `env` on `pr`. */
  readonly reportComment: (pr: number, env: string, markdown: string) => Promise<unknown>;
  /** Plans the head against every environment (the reconcile library in plan mode; never writes). */
  readonly check: (pr: PullRequestHead) => Promise<readonly PullRequestCheck[]>;
  /** Where the heads already checked are remembered across restarts. */
  readonly store: CheckedHeadStore;
  /** Only pull requests into this branch are checked (the Fleet's tracked branch); all when absent. */
  readonly baseRef?: string | undefined;
  readonly log?: Logger | undefined;
  /** Told each pull request head checked and reported (the fleet page lists its plans). */
  readonly onChecked?: ((pr: PullRequestHead, checks: readonly PullRequestCheck[]) => void) | undefined;
}

export interface PullRequestPollResult {
  /** Pull requests whose new head was checked and reported now. */
  readonly checked: readonly number[];
  /** Open pull requests whose head was already checked. */
  readonly unchanged: readonly number[];
  /** Pull requests whose check or report failed; they are tried again next poll. */
  readonly failed: readonly { readonly number: number; readonly error: string }[];
  /** Pull requests no longer open, forgotten now. */
  readonly forgotten: readonly number[];
}

export type PullRequestHeadsDeps = Omit<PullRequestPollDeps, 'forge' | 'baseRef'> & { readonly forgeId?: string | undefined };

export interface PullRequestHeadsResult {
  readonly checked: readonly number[];
  readonly unchanged: readonly number[];
  readonly failed: readonly { readonly number: number; readonly error: string }[];
}

/**
 * One poll of the forge's open pull requests, without webhooks: lists them (one call, paged),
 * and for each whose head changed since it was last checked, plans it against every
 * environment, posts `drover/plan/<env>` on the head and edits the one sticky comment per
 * environment; then remembers the head (only after both were reported, so a failure is retried
 * and a restart never comments twice on the same head). Closed pull requests are forgotten.
 */
export async function pollPullRequests(deps: PullRequestPollDeps): Promise<PullRequestPollResult> {
  const log = (deps.log ?? silentLogger).child({ stage: 'pr-check', forge: deps.forge.id });
  const open = (await deps.forge.listOpenPullRequests()).filter((p) => deps.baseRef === undefined || p.baseRef === deps.baseRef);
  const before = await deps.store.load();
  const heads = new Map<number, string>(before);
  const { checked, unchanged, failed } = await checkNewHeads(deps, open, heads, log);
  const openNumbers = new Set(open.map((p) => p.number));
  const forgotten = [...heads.keys()].filter((n) => !openNumbers.has(n));
  for (const n of forgotten) heads.delete(n);
  if (!sameHeads(before, heads)) await deps.store.save(heads);
  return { checked, unchanged, failed, forgotten };
}

/**
 * The plan check of pull request heads a forge announced (a webhook), without listing the open
 * ones: each head not yet checked is planned and reported as a poll would, and remembered in the
 * same store, so the next poll (or a redelivery) does not check it again.
 */
export async function checkPullRequestHeads(deps: PullRequestHeadsDeps, prs: readonly PullRequestHead[]): Promise<PullRequestHeadsResult> {
  const log = (deps.log ?? silentLogger).child({ stage: 'pr-check', ...(deps.forgeId ? { forge: deps.forgeId } : {}) });
  const before = await deps.store.load();
  const heads = new Map<number, string>(before);
  const result = await checkNewHeads(deps, prs, heads, log);
  if (!sameHeads(before, heads)) await deps.store.save(heads);
  return result;
}

/** Checks and reports each pull request whose head is not the one in `heads`, recording it there once reported. */
async function checkNewHeads(deps: PullRequestHeadsDeps, prs: readonly PullRequestHead[], heads: Map<number, string>, log: Logger): Promise<PullRequestHeadsResult> {
  const checked: number[] = [];
  const unchanged: number[] = [];
  const failed: { number: number; error: string }[] = [];
  for (const pr of prs) {
    if (heads.get(pr.number) === pr.headSha) {
      unchanged.push(pr.number);
      continue;
    }
    try {
      const checks = await deps.check(pr);
      await deps.reportStatuses(pr.headSha, checks.map((c) => c.status));
      for (const c of checks) await deps.reportComment(pr.number, c.env, c.comment);
      heads.set(pr.number, pr.headSha);
      checked.push(pr.number);
      deps.onChecked?.(pr, checks);
      log.info({ pr: pr.number, head: pr.headSha, results: checks.map((c) => `${c.env}: ${c.status.state}`) }, 'pull request checked');
    } catch (e) {
      const error = (e as Error).message;
      failed.push({ number: pr.number, error });
      log.warn({ pr: pr.number, head: pr.headSha, error }, 'pull request check failed, retrying next poll');
    }
  }
  return { checked, unchanged, failed };
}

function sameHeads(a: CheckedHeads, b: CheckedHeads): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
