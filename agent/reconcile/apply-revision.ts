import { Retry } from '../core/errors.js';
import type { EnvironmentConfig, FleetConfig } from '../fleet/fleet-config.js';
import { HealthState } from '../health/health-state.js';
import type { PromotionDecision } from '../health/promotion-gate.js';
import type { KubeClient } from '../kube/kube-client.js';
import { toApplyStatus, type CommitStatus } from '../report/commit-status.js';
import type { FleetSnapshot } from '../source/snapshot.js';
import type { HoldReason } from './failure-reason.js';
import { checkPromotion } from './promotion-check.js';
import { reconcileEnvironment, ReconcileMode, type ReconcileEnvironmentDeps, type ReconcileOutcome } from './reconcile-environment.js';
import type { ForgeReporter, ReportResult } from './report-forge.js';
import { computeEnvironmentStatus, firstBlockFinding, toErrorStatus, type EnvironmentStatus } from './status-environment.js';
import { recordApplyOutcome, type AppliedRecord } from './status-record.js';

export interface ApplyRevisionInput {
  /**
   * The caller retries transient failures by itself (the agent): such a failure posts no commit
   * status (the commit keeps what it had; the Fleet's condition says Retrying and why), so a
   * commit does not turn red, or flap, on its way to green.
   */
  readonly retriesTransient?: boolean | undefined;
  readonly snapshot: FleetSnapshot;
  readonly config: FleetConfig;
  readonly environment: EnvironmentConfig;
  /** The operator's override of the prune thresholds (`--force-prune`). */
  readonly forcePrune?: boolean | undefined;
  /** Tombstoned Clusters this run may delete past the prune limit (`--allow-cluster-deletions N`). */
  readonly allowClusterDeletions?: number | undefined;
  /**
   * Plan only, write nothing, and say why (an apply window that is closed): the outcome has a
   * plan and `held` set; no record, statuses say `<env>: <message>` pending.
   */
  readonly holdWrites?: { readonly reason: HoldReason; readonly message: string } | undefined;
  /** Compute the environment's health after the apply even without a reporter (the agent does). */
  readonly health?: boolean | undefined;
  /**
   * The caller follows the environment's health itself (the agent's watches): after a successful
   * apply no health is computed here (no second render, plan and read of the environment), and
   * no health statuses are posted; `status` stays undefined.
   */
  readonly healthFollowed?: boolean | undefined;
}

export interface ApplyRevisionDeps extends ReconcileEnvironmentDeps {
  /** A client with field manager RECORD_FIELD_MANAGER, for the apply record. */
  readonly recordClient: KubeClient;
  readonly inventoryNamespace: string;
  /** Posts the statuses on the revision's commit when set (`--report`, or a Fleet with a forge). */
  readonly reporter?: ForgeReporter | undefined;
  readonly now: () => number;
  /**
   * The promotion gate; default: checkPromotion (renders and plans each upstream environment).
   * The agent passes one that reads the health it already watches.
   */
  readonly promotionGate?: ((input: { snapshot: FleetSnapshot; config: FleetConfig; environment: EnvironmentConfig }) => Promise<PromotionDecision>) | undefined;
}

/** Everything one apply of one environment at one revision did, as values. */
export interface ApplyRevisionResult {
  readonly environment: string;
  readonly revision: string;
  /** Set when the gate held the environment: nothing was rendered or written. */
  readonly promotion?: PromotionDecision | undefined;
  /** Set when writes were held (apply window): the outcome is a plan. */
  readonly held?: { readonly reason: HoldReason; readonly message: string } | undefined;
  /** Render → plan → apply; undefined when the gate held the environment. */
  readonly outcome?: ReconcileOutcome | undefined;
  /** The apply record written (only when the apply wrote something or failed). */
  readonly record?: AppliedRecord | undefined;
  /** Why the record could not be written (the apply itself is done). */
  readonly recordError?: string | undefined;
  /** Health after the apply (with a reporter or `health: true`, when the apply succeeded). */
  readonly status?: EnvironmentStatus | undefined;
  /** What was (or would be) posted on the commit: `drover/<env>` then `drover/<env>/<cluster>`. */
  readonly statuses: readonly CommitStatus[];
  readonly report?: ReportResult | undefined;
  /** Why reporting failed (the forge refused in a way the outbox does not keep). */
  readonly reportError?: Error | undefined;
}

