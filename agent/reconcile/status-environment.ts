import { defaultApplyOptions } from '../apply/apply-options.js';
import { toRef, type KubeObject } from '../core/kube-object.js';
import type { ObjectRef } from '../core/object-ref.js';
import { refKey } from '../core/object-ref.js';
import { parseRevision } from '../core/revision.js';
import type { EnvironmentConfig, FleetConfig } from '../fleet/fleet-config.js';
import { groupClusterObjects } from '../health/cluster-objects.js';
import { HealthState, type ClusterHealth } from '../health/health-state.js';
import type { PromotionDecision } from '../health/promotion-gate.js';
import { shortRevision } from '../health/promotion-gate.js';
import { computeRevisionHealth, type RevisionHealth } from '../health/revision-health.js';
import type { Plan } from '../plan/plan.js';
import { StatusContext, toApplyStatus, toHealthStatus, truncateDescription, type CommitStatus } from '../report/commit-status.js';
import type { FleetSnapshot } from '../source/snapshot.js';
import { reconcileEnvironment, ReconcileMode, type ReconcileEnvironmentDeps, type ReconcileOutcome } from './reconcile-environment.js';
import { fetchMachineStates } from './provider-checks.js';
import { fetchMachineObjects } from './status-machines.js';
import { LEGACY_FIELD_MANAGER } from '../core/field-manager.js';
import { fetchAppliedRecord, latestApplyTime, type AppliedRecord } from './status-record.js';

/** Where a revision stands in one environment. */
export const StatusPhase = {
  /** The revision's objects are what the management cluster holds: health is tied to it. */
  Live: 'live',
  /** The cluster holds something else (another revision, a part of this one, or nothing yet). */
  NotApplied: 'not-applied',
  /** Not applied, and the promotion gate holds it until an upstream environment is healthy. */
  Waiting: 'waiting',
  /** The last apply of this revision failed after writing part of it. */
  ApplyFailed: 'apply-failed',
  /** The plan has a `block` finding: apply would write nothing. */
  Blocked: 'blocked',
  /** Render, plan or the cluster read failed: nothing can be said. */
  Error: 'error',
} as const;
export type StatusPhase = (typeof StatusPhase)[keyof typeof StatusPhase];

export interface EnvironmentStatus {
  readonly environment: string;
  readonly revision: string;
  readonly phase: StatusPhase;
  /** The state of `drover/<env>` for this revision. */
  readonly state: HealthState;
  /** The description of `drover/<env>`, at most 140 characters. */
  readonly description: string;
  /** Health of each cluster at this revision (live phase only). */
  readonly clusters: readonly ClusterHealth[];
  readonly health?: RevisionHealth | undefined;
  readonly record?: AppliedRecord | undefined;
  readonly plan?: Plan | undefined;
  readonly failure?: ReconcileOutcome['failure'];
  /** Set when the promotion gate decided the waiting phase (see promotion-check.ts). */
  readonly promotion?: PromotionDecision | undefined;
  /** What `--report` posts: `drover/<env>`, then `drover/<env>/<cluster>` per cluster when live. */
  readonly statuses: readonly CommitStatus[];
}

export interface EnvironmentStatusInput {
  readonly snapshot: FleetSnapshot;
  readonly config: FleetConfig;
  readonly environment: EnvironmentConfig;
  /** The clock, read once by the caller (ms since epoch). */
  readonly now: number;
}

/**
 * The status of one revision in one environment, tied to what the management cluster holds:
 * the revision is rendered and planned against live (no write); a plan with nothing to create,
 * update or delete, and no object the apiserver would refuse, means the revision is live, and each object's live `metadata.generation` is
 * then the generation it applied. Health is success only when every cluster of the environment
 * reports healthy with those generations observed; pending before that, until the
 * environment's provisioning timeout counted from the last apply that wrote (the apply record).
 * A revision that is not live is pending "not applied" (failure when its apply failed or its
 * plan is blocked; error when it cannot be rendered or planned).
 */
