import type { CellState, FleetView, Replicas } from './page-model.js';

const short = (rev: string | undefined) => (rev ? rev.replace(/@sha1:([0-9a-f]{7})[0-9a-f]*$/, '@$1') : '-');
const count = (r: Replicas | undefined) => (r ? `${r.ready ?? '?'}/${r.desired ?? '?'}` : '-');

function table(rows: string[][], indent = ''): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

/**
 * `drover status --fleet NAME`: the fleet page's data as text, from the same JSON the page
 * renders (GET /api/fleets/<ns>/<name>): each environment in promotion order with its revisions
 * and condition, then its clusters with state, version, counts and the status description. Pure.
 */
export function formatFleetText(f: FleetView): string {
  const lines: string[] = [`Fleet ${f.namespace}/${f.name} (${f.repository}) at ${f.revision ?? 'no revision yet'}${f.suspended ? ', suspended' : ''}`];
  if (f.failure) lines.push(`  ${f.failure.reason}: ${f.failure.message}`);
  if (f.sourceStaleSince) lines.push(`  source stale since ${f.sourceStaleSince}: ${f.sourceMessage ?? ''}`);
  lines.push('');
  const envRows = [['ENVIRONMENT', 'PHASE', 'APPLIED', 'ATTEMPTED', 'NEXT WINDOW', 'CONDITION']];
  for (const e of f.environments) {
    envRows.push([e.after.length ? `${e.after.join(',')} → ${e.name}` : e.name, e.phase, short(e.lastAppliedRevision), short(e.lastAttemptedRevision), e.nextApplyWindow ?? '-', `${e.reason}: ${e.message.split('\n')[0]}`]);
  }
  lines.push(...table(envRows));
  for (const e of f.environments) {
    lines.push('', `${e.name}:`);
    if (e.blocked.length) for (const b of e.blocked) lines.push(`  BLOCKED ${b}`);
    if (!e.clusters.length) {
      lines.push('  no clusters known yet');
      continue;
    }
    const rows = [['STATE', 'CLUSTER', 'KUBERNETES', 'CP', 'WORKERS', 'SINCE', 'DESCRIPTION']];
    for (const c of e.clusters) rows.push([c.state, `${c.namespace}/${c.name}`, c.version ?? '-', count(c.controlPlane), count(c.workers), c.since ?? '-', c.description]);
    lines.push(...table(rows, '  '));
  }
  return `${lines.join('\n')}\n`;
}

/** 0 when every environment is ready and every cluster healthy, 3 while something converges or waits, 1 on a failure. Pure. */
export function fleetExitCode(f: FleetView): 0 | 1 | 3 {
  const states: CellState[] = f.environments.flatMap((e) => e.clusters.map((c) => c.state));
  const phases = f.environments.map((e) => e.phase);
  if (f.failure || phases.some((p) => p === 'stalled' || p === 'failed' || p === 'retrying') || states.some((s) => s === 'failure' || s === 'error')) return 1;
  if (phases.some((p) => p !== 'ready') || states.some((s) => s !== 'success')) return 3;
  return 0;
}
