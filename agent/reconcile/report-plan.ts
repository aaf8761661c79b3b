import { formatPlanMarkdown } from '../plan/format-markdown.js';
import { ChangeType, Severity, type Plan } from '../plan/plan.js';
import { toPlanErrorStatus, toPlanStatus, type CommitStatus, type PlanCounts } from '../report/commit-status.js';
import type { ReconcileOutcome } from './reconcile-environment.js';

/** What the plan changes, counted the way `drover/plan/<env>` tells it. Pure. */
export function toPlanCounts(plan: Plan): PlanCounts {
  const changes = [...plan.clusters.flatMap((c) => c.changes), ...plan.changes];
  const count = (pred: (c: (typeof changes)[number]) => boolean): number => changes.filter(pred).length;
  const creating = new Set(plan.clusters.filter((c) => c.changes.some((x) => x.type === ChangeType.CreateCluster)).map((c) => c.name));
  const deleting = new Set(plan.clusters.filter((c) => c.changes.some((x) => x.type === ChangeType.DeleteCluster)).map((c) => c.name));
  // The objects that come or go with a created or deleted cluster are part of that one change.
  const other = [
    ...plan.clusters.flatMap((c) => c.changes.filter((x) => !(creating.has(c.name) && x.type === ChangeType.Create) && !(deleting.has(c.name) && x.type === ChangeType.Delete))),
    ...plan.changes,
  ].filter((x) => x.type === ChangeType.Update || x.type === ChangeType.Create || x.type === ChangeType.Delete || x.type === ChangeType.Adopt).length;
  const blocked = [...plan.clusters.flatMap((c) => c.findings), ...plan.findings].filter((f) => f.severity === Severity.Block).map((f) => `${f.code}: ${f.message}`);
  return {
    clustersAdded: count((c) => c.type === ChangeType.CreateCluster),
    clustersDeleted: count((c) => c.type === ChangeType.DeleteCluster),
    poolsResized: count((c) => c.type === ChangeType.Resize && c.target !== 'control plane'),
    controlPlanesResized: count((c) => c.type === ChangeType.Resize && c.target === 'control plane'),
    upgrades: count((c) => c.type === ChangeType.Upgrade),
    templateSwaps: count((c) => c.type === ChangeType.TemplateSwap),
    otherChanges: other,
    blocked,
  };
}

/**
 * `drover/plan/<env>` for a plan run: success with the summary (`+1 cluster, 2 pools resized, 0
 * deleted`), failure naming the first `block` finding, error when render or plan failed. Pure.
 */
export function toPlanCheckStatus(outcome: ReconcileOutcome): CommitStatus {
  if (outcome.failure || !outcome.plan) {
    const why = outcome.failure ? `${outcome.failure.reason}: ${outcome.failure.error.message.split('\n')[0]}` : 'no plan';
    return toPlanErrorStatus(outcome.environment, why);
  }
  return toPlanStatus(outcome.environment, toPlanCounts(outcome.plan));
}

/** The sticky comment's markdown: the plan, or why there is none. Pure. */
export function formatPlanCheckComment(outcome: ReconcileOutcome): string {
  if (outcome.plan && !outcome.failure) return formatPlanMarkdown(outcome.plan);
  const head = `### Drover plan for \`${outcome.environment}\` at \`${outcome.revision}\``;
  if (!outcome.failure) return `${head}\n\nNo plan was made.\n`;
  const message = outcome.failure.error.message.replace(/```/g, "'''");
  return `${head}\n\n> **Plan failed** (${outcome.failure.reason}): nothing can be applied from this revision.\n\n\`\`\`\n${message}\n\`\`\`\n`;
}
