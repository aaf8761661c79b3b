import { applyEnvironment, type ApplyResult } from '../apply/apply-environment.js';
import { defaultApplyOptions, type ApplyOptions } from '../apply/apply-options.js';
import { Action, ChangeSet } from '../apply/change-set.js';
import { combineErrors } from '../apply/dry-run.js';
import { fetchEnvironmentState, type EnvironmentState } from '../apply/environment-state.js';
import type { KubeClient } from '../kube/kube-client.js';
import { ApplyError, isDroverError, PlanError, Retry, type DroverError } from '../core/errors.js';
import type { EnvironmentScope } from '../core/environment-scope.js';
import type { KubeObject } from '../core/kube-object.js';
import type { Logger } from '../core/log.js';
import { attributeObjects } from '../fleet/attribute-objects.js';
import type { EnvironmentConfig, FleetConfig } from '../fleet/fleet-config.js';
import { computePlan } from '../plan/compute-plan.js';
import type { Plan } from '../plan/plan.js';
import type { FleetSnapshot } from '../source/snapshot.js';
import { withDefaultNamespace } from './default-namespace.js';
import { acquireEnvironmentLease, defaultLeaseHolder, type HeldLease } from './environment-lease.js';
import { FailureReason } from './failure-reason.js';
import type { OpenProviders } from './open-providers.js';
import { runProviderChecks } from './provider-checks.js';
import type { ProviderSet } from '../providers/provider-set.js';

export const ReconcileMode = { Plan: 'plan', Apply: 'apply' } as const;
export type ReconcileMode = (typeof ReconcileMode)[keyof typeof ReconcileMode];

export interface ReconcileEnvironmentInput {
  readonly snapshot: FleetSnapshot;
  readonly config: FleetConfig;
  readonly environment: EnvironmentConfig;
  readonly mode: ReconcileMode;
  /** The operator's override of the prune thresholds (`--force-prune`). */
  readonly forcePrune?: boolean;
  /** Tombstoned Clusters this run may delete past the prune limit (`--allow-cluster-deletions N`); the larger of it and drover.yaml's wins. */
  readonly allowClusterDeletions?: number | undefined;
}

export interface ReconcileEnvironmentDeps {
  readonly client: KubeClient;
  /** The renderer (render/createRenderer().build), passed in so a long-lived agent keeps its cache. */
  readonly render: (snapshot: FleetSnapshot, dir: string) => readonly KubeObject[];
  readonly log: Logger;
  readonly applyOptions?: Partial<ApplyOptions>;
  /**
   * Opens the environment's infrastructure providers (drover.yaml `providers`) for this
   * reconcile; undefined: no provider checks and no provider calls.
   */
  readonly providers?: OpenProviders | undefined;
  /** drover.yaml `providers.equinixMetal.capacity`: what a capacity shortfall does to the plan. */
  readonly capacityPolicy?: 'block' | 'warn' | undefined;
  /**
   * The environment's Lease, taken before any write (see environment-lease.ts): who holds it
   * (default `drover-cli@<host>/<pid>`) and for how long. `false` only where one writer is
   * guaranteed otherwise. A reconcile with nothing to write takes no Lease (and writes nothing).
   */
  readonly lease?: { readonly holder?: string | undefined; readonly durationSeconds?: number | undefined } | false | undefined;
}

/** What one reconcile of one environment did, always with whatever was done before a failure. */
export interface ReconcileOutcome {
  readonly environment: string;
  readonly revision: string;
  readonly plan?: Plan | undefined;
  /** Present when apply ran (mode apply and the plan not blocked); partial applies included. */
  readonly apply?: ApplyResult | undefined;
  /** True when a safety finding blocked the plan: nothing was written. */
  readonly blocked: boolean;
  readonly failure?: { readonly reason: FailureReason; readonly error: DroverError } | undefined;
  /** What was read from the management cluster before any write (live objects, inventory, dry-runs); set once the plan is made. */
  readonly state?: EnvironmentState | undefined;
  /** The providers opened for this reconcile (health asks them about machines; their answers are cached). */
  readonly providers?: ProviderSet | undefined;
}

/**
 * One environment at one revision: render → live state and dry-run → plan → (apply). Returns
 * an outcome at every step instead of throwing, and logs the change set once at the end, also
 * after a failure, so nothing is written without being reported.
 */
