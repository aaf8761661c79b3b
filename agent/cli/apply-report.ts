import type { KubeClient } from '../apply/kube-client.js';
import type { EnvironmentConfig, FleetConfig } from '../fleet/fleet-config.js';
import { HealthState } from '../health/health-state.js';
import { toApplyStatus, type CommitStatus } from '../report/commit-status.js';
import { checkPromotion } from '../runtime/promotion-check.js';
import type { ReconcileEnvironmentDeps, ReconcileOutcome } from '../runtime/reconcile-environment.js';
import { formatReportResult, type ForgeReporter } from '../runtime/report-forge.js';
import { computeEnvironmentStatus, firstBlockFinding, toErrorStatus } from '../runtime/status-environment.js';
import { recordApplyOutcome } from '../runtime/status-record.js';
import type { FleetSnapshot } from '../source/snapshot.js';
import type { CliIo } from './main.js';

/** What `drover apply` hands to the gate, the record and the report. */
export interface ApplyContext {
  readonly snapshot: FleetSnapshot;
  readonly config: FleetConfig;
  readonly environment: EnvironmentConfig;
  readonly deps: ReconcileEnvironmentDeps;
  /** A client with field manager RECORD_FIELD_MANAGER, for the apply record. */
  readonly recordClient: KubeClient;
  readonly inventoryNamespace: string;
  readonly reporter?: ForgeReporter | undefined;
  readonly now: () => number;
}

/** Exit code when the promotion gate holds an environment: 3 while it waits, 1 when an upstream environment failed. */
export const PROMOTION_WAIT_EXIT = 3;

/**
 * The promotion gate before `apply` of an environment with `after:`: undefined when it may
 * proceed; otherwise prints (and with --report posts as `drover/<env>`) what it waits for,
 * writes nothing, and returns the exit code.
 */
export async function holdForPromotion(io: CliIo, ctx: ApplyContext): Promise<number | undefined> {
  if (ctx.environment.after.length === 0) return undefined;
  const { decision } = await checkPromotion({ snapshot: ctx.snapshot, config: ctx.config, environment: ctx.environment, now: ctx.now() }, ctx.deps);
  if (decision.proceed) {
    ctx.deps.log.info({ env: ctx.environment.name, after: ctx.environment.after }, 'promotion gate passed');
    return undefined;
  }
  io.stdout.write(`${decision.description}\nnothing was written to ${ctx.environment.name}\n`);
  const waiting = decision.state === HealthState.Pending;
  if (ctx.reporter) {
    await report(io, ctx, [toApplyStatus(ctx.environment.name, { result: waiting ? 'waiting' : 'blocked', message: decision.description })]);
  }
  return waiting ? PROMOTION_WAIT_EXIT : 1;
}

/**
 * After `apply`: records the apply when it wrote something (status and the gate read it), then
 * with --report posts `drover/<env>` with the apply result — the change set summary and the
 * revision's health (pending until the clusters report the applied generations), or the
 * failure naming the stage (error when render or plan failed, failure when the apply did,
 * failure "blocked" for a block finding) — and `drover/<env>/<cluster>` per cluster.
 */
export async function recordAndReportApply(io: CliIo, ctx: ApplyContext, outcome: ReconcileOutcome): Promise<void> {
  try {
    await recordApplyOutcome(ctx.recordClient, outcome, { namespace: ctx.inventoryNamespace }, ctx.now());
  } catch (e) {
    // The apply itself is done; status then times the provisioning timeout from managedFields.
    ctx.deps.log.warn({ error: (e as Error).message }, 'apply record not written');
    io.stderr.write(`drover: warning: the apply record of ${outcome.environment} was not written: ${(e as Error).message}\n`);
  }
  if (!ctx.reporter) return;
  const env = outcome.environment;
  let statuses: readonly CommitStatus[];
  if (outcome.failure && !outcome.apply) {
    // render or plan failed: nothing was tried, as `status` tells it too
    statuses = [toErrorStatus(env, outcome.failure)];
  } else if (outcome.failure) {
    statuses = [toApplyStatus(env, { result: 'failed', message: `${outcome.failure.reason}: ${outcome.failure.error.message.split('\n')[0]}` })];
  } else if (outcome.blocked && outcome.plan) {
    statuses = [toApplyStatus(env, { result: 'blocked', message: `${env}: blocked: ${firstBlockFinding(outcome.plan)}` })];
  } else {
    const status = await computeEnvironmentStatus({ snapshot: ctx.snapshot, config: ctx.config, environment: ctx.environment, now: ctx.now() }, ctx.deps);
    statuses = status.statuses;
  }
  await report(io, ctx, statuses);
}

async function report(io: CliIo, ctx: ApplyContext, statuses: readonly CommitStatus[]): Promise<void> {
  const result = await ctx.reporter!.reportStatuses(ctx.snapshot.sha, statuses);
  io.stderr.write(`drover: reported ${ctx.environment.name} to ${ctx.reporter!.forge.id}@${ctx.snapshot.sha.slice(0, 12)}: ${formatReportResult(result)}\n`);
}
