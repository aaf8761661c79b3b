import type { Logger } from '../core/log.js';
import type { CommitStatus } from '../report/commit-status.js';
import type { CommentAction, Forge } from '../report/forge.js';
import type { Outbox } from '../report/outbox.js';
import { flushOutbox, postStatuses, type PostStatusesResult } from '../report/post-statuses.js';

export interface ReportResult extends PostStatusesResult {
  /** Contexts (of any commit) that waited in the outbox from an earlier run and were delivered now. */
  readonly fromOutbox: readonly string[];
  /** Why the queued (or refused) statuses could not be delivered (the last error, free of tokens); set when any was. */
  readonly undelivered?: string | undefined;
}

/** One forge repository as the CLI and the agent report to it: statuses through the outbox, the sticky plan comment. */
export interface ForgeReporter {
  readonly forge: Forge;
  /**
   * Retries what waits in the outbox for this forge, then posts the statuses of one commit,
   * only those that change what the forge shows. Undeliverable ones wait in the outbox.
   */
  reportStatuses(sha: string, statuses: readonly CommitStatus[]): Promise<ReportResult>;
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
      const result = { ...(await postStatuses(forge, sha, statuses, { log: reportLog, outbox, now })), fromOutbox: earlier.posted };
      if (result.queued.length === 0 && !result.dropped?.length) return result;
      const failed = new Set([...result.queued, ...(result.dropped ?? [])].map((c) => c.toLowerCase()));
      const entry = (await outbox.list()).find((e) => e.forgeId === forge.id && e.sha === sha && failed.has(e.status.context.toLowerCase()));
      const dropped = entry ? undefined : (await outbox.dropped()).reverse().find((d) => d.forgeId === forge.id && d.sha === sha && failed.has(d.context.toLowerCase()));
      return { ...result, undelivered: entry?.lastError ?? dropped?.error };
    },
    reportPlanComment: (pr, env, markdown) => forge.upsertPlanComment(pr, env, markdown),
  };
}

/** `2 posted, 1 unchanged, 1 queued for retry` for the CLI's report line. Pure. */
export function formatReportResult(r: ReportResult): string {
  const parts = [`${r.posted.length} posted`, `${r.unchanged.length} unchanged`];
  if (r.fromOutbox.length) parts.push(`${r.fromOutbox.length} delivered from the outbox`);
  if (r.dropped?.length) parts.push(`${r.dropped.length} refused by the forge and dropped${r.undelivered && !r.queued.length ? ` (${r.undelivered})` : ''}`);
  if (r.queued.length) parts.push(`${r.queued.length} kept in the outbox for the next run${r.undelivered ? ` (${r.undelivered})` : ''}`);
  return parts.join(', ');
}
