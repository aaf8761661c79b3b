import type { Logger } from '../core/log.js';
import type { CommitStatus } from '../report/commit-status.js';
import type { CommentAction, Forge } from '../report/forge.js';
import type { Outbox } from '../report/outbox.js';
import { flushOutbox, postStatuses, type PostStatusesResult } from '../report/post-statuses.js';

/** One forge repository as the CLI and the agent report to it: statuses through the outbox, the sticky plan comment. */
export interface ForgeReporter {
  readonly forge: Forge;
  /**
   * Retries what waits in the outbox for this forge, then posts the statuses of one commit,
   * only those that change what the forge shows. Undeliverable ones wait in the outbox.
   */
  reportStatuses(sha: string, statuses: readonly CommitStatus[]): Promise<PostStatusesResult>;
  /** Creates or edits in place the plan comment of `env` on pull request `pr`. */
  reportPlanComment(pr: number, env: string, markdown: string): Promise<{ id: number | string; action: CommentAction }>;
}

export function createForgeReporter(forge: Forge, outbox: Outbox, log: Logger, now: () => number = Date.now): ForgeReporter {
  const reportLog = log.child({ stage: 'report' });
  return {
    forge,
    async reportStatuses(sha, statuses) {
      const earlier = await flushOutbox(outbox, (id) => (id === forge.id ? forge : undefined), { log: reportLog, now });
      if (earlier.posted.length) reportLog.info({ contexts: earlier.posted }, 'queued commit statuses delivered');
      return postStatuses(forge, sha, statuses, { log: reportLog, outbox, now });
    },
    reportPlanComment: (pr, env, markdown) => forge.upsertPlanComment(pr, env, markdown),
  };
}

/** `2 posted, 1 unchanged, 1 queued for retry` for the CLI's report line. Pure. */
export function formatReportResult(r: PostStatusesResult): string {
  const parts = [`${r.posted.length} posted`, `${r.unchanged.length} unchanged`];
  if (r.queued.length) parts.push(`${r.queued.length} queued for retry`);
  return parts.join(', ');
}
