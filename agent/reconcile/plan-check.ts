import type { CommentAction } from '../report/forge.js';
import type { CommitStatus } from '../report/commit-status.js';
import type { FleetSnapshot } from '../source/snapshot.js';
import type { ReconcileOutcome } from './reconcile-environment.js';
import type { ForgeReporter, ReportResult } from './report-forge.js';
import { formatPlanCheckComment, toPlanCheckStatus } from './report-plan.js';

export interface PlanCheckResult {
  /** `drover/plan/<env>` as posted on the head commit. */
  readonly status: CommitStatus;
  readonly report: ReportResult;
  /** The sticky comment on pull request `pr`, when one was given. */
  readonly comment?: { readonly pr: number; readonly id: number | string; readonly action: CommentAction } | undefined;
}

/**
 * The pull-request check after a plan ran: posts `drover/plan/<env>` on the head commit
 * (success with the summary, failure naming a block finding, error when render or plan failed)
 * and creates or edits in place the one plan comment of the environment on pull request `pr`.
 * Without `pr`, only the status. Shared by `drover plan --report` and the agent's PR polling.
 */
export async function reportPlanCheck(reporter: ForgeReporter, snapshot: FleetSnapshot, outcome: ReconcileOutcome, pr: number | undefined): Promise<PlanCheckResult> {
  const status = toPlanCheckStatus(outcome);
  const report = await reporter.reportStatuses(snapshot.sha, [status]);
  if (pr === undefined) return { status, report };
  const comment = await reporter.reportPlanComment(pr, outcome.environment, formatPlanCheckComment(outcome));
  return { status, report, comment: { pr, ...comment } };
}
