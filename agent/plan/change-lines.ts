import { formatClusterSummary, type ClusterSummary } from './cluster-summary.js';
import { ChangeType, type Change } from './plan.js';

/** One change in words, shared by the text and markdown formats: a marker, a title and a detail. */
export interface ChangeLine {
  readonly marker: '+' | '-' | '~';
  readonly title: string;
  readonly detail: string;
}

/**
 * Lines for a cluster's changes. A created or deleted cluster is one line: the objects that come
 * or go with it are folded into its summary.
 */
export function toChangeLines(changes: readonly Change[]): ChangeLine[] {
  const creating = changes.some((c) => c.type === ChangeType.CreateCluster);
  const deleting = changes.some((c) => c.type === ChangeType.DeleteCluster);
  const out: ChangeLine[] = [];
  for (const c of changes) {
    if ((creating && c.type === ChangeType.Create) || (deleting && c.type === ChangeType.Delete)) continue;
    out.push(toChangeLine(c));
  }
  return out;
}

export function toChangeLine(c: Change): ChangeLine {
  const rolls = c.machines ? `, ${c.machines} machine${c.machines === 1 ? '' : 's'} roll` : '';
  const target = c.target ?? c.object;
  switch (c.type) {
    case ChangeType.CreateCluster:
      return { marker: '+', title: `create cluster ${c.object}`, detail: formatClusterSummary(c.to as ClusterSummary) };
    case ChangeType.DeleteCluster:
      return { marker: '-', title: `delete cluster ${c.object}`, detail: formatClusterSummary(c.from as ClusterSummary) };
    case ChangeType.Resize:
      return { marker: '~', title: `resize ${target}`, detail: `${show(c.from)} → ${show(c.to)} (${c.object} ${c.path})` };
    case ChangeType.Upgrade:
      return { marker: '~', title: `upgrade ${target}`, detail: `${show(c.from)} → ${show(c.to)}${rolls} (${c.object} ${c.path})` };
    case ChangeType.TemplateSwap:
      return { marker: '~', title: `swap template of ${target}`, detail: `${show(c.from)} → ${show(c.to)}${rolls} (${c.object} ${c.path})` };
    case ChangeType.Update:
      return { marker: '~', title: `update ${c.object}`, detail: `${(c.paths ?? []).join(', ')}${rolls}` };
    case ChangeType.Create:
      return { marker: '+', title: `create ${c.object}`, detail: '' };
    case ChangeType.Delete:
      return { marker: '-', title: `delete ${c.object}`, detail: '' };
    case ChangeType.Adopt: {
      const by = c.managers?.length ? `, written by ${c.managers.join(', ')}` : '';
      const fields = c.paths?.length ? `; changes ${c.paths.join(', ')}` : '';
      return { marker: '~', title: `adopt ${c.object}`, detail: `exists in no environment's inventory${by}${fields}` };
    }
  }
}

export function show(v: unknown): string {
  if (v === undefined) return '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
