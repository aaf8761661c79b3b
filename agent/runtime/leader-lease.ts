import type { LeaseSpec } from '../kube/lease.js';

/** What a replica does with the leader Lease it just read. */
export type LeaderLeaseDecision =
  /** No Lease yet: create it, holding it. */
  | { readonly action: 'create'; readonly spec: LeaseSpec }
  /** Released or expired (its holder died): take it over, one more transition. */
  | { readonly action: 'take'; readonly spec: LeaseSpec }
  /** Ours: renew it. */
  | { readonly action: 'renew'; readonly spec: LeaseSpec }
  /** Another replica holds a live Lease: stand by until it expires. */
  | { readonly action: 'standby'; readonly holder: string; readonly expiresAt: number };

export interface LeaderLeaseInput {
  /** This replica's identity (the pod name). */
  readonly identity: string;
  /** How long a Lease stands without renewal, in whole seconds. */
  readonly durationSeconds: number;
  readonly now: number;
}

/**
 * The election rule, as client-go's leaderelection applies it, from the Lease alone: a Lease
 * with no holder, or whose `renewTime + leaseDurationSeconds` has passed, is free; one we hold is
 * renewed; any other is someone else's. Pure.
 */
export function decideLeaderLease(lease: LeaseSpec | undefined, exists: boolean, input: LeaderLeaseInput): LeaderLeaseDecision {
  const time = toMicroTime(input.now);
  const held = (acquireTime: string, transitions: number): LeaseSpec => ({ holderIdentity: input.identity, leaseDurationSeconds: input.durationSeconds, acquireTime, renewTime: time, leaseTransitions: transitions });
  if (!exists) return { action: 'create', spec: held(time, 0) };
  const spec = lease ?? {};
  const transitions = spec.leaseTransitions ?? 0;
  if (spec.holderIdentity === input.identity) return { action: 'renew', spec: held(spec.acquireTime ?? time, transitions) };
  const expiresAt = leaseExpiresAt(spec);
  if (!spec.holderIdentity || expiresAt <= input.now) return { action: 'take', spec: held(time, spec.holderIdentity || spec.acquireTime ? transitions + 1 : transitions) };
  return { action: 'standby', holder: spec.holderIdentity, expiresAt };
}

/** When the Lease lapses without renewal (ms since epoch); 0 when it carries no time. Pure. */
export function leaseExpiresAt(spec: LeaseSpec): number {
  const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? '');
  if (Number.isNaN(renewed)) return 0;
  return renewed + (spec.leaseDurationSeconds ?? 0) * 1000;
}

/**
 * The Lease given back on shutdown: no holder, a one-second duration, so a standby takes it at
 * its next try instead of waiting out the full duration. Pure.
 */
export function toReleasedLease(spec: LeaseSpec, now: number): LeaseSpec {
  const { holderIdentity: _holder, ...rest } = spec;
  return { ...rest, leaseDurationSeconds: 1, renewTime: toMicroTime(now) };
}

/** The name of a shard's leader Lease (shard names are DNS labels): one election per shard, one for the unsharded replicas. */
export function leaderLeaseName(shard: string | undefined): string {
  return shard ? `drover-agent-leader-${shard}` : 'drover-agent-leader';
}

/** RFC 3339 with microseconds, the MicroTime format of Lease times. */
export function toMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