export async function computeEnvironmentStatus(input: EnvironmentStatusInput, deps: ReconcileEnvironmentDeps): Promise<EnvironmentStatus> {
  const env = input.environment;
  const base = { environment: env.name, revision: input.snapshot.revision, clusters: [] as ClusterHealth[] };
  const outcome = await reconcileEnvironment({ snapshot: input.snapshot, config: input.config, environment: env, mode: ReconcileMode.Plan }, deps);
  if (outcome.failure || !outcome.plan || !outcome.state) {
    const failure = outcome.failure;
    return errorStatus(base, failure ? toErrorStatus(env.name, failure).description : `${env.name}: no plan`, { failure });
  }
  const { plan, state } = outcome;
  let record: AppliedRecord | undefined;
  try {
    record = await fetchAppliedRecord(deps.client, { environment: env.name, namespace: { ...defaultApplyOptions(), ...deps.applyOptions }.inventoryNamespace });
  } catch (e) {
    return errorStatus(base, `${env.name}: cannot read the apply record: ${firstLine((e as Error).message)}`, { plan });
  }
  const sameRevision = record !== undefined && sameCommit(record.revision, input.snapshot.revision);
  // An object whose dry-run failed is in no count: the apiserver would refuse it, so it is not live either.
  const pendingChanges = plan.counts.create + plan.counts.update + plan.counts.delete + plan.counts.adopt + state.dryRunErrors.size;

  if (pendingChanges === 0) {
    const desiredLive: KubeObject[] = [];
    for (const d of state.desired) {
      const live = state.live.get(refKey(toRef(d)));
      if (live) desiredLive.push(live);
    }
    const generations: [ObjectRef, number][] = desiredLive.filter((o) => o.metadata.generation !== undefined).map((o) => [toRef(o), o.metadata.generation!]);
    const appliedAt = record?.appliedAt ?? latestApplyTime(desiredLive, [state.fieldManager, LEGACY_FIELD_MANAGER]) ?? input.now;
    const machines = await fetchMachineObjects(deps.client, state.desired, deps.log);
    const machineStates = await fetchMachineStates(outcome.providers, machines, deps.log);
    const health = computeRevisionHealth({
      env: env.name,
      appliedAt,
      now: input.now,
      generationsApplied: generations,
      clusters: groupClusterObjects([...state.live.values(), ...machines]),
      provisioningTimeoutSeconds: env.provisioningTimeoutSeconds,
      machineStates,
    });
    const apply = toApplyStatus(env.name, { result: 'applied', changes: sameRevision ? record!.changes : {}, health });
    const statuses = [apply, ...health.clusters.map((h) => toHealthStatus(env.name, h.cluster.name, h))];
    return { ...base, phase: StatusPhase.Live, state: health.state, description: apply.description, clusters: health.clusters, health, record, plan, statuses };
  }

  if (sameRevision && record!.error) {
    const apply = toApplyStatus(env.name, { result: 'failed', message: record!.error });
    return { ...base, phase: StatusPhase.ApplyFailed, state: HealthState.Failure, description: apply.description, record, plan, statuses: [apply] };
  }
  if (plan.blocked) {
    const apply = toApplyStatus(env.name, { result: 'blocked', message: `${env.name}: blocked: ${firstBlockFinding(plan)}` });
    return { ...base, phase: StatusPhase.Blocked, state: HealthState.Failure, description: apply.description, record, plan, statuses: [apply] };
  }
  const remaining = formatRemaining(plan, state.dryRunErrors.size);
  const message = sameRevision
    ? `${env.name}: applied in part, ${remaining} remaining`
    : record
      ? `${env.name}: not applied (${remaining}); live is ${shortRevision(record.revision)}`
      : `${env.name}: not applied yet (${remaining})`;
  const apply = toApplyStatus(env.name, { result: 'waiting', message });
  return { ...base, phase: StatusPhase.NotApplied, state: HealthState.Pending, description: apply.description, record, plan, statuses: [apply] };
}

function errorStatus(base: { environment: string; revision: string; clusters: ClusterHealth[] }, text: string, extra: Partial<EnvironmentStatus>): EnvironmentStatus {
  const status: CommitStatus = { state: HealthState.Error, context: StatusContext.apply(base.environment), description: truncateDescription(text) };
  return { ...base, ...extra, phase: StatusPhase.Error, state: HealthState.Error, description: status.description, statuses: [status] };
}

/** `drover/<env>` error when the revision could not be rendered or planned: `<env>: RenderFailed: <first issue>`. Pure. */
export function toErrorStatus(env: string, failure: NonNullable<ReconcileOutcome['failure']>): CommitStatus {
  return { state: HealthState.Error, context: StatusContext.apply(env), description: truncateDescription(`${env}: ${failure.reason}: ${firstLine(failure.error.message)}`) };
}

/** Two formatted revisions name the same commit (`main@sha1:X` and `X@sha1:X` do). */
export function sameCommit(a: string, b: string): boolean {
  if (a === b) return true;
  const sa = parseRevision(a)?.sha;
  return sa !== undefined && sa === parseRevision(b)?.sha;
}

/** `code: message` of the plan's first `block` finding. */
export function firstBlockFinding(plan: Plan): string {
  const f = [...plan.clusters.flatMap((c) => c.findings), ...plan.findings].find((x) => x.severity === 'block');
  return f ? `${f.code}: ${f.message}` : 'a safety finding';
}

/** `1 to create, 2 to update, 1 refused by the apiserver` (zero counts left out). */
function formatRemaining(plan: Plan, refused: number): string {
  const c = plan.counts;
  const parts = ([['create', c.create], ['update', c.update], ['delete', c.delete]] as const).filter(([, n]) => n > 0).map(([verb, n]) => `${n} to ${verb}`);
  if (refused) parts.push(`${refused} refused by the apiserver`);
  return parts.join(', ');
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
