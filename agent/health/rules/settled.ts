import type { ClusterView, Counters } from '../cluster-view.js';
import { findCondition } from '../conditions.js';

/** The summary conditions that mean "not done yet" while True. */
export const ACTIVITY_CONDITIONS = ['RollingOut', 'ScalingUp', 'ScalingDown', 'Remediating'] as const;

/** Activity conditions that are True, in table order. */
export function activeFlags(view: ClusterView): string[] {
  return ACTIVITY_CONDITIONS.filter((t) => findCondition(view.conditions, t)?.status === 'True');
}

/**
 * Counter gaps that keep a cluster from being done: fewer available (or up-to-date) replicas than
 * desired, for the control plane and the workers. Unknown counters are no gap.
 */
export function counterGaps(view: ClusterView): string[] {
  const own = [...gaps('cp', view.controlPlane), ...gaps('workers', view.workers)];
  return own.length ? own : [...view.partGaps];
}

function gaps(label: string, c: Counters | undefined): string[] {
  if (!c || c.desired === undefined) return [];
  if (c.available !== undefined && c.available < c.desired) return [`${label} ${c.available}/${c.desired} available`];
  if (c.upToDate !== undefined && c.upToDate < c.desired) return [`${label} ${c.upToDate}/${c.desired} up to date`];
  if (c.replicas !== undefined && c.replicas > c.desired) return [`${label} ${c.replicas}→${c.desired} replicas`];
  return [];
}