export async function reconcileEnvironment(input: ReconcileEnvironmentInput, deps: ReconcileEnvironmentDeps): Promise<ReconcileOutcome> {
  const { snapshot, environment: env } = input;
  const log = deps.log.child({ env: env.name, revision: snapshot.revision });
  const base = { environment: env.name, revision: snapshot.revision, blocked: false };
  const options: ApplyOptions = { ...defaultApplyOptions(), ...deps.applyOptions };
  options.prune = {
    ...options.prune,
    enabled: env.prune.enabled,
    maxDeletions: env.prune.maxDeletions,
    maxFraction: env.prune.maxFraction,
    allowEmpty: env.prune.allowEmpty || (input.forcePrune ?? false),
    overrideThreshold: input.forcePrune ?? false,
    allowClusterDeletions: Math.max(env.prune.allowClusterDeletions, input.allowClusterDeletions ?? 0),
  };
  options.clusterDeletion = input.config.protections.clusterDeletion;

  let rendered: readonly KubeObject[];
  try {
    rendered = deps.render(snapshot, env.path);
  } catch (e) {
    return finish(log, { ...base, failure: { reason: FailureReason.RenderFailed, error: asDroverError(e, PlanError) } });
  }

  let plan: Plan;
  let state: Awaited<ReturnType<typeof fetchEnvironmentState>>;
  let providers: ProviderSet | undefined;
  const attribute = (objects: readonly KubeObject[]) => attributeObjects(objects, { defaultNamespace: env.namespace });
  try {
    const info = await resolveNamespacing(deps.client, rendered);
    const desired = withDefaultNamespace(rendered, env.namespace, (apiVersion, kind) => info.get(`${apiVersion}|${kind}`));
    state = await fetchEnvironmentState(deps.client, { environment: env.name, desired, attribute, scope: toEnvironmentScope(input.config, env) }, options);
    // A dry-run that failed transiently (a webhook timing out under load, a 5xx) even after its
    // retries says nothing about the object: the plan is not made, and the run is retried with
    // backoff. Only what the server refused for the object's own sake blocks the plan.
    const unsettled = combineErrors('dry-run', new Map([...state.dryRunErrors].filter(([, e]) => e.retry === Retry.Transient)));
    if (unsettled) return finish(log, { ...base, failure: { reason: FailureReason.PlanFailed, error: unsettled }, state });
    const checks = await runProviderChecks(
      deps.providers,
      { environment: env.name, desired: state.desired, live: [...state.live.values()], owned: new Set(state.inventory.keys()), clusters: state.attribution.clusters, capacityPolicy: deps.capacityPolicy ?? input.config.providers?.equinixMetal?.capacity },
      log.child({ stage: 'providers' }),
    );
    providers = checks.providers;
    plan = computePlan({
      environment: env.name,
      revision: snapshot.revision,
      desired: state.desired,
      live: [...state.live.values()],
      dryRun: state.dryRun,
      dryRunErrors: state.dryRunErrors,
      owned: new Set(state.inventory.keys()),
      clusters: state.attribution,
      fieldManager: state.fieldManager,
      isolation: { foreignOwners: state.foreignOwners, outside: state.outside },
      protections: { clusterDeletion: options.clusterDeletion, prune: options.prune },
      providers: checks.report,
    });
  } catch (e) {
    return finish(log, { ...base, failure: { reason: FailureReason.PlanFailed, error: asDroverError(e, ApplyError) } });
  }

  if (input.mode === ReconcileMode.Plan) return finish(log, { ...base, plan, blocked: plan.blocked, state, providers });
  if (plan.blocked) return finish(log, { ...base, plan, blocked: true, state, providers });

  // One writer per environment: the CLI and the agent alike hold its Lease while writing.
  let lease: HeldLease | undefined;
  if (deps.lease !== false && plan.counts.create + plan.counts.update + plan.counts.delete + plan.counts.adopt + state.migrations.size > 0) {
    try {
      lease = await acquireEnvironmentLease(deps.client, env.name, { namespace: options.inventoryNamespace, holder: deps.lease?.holder ?? defaultLeaseHolder(), durationSeconds: deps.lease?.durationSeconds });
    } catch (e) {
      return finish(log, { ...base, plan, failure: { reason: FailureReason.ApplyFailed, error: asDroverError(e, ApplyError) }, state });
    }
  }
  let result: ApplyResult;
  try {
    result = await applyEnvironment(deps.client, { environment: env.name, desired: state.desired, attribute, state }, options, { log });
  } finally {
    await lease?.release();
  }
  const failure = result.error ? { reason: result.phase === 'prune' ? FailureReason.PruneFailed : FailureReason.ApplyFailed, error: result.error } : undefined;
  return finish(log, { ...base, plan, apply: result, failure, state, providers });
}

/** Where the environment may write: its namespace and drover.yaml's `allow`. */
function toEnvironmentScope(config: FleetConfig, env: EnvironmentConfig): EnvironmentScope {
  const index = config.environments.findIndex((e) => e.name === env.name);
  return { environment: env.name, namespace: env.namespace, namespaces: env.allow.namespaces, clusterScoped: env.allow.clusterScoped, allowAt: `environments[${index}].allow` };
}

async function resolveNamespacing(client: KubeClient, objects: readonly KubeObject[]): Promise<Map<string, boolean | undefined>> {
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const o of objects) if (!o.metadata.namespace) kinds.set(`${o.apiVersion}|${o.kind}`, o);
  const out = new Map<string, boolean | undefined>();
  for (const [key, { apiVersion, kind }] of kinds) out.set(key, (await client.resourceFor(apiVersion, kind))?.namespaced);
  return out;
}

function asDroverError(e: unknown, Fallback: new (message: string, options: { cause: unknown }) => DroverError): DroverError {
  if (isDroverError(e)) return e;
  return new Fallback(e instanceof Error ? e.message : String(e), { cause: e });
}

function finish(log: Logger, outcome: ReconcileOutcome): ReconcileOutcome {
  const changeSet = outcome.apply?.changeSet ?? new ChangeSet();
  // Objects left as they were are counted, not named: a 1000-cluster environment has thousands.
  const changes = { ...Object.fromEntries(Object.entries(changeSet.toMap()).filter(([, action]) => action !== Action.Unchanged)), ...(changeSet.count(Action.Unchanged) ? { unchanged: changeSet.count(Action.Unchanged) } : {}) };
  if (outcome.failure) {
    log.error({ reason: outcome.failure.reason, error: outcome.failure.error.message, changes }, 'reconcile failed');
  } else if (outcome.blocked) {
    log.warn({ findings: outcome.plan?.findings.length ?? 0 }, 'plan blocked by a safety finding, nothing written');
  } else if (outcome.apply) {
    log.info({ changes }, 'reconcile completed');
  } else {
    log.debug({ counts: outcome.plan?.counts }, 'plan computed');
  }
  return outcome;
}
