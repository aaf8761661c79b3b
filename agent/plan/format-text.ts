import { toChangeLines } from './change-lines.js';
import { formatCost } from './format-cost.js';
import { ChangeType, type Change, type CostDelta, type Finding, type Plan, type PlanCounts } from './plan.js';

/** The plan for a terminal: one section per cluster with changes or findings, then the summary. */
export function formatPlanText(plan: Plan): string {
  const deleting = clustersDeleted(plan);
  const out: string[] = [`plan for environment ${plan.environment} at ${plan.revision}${deleting ? `: deletes ${deleting} cluster${deleting === 1 ? '' : 's'}` : ''}`];
  const section = (title: string, changes: readonly Change[], findings: readonly Finding[], cost?: CostDelta) => {
    if (!changes.length && !findings.length) return;
    out.push(title);
    for (const l of toChangeLines(changes)) out.push(`  ${l.marker} ${l.title}${l.detail ? `: ${l.detail}` : ''}`);
    if (cost) out.push(`  cost ${formatCost(cost)}`);
    for (const f of findings) out.push(`  ${f.severity === 'block' ? 'BLOCK' : 'warn'} ${f.code}: ${f.message}`);
  };
  for (const c of plan.clusters) section(`cluster ${c.name}${c.skipped ? ' (skipped)' : ''}`, c.changes, c.findings, c.cost);
  section('environment', plan.changes, plan.findings);
  if (out.length === 1) out.push('no changes');
  out.push(`summary: ${formatCounts(plan.counts)}`);
  if (plan.cost) out.push(`cost: ${formatCost(plan.cost)}`);
  const blocks = [...plan.clusters.flatMap((c) => c.findings), ...plan.findings].filter((f) => f.severity === 'block').length;
  if (plan.blocked) out.push(`blocked: ${blocks} finding${blocks === 1 ? '' : 's'} must be resolved; apply writes nothing`);
  return `${out.join('\n')}\n`;
}

export function formatCounts(c: PlanCounts): string {
  return `${c.create} to create, ${c.update} to update, ${c.delete} to delete${c.adopt ? `, ${c.adopt} to adopt` : ''}, ${c.unchanged} unchanged, ${c.skipped} skipped`;
}

/** How many Clusters applying the plan deletes (tombstoned or removed from git): said in the plan's first line. */
export function clustersDeleted(plan: Plan): number {
  return plan.clusters.reduce((n, c) => n + c.changes.filter((x) => x.type === ChangeType.DeleteCluster).length, 0);
}
