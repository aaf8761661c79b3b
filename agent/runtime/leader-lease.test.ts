import { describe, expect, it } from 'vitest';
import { decideLeaderLease, leaderLeaseName, leaseExpiresAt, toReleasedLease } from './leader-lease.js';

const now = Date.parse('2026-11-30T06:00:00.000Z');
const input = { identity: 'drover-a', durationSeconds: 15, now };
const at = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');

describe('decideLeaderLease', () => {
  it.each([
    ['creates the Lease when there is none', undefined, false, 'create'],
    ['renews a Lease it holds', { holderIdentity: 'drover-a', leaseDurationSeconds: 15, renewTime: at(now - 4000) }, true, 'renew'],
    ['renews its own Lease even when it lapsed (no one took it)', { holderIdentity: 'drover-a', leaseDurationSeconds: 15, renewTime: at(now - 60_000) }, true, 'renew'],
    ['stands by while another holder renews', { holderIdentity: 'drover-b', leaseDurationSeconds: 15, renewTime: at(now - 14_000) }, true, 'standby'],
    ['takes over a Lease whose holder stopped renewing', { holderIdentity: 'drover-b', leaseDurationSeconds: 15, renewTime: at(now - 15_001) }, true, 'take'],
    ['takes a released Lease (no holder) at once', { leaseDurationSeconds: 1, renewTime: at(now) }, true, 'take'],
    ['takes an empty Lease', {}, true, 'take'],
  ] as const)('%s', (_name, spec, exists, action) => {
    expect(decideLeaderLease(spec, exists, input).action).toBe(action);
  });

  it('counts a transition when the holder changes, not on renewal', () => {
    const taken = decideLeaderLease({ holderIdentity: 'drover-b', leaseDurationSeconds: 15, renewTime: at(now - 20_000), leaseTransitions: 3 }, true, input);
    expect(taken).toMatchObject({ action: 'take', spec: { holderIdentity: 'drover-a', leaseTransitions: 4, leaseDurationSeconds: 15, acquireTime: at(now), renewTime: at(now) } });
    const renewed = decideLeaderLease({ holderIdentity: 'drover-a', acquireTime: at(now - 99_000), leaseTransitions: 4 }, true, input);
    expect(renewed).toMatchObject({ action: 'renew', spec: { leaseTransitions: 4, acquireTime: at(now - 99_000), renewTime: at(now) } });
  });

  it('says who holds the Lease and until when', () => {
    expect(decideLeaderLease({ holderIdentity: 'drover-b', leaseDurationSeconds: 15, renewTime: at(now - 5000) }, true, input)).toEqual({ action: 'standby', holder: 'drover-b', expiresAt: now + 10_000 });
  });
});

describe('toReleasedLease', () => {
  it('clears the holder and shortens the duration to one second', () => {
    const released = toReleasedLease({ holderIdentity: 'drover-a', leaseDurationSeconds: 15, acquireTime: at(now - 9000), renewTime: at(now - 1000), leaseTransitions: 2 }, now);
    expect(released).toEqual({ leaseDurationSeconds: 1, acquireTime: at(now - 9000), renewTime: at(now), leaseTransitions: 2 });
    expect(leaseExpiresAt(released)).toBe(now + 1000);
  });
});

describe('leaderLeaseName', () => {
  it.each([
    [undefined, 'drover-agent-leader'],
    ['eu', 'drover-agent-leader-eu'],
  ])('%s → %s', (shard, name) => expect(leaderLeaseName(shard)).toBe(name));
});
