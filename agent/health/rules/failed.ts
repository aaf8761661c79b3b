import { isTrue } from '../conditions.js';
import { HealthState } from '../health-state.js';
import type { HealthRule } from './rule.js';

/** Rule 6: v1beta1 failureReason/failureMessage (kept under status.deprecated in v1beta2) or phase Failed. */
export const failed: HealthRule = {
  name: 'failed',
  evaluate: ({ view }) => {
    if (!view.failureReason && !view.failureMessage && view.phase !== 'Failed') return undefined;
    const why = view.failureMessage ?? view.failureReason ?? 'phase Failed';
    return { state: HealthState.Failure, reason: 'Failed', summary: `Failed: ${why}` };
  },
};

/**
 * Rule 10: a part failed for good (an errored Equinix Metal device, a failed Machine) while the
 * cluster is not available and nothing remediates it.
 */
export const partFailed: HealthRule = {
  name: 'part-failed',
  evaluate: ({ view, details }) => {
    if (details.failures.length === 0) return undefined;
    const available = isTrue(view.conditions, 'Available') || isTrue(view.legacyConditions, 'Ready');
    if (available || isTrue(view.conditions, 'Remediating')) return undefined;
    const more = details.failures.length > 1 ? ` (+${details.failures.length - 1} more)` : '';
    return { state: HealthState.Failure, reason: 'MachineFailed', summary: `Failed: ${details.failures[0]}${more}` };
  },
};
