import { findCondition } from '../conditions.js';
import { HealthState } from '../health-state.js';
import type { HealthRule } from './rule.js';

/** Rule 1: Drover could not apply or read the cluster's objects. */
export const applyFailed: HealthRule = {
  name: 'apply-failed',
  evaluate: ({ applyError }) => (applyError === undefined ? undefined : { state: HealthState.Error, reason: 'ApplyFailed', summary: `apply rejected: ${applyError}` }),
};

/** Rule 2: declared, but no Cluster object lives in the management cluster. */
export const missing: HealthRule = {
  name: 'missing',
  evaluate: ({ view }) => (view.exists ? undefined : { state: HealthState.Error, reason: 'Missing', summary: 'missing: no Cluster object' }),
};

/** Rule 3: being deleted; a failure while Git still declares the cluster. */
export const deleting: HealthRule = {
  name: 'deleting',
  evaluate: ({ view, declared }) => {
    if (!view.deleting) return undefined;
    const why = findCondition(view.conditions, 'Deleting')?.reason;
    const summary = why && why !== 'Deleting' ? `Deleting (${why})` : 'Deleting';
    return declared
      ? { state: HealthState.Failure, reason: 'Deleting', summary: `${summary} but still declared in Git` }
      : { state: HealthState.Pending, reason: 'Deleting', summary };
  },
};

/** Rule 4: paused (spec.paused, the paused annotation, Paused=True) or being moved by clusterctl. */
export const paused: HealthRule = {
  name: 'paused',
  evaluate: ({ view }) => {
    if (view.hold === 'moving') return { state: HealthState.Pending, reason: 'Moving', summary: 'Moving (clusterctl move)' };
    if (view.hold === 'paused') return { state: HealthState.Pending, reason: 'Paused', summary: 'Paused' };
    return undefined;
  },
};

/** Rule 5: CAPI has not yet seen the latest spec (status.observedGeneration < metadata.generation). */
export const reconciling: HealthRule = {
  name: 'reconciling',
  evaluate: ({ view }) => {
    const { generation, observedGeneration } = view;
    if (generation === undefined) return undefined;
    if (observedGeneration !== undefined && observedGeneration >= generation) return undefined;
    return { state: HealthState.Pending, reason: 'Reconciling', summary: 'Reconciling', timesOut: true };
  },
};
