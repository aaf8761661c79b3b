import { toChangeLines } from './change-lines.js';
import { formatCost } from './format-cost.js';
import type { Change, CostDelta, Finding, Plan, PlanCounts } from './plan.js';

/** The plan for a terminal: one section per cluster with changes or findings, then the summary. */
export function formatPlanText(plan: Plan): string {
  const out: string[] = [`plan for environment ${plan.environment} at ${plan.revision}`];
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
  return `${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.unchanged} unchanged, ${c.skipped} skipped`;
}