/**
 * One environment at one revision, the merge-to-deploy path shared by `drover apply` and the
 * agent: promotion gate → render → plan → apply → record → health → report. Returns values and
 * never prints; every failure is in the result (`outcome.failure` names the stage).
 */
export async function applyRevision(input: ApplyRevisionInput, deps: ApplyRevisionDeps): Promise<ApplyRevisionResult> {
  const env = input.environment;
  const base = { environment: env.name, revision: input.snapshot.revision };
  const gateInput = { snapshot: input.snapshot, config: input.config, environment: env };
  if (env.after.length > 0) {
    const decision = deps.promotionGate
      ? await deps.promotionGate(gateInput)
      : (await checkPromotion({ ...gateInput, now: deps.now() }, deps)).decision;
    if (!decision.proceed) {
      const waiting = decision.state === HealthState.Pending;
      const statuses = [toApplyStatus(env.name, { result: waiting ? 'waiting' : 'blocked', message: decision.description })];
      return { ...base, promotion: decision, statuses, ...(await report(deps, input.snapshot, statuses)) };
    }
    deps.log.info({ env: env.name, after: env.after }, 'promotion gate passed');
  }
  const mode = input.holdWrites ? ReconcileMode.Plan : ReconcileMode.Apply;
  const outcome = await reconcileEnvironment({ ...gateInput, mode, forcePrune: input.forcePrune, allowClusterDeletions: input.allowClusterDeletions }, deps);
  if (input.holdWrites) {
    const statuses = outcome.failure ? (input.retriesTransient && outcome.failure.error.retry === Retry.Transient ? [] : [toErrorStatus(env.name, outcome.failure)]) : [toApplyStatus(env.name, { result: 'waiting', message: `${env.name}: ${input.holdWrites.message}` })];
    return { ...base, held: input.holdWrites, outcome, statuses, ...(await report(deps, input.snapshot, statuses)) };
  }
  let record: AppliedRecord | undefined;
  let recordError: string | undefined;
  try {
    record = await recordApplyOutcome(deps.recordClient, outcome, { namespace: deps.inventoryNamespace }, deps.now());
  } catch (e) {
    // The apply itself is done; status then times the provisioning timeout from managedFields.
    recordError = (e as Error).message;
    deps.log.warn({ error: recordError }, 'apply record not written');
  }
  let status: EnvironmentStatus | undefined;
  let statuses: readonly CommitStatus[];
  if (outcome.failure && !outcome.apply) {
    // render or plan failed: nothing was tried, as `status` tells it too
    statuses = input.retriesTransient && outcome.failure.error.retry === Retry.Transient ? [] : [toErrorStatus(env.name, outcome.failure)];
  } else if (outcome.failure) {
    statuses = [toApplyStatus(env.name, { result: 'failed', message: `${outcome.failure.reason}: ${outcome.failure.error.message.split('\n')[0]}` })];
  } else if (outcome.blocked && outcome.plan) {
    statuses = [toApplyStatus(env.name, { result: 'blocked', message: `${env.name}: blocked: ${firstBlockFinding(outcome.plan)}` })];
  } else if (input.healthFollowed) {
    statuses = [];
  } else if (deps.reporter || input.health) {
    status = await computeEnvironmentStatus({ ...gateInput, now: deps.now() }, deps);
    statuses = status.statuses;
  } else {
    statuses = [];
  }
  return { ...base, outcome, record, recordError, status, statuses, ...(await report(deps, input.snapshot, statuses)) };
}

async function report(deps: ApplyRevisionDeps, snapshot: FleetSnapshot, statuses: readonly CommitStatus[]): Promise<{ report?: ReportResult; reportError?: Error }> {
  if (!deps.reporter || statuses.length === 0) return {};
  try {
    return { report: await deps.reporter.reportStatuses(snapshot.sha, statuses) };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    deps.log.error({ sha: snapshot.sha, error: error.message }, 'report failed');
    return { reportError: error };
  }
}
