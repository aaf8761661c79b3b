import { toChangeLines } from './change-lines.js';
import { formatCost } from './format-cost.js';
import { clustersDeleted, formatCounts } from './format-text.js';
import type { Change, CostDelta, Finding, Plan } from './plan.js';

/** GitHub's limit for a comment body is 65536 characters; stay below it. */
const DEFAULT_MAX_LENGTH = 60_000;

/**
 * The plan as a pull request comment (GitHub-flavoured markdown): a verdict line, the counts, one
 * table per cluster with changes, findings as a list. Past `maxLength` the remaining clusters are
 * summarized in one line instead of listed.
 */
export function formatPlanMarkdown(plan: Plan, options: { maxLength?: number } = {}): string {
  const max = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const deleting = clustersDeleted(plan);
  const head: string[] = [`### Drover plan for \`${plan.environment}\` at \`${plan.revision}\`${deleting ? `: deletes ${deleting} cluster${deleting === 1 ? '' : 's'}` : ''}`, ''];
  const blocks = [...plan.clusters.flatMap((c) => c.findings), ...plan.findings].filter((f) => f.severity === 'block').length;
  if (plan.blocked) head.push(`> **Blocked:** ${blocks} finding${blocks === 1 ? '' : 's'} must be resolved; nothing will be applied.`, '');
  head.push(`**${formatCounts(plan.counts)}**`, '');
  if (plan.cost) head.push(`**Cost:** ${cell(formatCost(plan.cost))}`, '');

  const sections: string[] = [];
  for (const c of plan.clusters) sections.push(section(`Cluster \`${c.name}\`${c.skipped ? ' (skipped)' : ''}`, c.changes, c.findings, c.cost));
  if (plan.changes.length || plan.findings.length) sections.push(section('Environment', plan.changes, plan.findings));
  if (!sections.length) sections.push('No changes.\n');

  let body = head.join('\n');
  for (let i = 0; i < sections.length; i++) {
    if (body.length + sections[i]!.length > max) {
      body += `\n_…and ${sections.length - i} more section${sections.length - i === 1 ? '' : 's'}; run \`drover plan\` for the full list._\n`;
      break;
    }
    body += `\n${sections[i]}`;
  }
  return body;
}

function section(title: string, changes: readonly Change[], findings: readonly Finding[], cost?: CostDelta): string {
  const out = [`#### ${title}`, ''];
  if (cost) out.push(`Cost: ${cell(formatCost(cost))}`, '');
  const lines = toChangeLines(changes);
  if (lines.length) {
    out.push('| | change | detail |', '|---|---|---|');
    for (const l of lines) out.push(`| ${l.marker === '+' ? '➕' : l.marker === '-' ? '➖' : '✏️'} | ${cell(l.title)} | ${cell(l.detail)} |`);
    out.push('');
  }
  for (const f of findings) out.push(`- ${f.severity === 'block' ? '⛔ **block**' : '⚠️ **warn**'} \`${f.code}\`: ${cell(f.message)}`);
  if (findings.length) out.push('');
  return out.join('\n');
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
