import { describe, expect, it } from 'vitest';
import { ApplyError, Retry, RenderError } from '../core/errors.js';
import { HealthState } from '../health/health-state.js';
import type { ApplyRevisionResult } from '../reconcile/apply-revision.js';
import { FailureReason, HoldReason } from '../reconcile/failure-reason.js';
import { EnvironmentPhase } from './agent-state.js';
import { seedState, toEnvironmentState } from './fleet-reconciler.js';
import { parseFleetResource } from './fleet-resource.js';

const rev = `main@sha1:${'a'.repeat(40)}`;
const base = { environment: 'staging', revision: rev, statuses: [] };

describe('toEnvironmentState', () => {
  it.each<[string, ApplyRevisionResult, Partial<ReturnType<typeof toEnvironmentState>>]>([
    ['held by the gate: waiting', { ...base, promotion: { proceed: false, state: HealthState.Pending, description: 'staging: waiting for dev', waitingFor: [] } }, { phase: EnvironmentPhase.Waiting, reason: HoldReason.WaitingForPromotion }],
    ['a terminal render failure: stalled', { ...base, outcome: { environment: 'staging', revision: rev, blocked: false, failure: { reason: FailureReason.RenderFailed, error: new RenderError([{ code: 'x', path: [], file: 'a.yaml', line: 3, message: 'bad' }]) } } }, { phase: EnvironmentPhase.Stalled, reason: 'RenderFailed', message: 'a.yaml:3: bad' }],
    ['a transient apply failure: retrying', { ...base, outcome: { environment: 'staging', revision: rev, blocked: false, failure: { reason: FailureReason.ApplyFailed, error: new ApplyError('Cluster/ns/a ServiceUnavailable: etcd', { retry: Retry.Transient }) } } }, { phase: EnvironmentPhase.Retrying, reason: 'ApplyFailed' }],
    ['applied and converging', { ...base, outcome: { environment: 'staging', revision: rev, blocked: false }, status: { environment: 'staging', revision: rev, phase: 'live', state: HealthState.Pending, description: 'staging: 0/1 healthy', clusters: [], statuses: [] } }, { phase: EnvironmentPhase.Progressing, appliedRevision: rev }],
    ['applied and healthy', { ...base, outcome: { environment: 'staging', revision: rev, blocked: false }, status: { environment: 'staging', revision: rev, phase: 'live', state: HealthState.Success, description: 'ok', clusters: [], statuses: [] } }, { phase: EnvironmentPhase.Ready, reason: 'Succeeded', appliedRevision: rev }],
  ])('%s', (_name, result, want) => {
    expect(toEnvironmentState('staging', undefined, result, 3, 1000, undefined)).toMatchObject({ ...want, attemptedRevision: rev, generation: 3 });
  });

  it('keeps the last applied revision while a newer one waits for its window', () => {
    const previous = { name: 'staging', phase: EnvironmentPhase.Ready, reason: 'Succeeded', message: '', appliedRevision: 'main@sha1:old', generation: 3, updatedAt: 0 };
    const held = toEnvironmentState('staging', previous, { ...base, held: { reason: HoldReason.OutsideApplyWindow, message: 'outside' }, outcome: { environment: 'staging', revision: rev, blocked: false } }, 3, 1000, 5000);
    expect(held).toMatchObject({ phase: EnvironmentPhase.Held, appliedRevision: 'main@sha1:old', attemptedRevision: rev, nextApplyWindow: 5000 });
  });
});

describe('seedState', () => {
  it('reads the environments back from the status a previous agent wrote', () => {
    const fleet = parseFleetResource({
      apiVersion: 'drover.dev/v1alpha1', kind: 'Fleet', metadata: { name: 'f', namespace: 'ns', generation: 4 },
      spec: { source: { url: 'http://git/fleet.git' } },
      status: {
        observedGeneration: 4,
        source: { revision: rev, lastFetchTime: '2026-11-30T03:00:00Z' },
        environments: [
          { name: 'staging', lastAppliedRevision: rev, lastAttemptedRevision: rev, observedGeneration: 4, conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: 'ok' }] },
          { name: 'prod', lastAttemptedRevision: rev, conditions: [{ type: 'Ready', status: 'False', reason: 'WaitingForPromotion', message: 'w' }] },
        ],
      },
    });
    const state = seedState(fleet, 0);
    expect(state.environments.map((e) => [e.name, e.phase, e.generation])).toEqual([['staging', 'ready', 4], ['prod', 'waiting', 4]]);
    expect(state.source).toMatchObject({ revision: rev, fetchedAt: Date.parse('2026-11-30T03:00:00Z') });
  });
});
