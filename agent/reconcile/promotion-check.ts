import { HealthState } from '../health/health-state.js';
import { decidePromotion, type PromotionDecision, type UpstreamHealth } from '../health/promotion-gate.js';
import { toApplyStatus } from '../report/commit-status.js';
import type { ReconcileEnvironmentDeps } from './reconcile-environment.js';
import { computeEnvironmentStatus, sameCommit, StatusPhase, type EnvironmentStatus, type EnvironmentStatusInput } from './status-environment.js';

export interface PromotionCheck {
  readonly decision: PromotionDecision;
  /** The status of each upstream environment at this revision, by name. */
  readonly upstream: ReadonlyMap<string, EnvironmentStatus>;
}

/**
 * The promotion gate of an environment with `after: [...]`: computes each upstream
 * environment's status at the same revision with the same code as `drover status`, then
 * decides (health/promotion-gate.ts). "The same revision" is judged by content: an upstream
 * environment whose live objects are what this revision renders for it is at this revision,
 * whichever commit wrote them. Reads only; an environment without `after` always proceeds.
 */
export async function checkPromotion(input: EnvironmentStatusInput, deps: ReconcileEnvironmentDeps): Promise<PromotionCheck> {
  const upstream = new Map<string, EnvironmentStatus>();
  const health = new Map<string, UpstreamHealth>();
  for (const name of input.environment.after) {
    const env = input.config.environments.find((e) => e.name === name);
    if (!env) continue; // parseFleetConfig rejects unknown names; a hand-built config waits ("nothing applied yet")
    const status = await computeEnvironmentStatus({ ...input, environment: env }, deps);
    upstream.set(name, status);
    health.set(name, toUpstreamHealth(status, input.snapshot.revision));
  }
  const decision = decidePromotion({ env: input.environment.name, after: input.environment.after, revision: input.snapshot.revision, upstream: health });
  return { decision, upstream };
}

/** How the gate sees an upstream environment's status at `revision`. Pure. */
export function toUpstreamHealth(status: EnvironmentStatus, revision: string): UpstreamHealth {
  switch (status.phase) {
    case StatusPhase.Live:
      return { revision, state: status.state };
    case StatusPhase.ApplyFailed:
    case StatusPhase.Blocked:
      return { revision, state: HealthState.Failure };
    case StatusPhase.Error:
      return { revision, state: HealthState.Error };
    case StatusPhase.NotApplied:
    case StatusPhase.Waiting: {
      const recorded = status.record?.revision;
      if (recorded !== undefined && sameCommit(recorded, revision)) return { revision, state: HealthState.Pending };
      return { revision: recorded, state: HealthState.Pending };
    }
  }
}

/**
 * `drover status` for an environment with a promotion gate: a revision that is not applied
 * says what it waits for (pending) or what blocks it (failure) instead of "not applied".
 */
export async function computeGatedEnvironmentStatus(input: EnvironmentStatusInput, deps: ReconcileEnvironmentDeps): Promise<EnvironmentStatus> {
  const status = await computeEnvironmentStatus(input, deps);
  if (status.phase !== StatusPhase.NotApplied || input.environment.after.length === 0) return status;
  const { decision } = await checkPromotion(input, deps);
  if (decision.proceed) return status;
  return withPromotion(status, decision);
}

/** The status of an environment the gate holds: `drover/<env>` pending "waiting for …", or failure "blocked by …". */
export function withPromotion(status: EnvironmentStatus, decision: PromotionDecision): EnvironmentStatus {
  const apply = toApplyStatus(status.environment, { result: decision.state === HealthState.Pending ? 'waiting' : 'blocked', message: decision.description });
  return { ...status, phase: StatusPhase.Waiting, state: decision.state, description: apply.description, promotion: decision, clusters: [], health: undefined, statuses: [apply] };
}
