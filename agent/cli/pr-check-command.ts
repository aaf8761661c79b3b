import type { ReconcileOutcome } from '../runtime/reconcile-environment.js';
import { formatReportResult, type ForgeReporter } from '../runtime/report-forge.js';
import { formatPlanCheckComment, toPlanCheckStatus } from '../runtime/report-plan.js';
import type { FleetSnapshot } from '../source/snapshot.js';
import type { CliIo } from './main.js';

/**
 * `drover plan … --pr N --report`, after the plan ran: posts `drover/plan/<env>` on the head
 * commit (success with the summary, failure naming a block finding, error when render or plan
 * failed) and creates or edits in place the one plan comment of the environment on pull
 * request N. Without --pr, only the status (on the --ref commit).
 */
export async function reportPlanCheck(io: CliIo, reporter: ForgeReporter, snapshot: FleetSnapshot, outcome: ReconcileOutcome, pr: number | undefined): Promise<void> {
  const status = toPlanCheckStatus(outcome);
  const result = await reporter.reportStatuses(snapshot.sha, [status]);
  io.stderr.write(`drover: reported ${status.context} ${status.state} to ${reporter.forge.id}@${snapshot.sha.slice(0, 12)}: ${formatReportResult(result)}\n`);
  if (pr === undefined) return;
  const comment = await reporter.reportPlanComment(pr, outcome.environment, formatPlanCheckComment(outcome));
  io.stderr.write(`drover: plan comment for ${outcome.environment} on #${pr} ${comment.action}\n`);
}
