import { isTrue } from '../conditions.js';
import { HealthState } from '../health-state.js';
import type { HealthRule } from './rule.js';
import { activeFlags, counterGaps } from './settled.js';

/** Rule 7: Available=True, nothing rolling out, scaling or remediating, every counter at desired. */
export const available: HealthRule = {
  name: 'available',
  evaluate: ({ view }) => {
    if (!isTrue(view.conditions, 'Available')) return undefined;
    if (activeFlags(view).length || counterGaps(view).length) return undefined;
    return { state: HealthState.Success, reason: 'Available', summary: 'Available' };
  },
};

/** Rule 8: Available=True, but a rollout, scale or remediation is still under way. */
export const progressing: HealthRule = {
  name: 'progressing',
  evaluate: ({ view }) => {
    if (!isTrue(view.conditions, 'Available')) return undefined;
    const why = [...activeFlags(view), ...counterGaps(view)];
    return { state: HealthState.Pending, reason: 'Progressing', summary: `Progressing (${why.join(', ')})`, timesOut: true };
  },
};
