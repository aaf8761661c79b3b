import { findCondition, firstLine, isFalse, isTrue, type Condition } from '../conditions.js';
import { HealthState } from '../health-state.js';
import type { HealthRule } from './rule.js';

/**
 * The order in which a cluster comes up; the first of these that is not True names what
 * provisioning waits for.
 */
const PROVISIONING_ORDER = ['InfrastructureReady', 'ControlPlaneInitialized', 'ControlPlaneAvailable', 'WorkersAvailable', 'RemoteConnectionProbe', 'TopologyReconciled', 'Available'] as const;

/** Reasons CAPI sets when it cannot make progress by waiting. */
const HARD_REASONS = new Set(['InternalError', 'ReconcileFailed']);

/**
 * Rule 9: the workload cluster's API answered once and does not any more (CAPI waits 50 s before
 * saying so). While the control plane is not available yet (the first machine just initialized,
 * its API still starting; seen with the real controllers right after ControlPlaneInitialized),
 * that is provisioning, pending until the provisioning timeout, not a failure.
 */
export const unreachable: HealthRule = {
  name: 'unreachable',
  evaluate: ({ view }) => {
    if (!view.controlPlaneInitialized || !isFalse(view.conditions, 'RemoteConnectionProbe')) return undefined;
    if (!isTrue(view.conditions, 'ControlPlaneAvailable')) return { state: HealthState.Pending, reason: 'Provisioning', summary: 'Provisioning (RemoteConnectionProbe)', timesOut: true };
    return { state: HealthState.Failure, reason: 'Unreachable', summary: 'API unreachable' };
  },
};

/** Rule 11: not available and a condition reports an internal error or a failed topology reconcile. */
export const degraded: HealthRule = {
  name: 'degraded',
  evaluate: ({ view }) => {
    const bad = notTrue(view.conditions).find((c) => c.reason !== undefined && HARD_REASONS.has(c.reason));
    if (!bad) return undefined;
    return { state: HealthState.Failure, reason: 'Degraded', summary: `Degraded: ${bad.type}: ${firstLine(bad.message) ?? bad.reason}` };
  },
};

/** Rule 12: v1beta2 conditions say it is not available yet; pending until the provisioning timeout. */
export const provisioning: HealthRule = {
  name: 'provisioning',
  evaluate: ({ view }) => {
    if (view.conditions.length === 0) return undefined;
    const waiting = notTrue(view.conditions)[0];
    return { state: HealthState.Pending, reason: 'Provisioning', summary: waiting ? `Provisioning (${waiting.type})` : 'Provisioning', timesOut: true };
  },
};

/** Conditions in provisioning order that are False or Unknown (absent ones count as Unknown). */
function notTrue(conditions: readonly Condition[]): Condition[] {
  const out: Condition[] = [];
  for (const type of PROVISIONING_ORDER) {
    const c = findCondition(conditions, type);
    if (type === 'TopologyReconciled' && !c) continue; // only clusters with a ClusterClass have it
    if (!c) out.push({ type, status: 'Unknown', reason: 'NotReported' });
    else if (c.status !== 'True') out.push(c);
  }
  return out;
}
