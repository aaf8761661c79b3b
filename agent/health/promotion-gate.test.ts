import { describe, expect, it } from 'vitest';
import { HealthState } from './health-state.js';
import { decidePromotion, type UpstreamHealth } from './promotion-gate.js';

const REV = `main@sha1:${'a'.repeat(40)}`;
const OLD = `main@sha1:${'b'.repeat(40)}`;

describe('decidePromotion', () => {
  it.each<{ name: string; upstream: Record<string, UpstreamHealth>; proceed: boolean; state?: HealthState; description?: string }>([
    { name: 'proceeds when staging is healthy at the same revision', upstream: { staging: { revision: REV, state: 'success' } }, proceed: true },
    { name: 'waits while staging is pending at the revision', upstream: { staging: { revision: REV, state: 'pending' } }, proceed: false, state: 'pending', description: 'prod: waiting for staging (pending at main@sha1:aaaaaaa)' },
    { name: 'waits while staging is healthy only at an older revision', upstream: { staging: { revision: OLD, state: 'success' } }, proceed: false, state: 'pending', description: 'prod: waiting for staging (at main@sha1:bbbbbbb)' },
    { name: 'waits when staging never applied anything', upstream: {}, proceed: false, state: 'pending', description: 'prod: waiting for staging (nothing applied yet)' },
    { name: 'is blocked when staging failed at the revision', upstream: { staging: { revision: REV, state: 'failure' } }, proceed: false, state: 'failure', description: 'prod: blocked by staging (failure at main@sha1:aaaaaaa)' },
  ])('$name', ({ upstream, proceed, state, description }) => {
    const d = decidePromotion({ env: 'prod', after: ['staging'], revision: REV, upstream: new Map(Object.entries(upstream)) });
    expect(d.proceed).toBe(proceed);
    if (state) expect(d.state).toBe(state);
    if (description) expect(d.description).toBe(description);
  });

  it('waits for every upstream environment and names each', () => {
    const d = decidePromotion({ env: 'prod', after: ['staging', 'canary'], revision: REV, upstream: new Map([['staging', { revision: REV, state: HealthState.Success }], ['canary', { revision: REV, state: HealthState.Pending }]]) });
    expect(d.waitingFor).toEqual([{ env: 'canary', why: 'pending at main@sha1:aaaaaaa' }]);
  });

  it('proceeds at once for an environment with no upstream', () => {
    expect(decidePromotion({ env: 'staging', after: [], revision: REV, upstream: new Map() }).proceed).toBe(true);
  });
});
