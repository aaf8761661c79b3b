import { describe, expect, it } from 'vitest';
import { HealthState } from '../health/health-state.js';
import { decidePromotion } from '../health/promotion-gate.js';
import { toUpstreamHealth, withPromotion } from './promotion-check.js';
import { StatusPhase, type EnvironmentStatus } from './status-environment.js';

const sha = (c: string) => c.repeat(40);
const revision = `main@sha1:${sha('a')}`;

function status(phase: StatusPhase, state: HealthState, recorded?: string): EnvironmentStatus {
  return {
    environment: 'staging',
    revision,
    phase,
    state,
    description: '',
    clusters: [],
    statuses: [],
    ...(recorded ? { record: { revision: recorded, appliedAt: 0, changes: {} } } : {}),
  };
}

describe('toUpstreamHealth', () => {
  it.each([
    { name: 'live and healthy', s: status(StatusPhase.Live, HealthState.Success), want: { revision, state: 'success' } },
    { name: 'live and converging', s: status(StatusPhase.Live, HealthState.Pending), want: { revision, state: 'pending' } },
    { name: 'its apply failed at this revision', s: status(StatusPhase.ApplyFailed, HealthState.Failure, revision), want: { revision, state: 'failure' } },
    { name: 'its plan is blocked', s: status(StatusPhase.Blocked, HealthState.Failure), want: { revision, state: 'failure' } },
    { name: 'it cannot be rendered', s: status(StatusPhase.Error, HealthState.Error), want: { revision, state: 'error' } },
    { name: 'never applied', s: status(StatusPhase.NotApplied, HealthState.Pending), want: { revision: undefined, state: 'pending' } },
    { name: 'at another commit', s: status(StatusPhase.NotApplied, HealthState.Pending, `main@sha1:${sha('b')}`), want: { revision: `main@sha1:${sha('b')}`, state: 'pending' } },
    { name: 'applied in part at this commit under another ref name', s: status(StatusPhase.NotApplied, HealthState.Pending, `${sha('a')}@sha1:${sha('a')}`), want: { revision, state: 'pending' } },
  ])('$name', ({ s, want }) => {
    expect(toUpstreamHealth(s, revision)).toEqual(want);
  });

  it('lets the gate tell waiting from blocked', () => {
    const decide = (s: EnvironmentStatus) => decidePromotion({ env: 'prod', after: ['staging'], revision, upstream: new Map([['staging', toUpstreamHealth(s, revision)]]) });
    expect(decide(status(StatusPhase.Live, HealthState.Success)).proceed).toBe(true);
    expect(decide(status(StatusPhase.NotApplied, HealthState.Pending, `main@sha1:${sha('b')}`))).toMatchObject({ proceed: false, state: 'pending', description: 'prod: waiting for staging (at main@sha1:bbbbbbb)' });
    expect(decide(status(StatusPhase.ApplyFailed, HealthState.Failure, revision))).toMatchObject({ proceed: false, state: 'failure', description: 'prod: blocked by staging (failure at main@sha1:aaaaaaa)' });
  });
});

describe('withPromotion', () => {
  it.each([
    { state: HealthState.Pending, description: 'prod: waiting for staging (nothing applied yet)' },
    { state: HealthState.Failure, description: 'prod: blocked by staging (failure at main@sha1:aaaaaaa)' },
  ])('posts drover/<env> $state with what it waits for, and no cluster statuses', ({ state, description }) => {
    const held = withPromotion({ ...status(StatusPhase.NotApplied, HealthState.Pending), environment: 'prod' }, { proceed: false, state, description, waitingFor: [{ env: 'staging', why: 'x' }] });
    expect(held).toMatchObject({ phase: 'waiting', state, description, statuses: [{ state, context: 'drover/prod', description }] });
  });
});
