import { findCondition, firstLine, isTrue } from '../conditions.js';
import { HealthState } from '../health-state.js';
import type { HealthRule } from './rule.js';
import { counterGaps } from './settled.js';

/**
 * Rules 13–16, for clusters that report only v1beta1 conditions (CAPI ≤ 1.8, or providers on the
 * v1beta1 contract without the v1beta2 backport): Ready/ControlPlaneReady/InfrastructureReady with
 * severities, and the phase.
 */
export const legacyReady: HealthRule = {
  name: 'v1beta1-ready',
  evaluate: ({ view }) => {
    if (view.conditions.length || !isTrue(view.legacyConditions, 'Ready')) return undefined;
    if (view.phase !== undefined && view.phase !== 'Provisioned') return undefined;
    if (findCondition(view.legacyConditions, 'ControlPlaneReady')?.status === 'False') return undefined;
    if (findCondition(view.legacyConditions, 'InfrastructureReady')?.status === 'False') return undefined;
    const gaps = counterGaps(view);
    return gaps.length
      ? { state: HealthState.Pending, reason: 'Progressing', summary: `Progressing (${gaps.join(', ')})`, timesOut: true }
      : { state: HealthState.Success, reason: 'Available', summary: 'Ready' };
  },
};

/** Ready=False with severity Error: CAPI v1beta1's way of saying it will not get better alone. */
export const legacyError: HealthRule = {
  name: 'v1beta1-error',
  evaluate: ({ view }) => {
    if (view.conditions.length) return undefined;
    const bad = view.legacyConditions.find((c) => c.status === 'False' && c.severity === 'Error');
    if (!bad) return undefined;
    return { state: HealthState.Failure, reason: 'Degraded', summary: `Degraded: ${bad.type}: ${firstLine(bad.message) ?? bad.reason ?? 'Error'}` };
  },
};

/** Severity Warning/Info, phase Pending/Provisioning, or no status yet: still coming up. */
export const legacyProvisioning: HealthRule = {
  name: 'v1beta1-provisioning',
  evaluate: ({ view }) => {
    if (view.conditions.length) return undefined;
    const waiting = ['InfrastructureReady', 'ControlPlaneInitialized', 'ControlPlaneReady', 'Ready']
      .map((t) => findCondition(view.legacyConditions, t))
      .find((c) => c !== undefined && c.status !== 'True');
    const what = waiting ? `${waiting.type}${waiting.reason ? `: ${waiting.reason}` : ''}` : view.phase;
    return { state: HealthState.Pending, reason: 'Provisioning', summary: what ? `Provisioning (${what})` : 'Provisioning', timesOut: true };
  },
};
