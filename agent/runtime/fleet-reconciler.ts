import * as fs from 'node:fs';
import { join } from 'node:path';
import http from 'isomorphic-git/http/node';
import { Retry } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { EnvironmentConfig, FleetConfig } from '../fleet/fleet-config.js';
import { orderEnvironments } from '../fleet/order-environments.js';
import { HealthState } from '../health/health-state.js';
import { decidePromotion, type PromotionDecision, type UpstreamHealth } from '../health/promotion-gate.js';
import type { KubeClient } from '../kube/kube-client.js';
import { applyRevision, type ApplyRevisionResult } from '../reconcile/apply-revision.js';
import { HoldReason } from '../reconcile/failure-reason.js';
import { loadRevision } from '../reconcile/load-revision.js';
import type { ReconcileEnvironmentDeps } from '../reconcile/reconcile-environment.js';
import { createForgeReporter, type ForgeReporter } from '../reconcile/report-forge.js';
import { computeEnvironmentStatus, firstBlockFinding, type EnvironmentStatus } from '../reconcile/status-environment.js';
import { createRenderer } from '../render/index.js';
import { createForge } from '../report/create-forge.js';
import { createScopedReportBudget, type ScopedReportBudget } from '../report/http-retry.js';
import { openAgentProviders } from './agent-providers.js';
import { createFileOutbox } from '../report/outbox.js';
import { createGitSource, type GitSource } from '../source/git-source.js';
import type { GitTimeouts } from '../source/git-http-timeouts.js';
import type { FleetSnapshot } from '../source/snapshot.js';
import type { AgentPlugin, FleetRevisionContext } from './agent-plugin.js';
import { EnvironmentPhase, type AgentStateStore, type ClusterCounts, type EnvironmentState, type FleetState } from './agent-state.js';
import { checkApplyWindows } from './apply-window.js';
import { fetchForgeToken, fetchGitCredentials } from './fleet-credentials.js';
import { toForgeSettings } from './fleet-forge.js';
import type { FleetResource } from './fleet-resource.js';
import { meterFetch } from './metered-fetch.js';
import { meterGitHttp } from './metered-git-http.js';
import { countDrops, meterOutbox } from './metered-outbox.js';
import type { AgentMetrics } from './metrics.js';
import { startOutboxPump, type OutboxPump } from './outbox-pump.js';
import type { OutboxLimits } from '../report/outbox.js';
import { sourceIdentity } from '../core/source-identity.js';

export interface FleetReconcilerDeps {
  readonly client: KubeClient;
  /** Field manager RECORD_FIELD_MANAGER: the apply record. */
  readonly recordClient: KubeClient;
  readonly state: AgentStateStore;
  readonly plugins: readonly AgentPlugin[];
  readonly log: Logger;
  readonly now: () => number;
  readonly cacheDir: string;
  readonly inventoryNamespace: string;
  /** How soon an environment that converges (or waits for one that does) is looked at again, at most. */
  readonly recheckMs: number;
  /** Who this agent is (the pod name): the holder written into an environment's Lease while it applies. */
  readonly identity?: string | undefined;
  /** Git HTTP limits (connect, idle, total) of every Fleet's source; default the source's. */
  readonly gitTimeouts?: Partial<GitTimeouts> | undefined;
  /**
   * The most time one reconcile of a Fleet spends reporting to its forge (statuses, outbox
   * retries, the pull-request checks of its poll), as `drover apply --report-timeout` bounds a
   * run: what is not delivered by then waits in the outbox. Default 60 s.
   */
  readonly reportTimeoutMs?: number | undefined;
  /**
   * How long the environment Lease stands without renewal while this agent applies; the leader
   * Lease's duration, so that a standby taking over after a crash is not held off longer by it.
   */
  readonly environmentLeaseSeconds?: number | undefined;
  /** True once the agent shuts down (SIGTERM) or lost its leadership: the environment in flight finishes, no next one starts. */
  readonly stopping?: (() => boolean) | undefined;
  /**
   * Called after each environment's state is set, before the next environment starts: the agent
   * writes the Fleet status there, so a replica that takes over after a crash continues from the
   * last finished environment instead of redoing it (and re-posting its statuses).
   */
  readonly onEnvironmentDone?: ((fleet: FleetResource) => Promise<void>) | undefined;
  /** Git, forge and outbox figures go here when given. */
  readonly metrics?: AgentMetrics | undefined;
  /** How often statuses waiting in a Fleet's outbox are retried while its forge is away (default 30 s). */
  readonly outboxRetryMs?: number | undefined;
  /** Caps of the default (file) outbox. */
  readonly outboxLimits?: Partial<OutboxLimits> | undefined;
}

const DEFAULT_REPORT_TIMEOUT_MS = 60_000;

/** What a reconcile decided about the next one. */
export interface FleetReconcileResult {
  /** Run again after this long (a retry, a re-check, or the next poll); undefined: wait for a Fleet event or the schedule. */
  readonly requeueAfterMs?: number | undefined;
  /** The transient failure that asks for backoff, if any. */
  readonly transient: boolean;
}

/** Per-Fleet things that outlive one reconcile: the git cache, the renderer's cache, the forge reporter. */
interface FleetMemory {
  sourceKey: string;
  source: GitSource;
  renderer: ReturnType<typeof createRenderer>;
  reporterKey?: string | undefined;
  reporter?: ForgeReporter | undefined;
  /** Bounds the forge time of each reconcile (opened in reconcile(), closed after it). */
  reportBudget?: ScopedReportBudget | undefined;
  /** Delivers what waits in the reporter's outbox while nothing else happens (the forge came back). */
  pump?: OutboxPump | undefined;
  /** The commit last worked through and the generation and trigger it was worked through under. */
  sha?: string | undefined;
  generation?: number | undefined;
  handledReconcileAt?: string | undefined;
}

const FINAL: readonly EnvironmentPhase[] = [EnvironmentPhase.Ready, EnvironmentPhase.Stalled, EnvironmentPhase.Failed];

/**
 * Reconciles Fleets: for one Fleet, polls its source (one ref listing when nothing moved), and
 * on a new revision, a spec change, a trigger, or while something converges, walks its
 * environments in promotion order through the reconcile library. Decides *when*; the library
 * decides *what*. One instance serves every Fleet; the work queue runs one reconcile per Fleet.
 */
export class FleetReconciler {
  private readonly memory = new Map<string, FleetMemory>();

  constructor(private readonly deps: FleetReconcilerDeps) {}

  forget(key: string): void {
    this.memory.get(key)?.pump?.stop();
    this.memory.delete(key);
  }

  /** Stops every Fleet's outbox pump (the agent stops). */
  close(): void {
    for (const m of this.memory.values()) m.pump?.stop();
  }

  /**
   * The reconcile of one Fleet. Never throws for reconcile failures; they land in the state.
   * Its reporting to the forge is bounded by the report budget (reportTimeoutMs): what is not
   * delivered in time waits in the outbox, and the reconcile goes on.
   */
  async reconcile(fleet: FleetResource): Promise<FleetReconcileResult> {
    let budget: ScopedReportBudget | undefined;
    try {
      return await this.reconcileOnce(fleet, (memory) => {
        budget = memory.reportBudget;
        budget?.begin(this.deps.reportTimeoutMs ?? DEFAULT_REPORT_TIMEOUT_MS);
      });
    } finally {
      budget?.end();
    }
  }

  private async reconcileOnce(fleet: FleetResource, opened: (memory: FleetMemory) => void): Promise<FleetReconcileResult> {
    const { deps } = this;
    const log = deps.log.child({ fleet: fleet.key });
    const now = deps.now();
    const current = deps.state.get(fleet.key) ?? seedState(fleet, now);
    const base: FleetState = { ...current, generation: fleet.generation, repository: fleet.spec.url, suspended: fleet.spec.suspend, namespace: fleet.namespace, name: fleet.name };
    if (fleet.spec.suspend) {
      deps.state.set({ ...base, reconciling: false, nextPollAt: undefined });
      return { transient: false };
    }
    deps.state.set({ ...base, reconciling: true });
    let memory: FleetMemory;
    let snapshot: FleetSnapshot | undefined;
    let sourceError: Error | undefined;
    try {
      memory = await this.memoryFor(fleet, log);
      opened(memory);
      snapshot = await memory.source.fetchRevision(fleet.spec.ref);
    } catch (e) {
      sourceError = e as Error;
      memory = this.memory.get(fleet.key)!;
      snapshot = memory ? await memory.source.lastGood(fleet.spec.ref).catch(() => undefined) : undefined;
    }
    const source = sourceError
      ? { ...base.source, staleSince: base.source.staleSince ?? now, message: sourceError.message }
      : { revision: snapshot!.revision, fetchedAt: snapshot!.revision === base.source.revision ? base.source.fetchedAt : now };
    if (sourceError) log.warn({ error: sourceError.message, serving: snapshot?.revision }, 'source not read, serving the last good revision');
    if (!snapshot || !memory) {
      deps.state.set({ ...base, source, reconciling: false, failure: { reason: 'SourceFailed', message: sourceError?.message ?? 'no revision', terminal: false } });
      return { transient: true };
    }
    const triggered = fleet.reconcileAt !== undefined && fleet.reconcileAt !== memory.handledReconcileAt;
    const moved = snapshot.sha !== memory.sha || fleet.generation !== memory.generation;
    const converging = base.environments.some((e) => !FINAL.includes(e.phase));
    if (!moved && !triggered && !converging && !base.failure) {
      deps.state.set({ ...base, source, reconciling: false });
      await this.poll(fleet, memory, snapshot, undefined, log);
      return { transient: !!sourceError };
    }
    const loaded = await loadRevision(async () => snapshot, log, fleet.spec.configFile);
    memory.sha = snapshot.sha;
    memory.generation = fleet.generation;
    memory.handledReconcileAt = fleet.reconcileAt;
    if (!loaded.ok) {
      deps.state.set({ ...base, source, reconciling: false, failure: { reason: loaded.failure.reason, message: loaded.failure.error.message, terminal: loaded.failure.error.retry !== Retry.Transient } });
      return { transient: loaded.failure.error.retry === Retry.Transient };
    }
    const { config } = loaded;
    const ctx = this.revisionContext(fleet, memory, snapshot, config, log);
    deps.state.set({ ...base, source, failure: undefined, reconciling: true });
    const names = orderEnvironments(config).map((e) => e.name);
    // Environments no longer in drover.yaml leave the state (their clusters stay as they are).
    let envStates = base.environments.filter((e) => names.includes(e.name));
    for (const env of orderEnvironments(config)) {
      if (deps.stopping?.()) {
        log.info({ environment: env.name }, 'shutting down: environment left for the next leader');
        break;
      }
      const previous = envStates.find((e) => e.name === env.name);
      const next = await this.reconcileEnvironment(fleet, env, previous, envStates, ctx, triggered);
      envStates = previous ? envStates.map((e) => (e.name === env.name ? next : e)) : [...envStates, next];
      envStates = names.map((n) => envStates.find((e) => e.name === n)).filter((e): e is EnvironmentState => e !== undefined);
      deps.state.set({ ...deps.state.get(fleet.key)!, environments: envStates });
      // Recorded now when it moved and another environment follows (the last one is recorded with the Fleet).
      if (env.name !== names.at(-1) && movedOn(previous, next)) await deps.onEnvironmentDone?.(fleet);
    }
    if (!deps.stopping?.()) await this.poll(fleet, memory, snapshot, config, log);
    deps.state.set({ ...deps.state.get(fleet.key)!, reconciling: false, lastReconcileAt: deps.now() });
    const transient = !!sourceError || envStates.some((e) => e.phase === EnvironmentPhase.Retrying);
    const converging2 = envStates.some((e) => e.phase === EnvironmentPhase.Progressing || e.phase === EnvironmentPhase.Waiting);
    const held = envStates.map((e) => e.nextApplyWindow).filter((t): t is number => t !== undefined && t > deps.now());
    const wakes = [converging2 ? deps.recheckMs : undefined, ...held.map((t) => t - deps.now() + 1000)].filter((t): t is number => t !== undefined);
    return { transient, requeueAfterMs: wakes.length ? Math.min(...wakes) : undefined };
  }

  private async reconcileEnvironment(
    fleet: FleetResource,
    env: EnvironmentConfig,
    previous: EnvironmentState | undefined,
    siblings: readonly EnvironmentState[],
    ctx: FleetRevisionContext,
    triggered: boolean,
  ): Promise<EnvironmentState> {
    const { deps } = this;
    const rev = ctx.snapshot.revision;
    const now = deps.now();
    const sameAttempt = previous?.attemptedRevision === rev && previous.generation === fleet.generation && !triggered;
    if (sameAttempt && FINAL.includes(previous.phase)) return previous;
    if (sameAttempt && previous.phase === EnvironmentPhase.Progressing && previous.appliedRevision === rev) {
      return this.recheckHealth(env, previous, ctx);
    }
    const window = checkApplyWindows(fleet.spec.applyWindows.get(env.name) ?? [], now);
    const holdWrites = window.open
      ? undefined
      : { reason: HoldReason.OutsideApplyWindow, message: window.nextOpen ? `outside its apply windows; writes wait for the window opening at ${window.nextOpen.toISOString()}` : 'outside its apply windows; none opens in the next 32 days' };
    const promotionGate = async (input: { environment: EnvironmentConfig }): Promise<PromotionDecision> => {
      for (const p of deps.plugins) {
        const d = await safe(p.name, deps.log, () => p.promotionGate?.({ ...ctx, environment: input.environment }));
        if (d) return d;
      }
      return decideFromState(input.environment, rev, siblings);
    };
    let result: ApplyRevisionResult;
    const started = performance.now();
    try {
      result = await applyRevision(
        // A plug-in that answers checkHealth follows health from its watches: no re-plan after the apply.
        { snapshot: ctx.snapshot, config: ctx.config, environment: env, holdWrites, health: true, retriesTransient: true, healthFollowed: deps.plugins.some((p) => p.checkHealth !== undefined) },
        {
          ...ctx.reconcileDeps,
          recordClient: deps.recordClient,
          inventoryNamespace: deps.inventoryNamespace,
          reporter: ctx.reporter,
          now: deps.now,
          promotionGate,
          ...(deps.identity ? { lease: { holder: `drover-agent@${deps.identity}`, durationSeconds: deps.environmentLeaseSeconds } } : {}),
        },
      );
    } catch (e) {
      // an error the library did not turn into an outcome (a bug, or the apiserver gone mid-read);
      // no hook sees it (there is no result), so it is counted here
      deps.metrics?.recordReconcile({ fleet: fleet.key, environment: env.name, result: EnvironmentPhase.Retrying, reason: 'ApplyFailed', seconds: (performance.now() - started) / 1000 });
      return { ...(previous ?? { name: env.name }), name: env.name, phase: EnvironmentPhase.Retrying, reason: 'ApplyFailed', message: (e as Error).message, attemptedRevision: rev, generation: fleet.generation, updatedAt: now };
    }
    const next = toEnvironmentState(env.name, previous, result, fleet.generation, now, window.nextOpen?.getTime());
    const durationMs = performance.now() - started;
    for (const p of deps.plugins) await safe(p.name, deps.log, () => p.onEnvironmentReconciled?.({ ...ctx, environment: env, result, previous, next, durationMs }));
    return next;
  }

  private async recheckHealth(env: EnvironmentConfig, previous: EnvironmentState, ctx: FleetRevisionContext): Promise<EnvironmentState> {
    const { deps } = this;
    for (const p of deps.plugins) {
      const answer = await safe(p.name, deps.log, () => p.checkHealth?.({ ...ctx, environment: env, current: previous }));
      if (answer) return { ...previous, ...answer, updatedAt: deps.now() };
    }
    let status: EnvironmentStatus;
    try {
      status = await computeEnvironmentStatus({ snapshot: ctx.snapshot, config: ctx.config, environment: env, now: deps.now() }, ctx.reconcileDeps);
    } catch (e) {
      return { ...previous, message: `health not read: ${(e as Error).message}`, updatedAt: deps.now() };
    }
    if (ctx.reporter) {
      try {
        await ctx.reporter.reportStatuses(ctx.snapshot.sha, status.statuses);
      } catch (e) {
        ctx.log.warn({ error: (e as Error).message }, 'health statuses not reported');
      }
    }
    return { ...previous, ...fromHealth(status), updatedAt: deps.now() };
  }

  private async poll(fleet: FleetResource, memory: FleetMemory, snapshot: FleetSnapshot, config: FleetConfig | undefined, log: Logger): Promise<void> {
    const plugins = this.deps.plugins.filter((p) => p.onPoll);
    if (!plugins.length) return;
    let cfg = config;
    if (!cfg) {
      const loaded = await loadRevision(async () => snapshot, log, fleet.spec.configFile);
      if (!loaded.ok) return;
      cfg = loaded.config;
    }
    const ctx = this.revisionContext(fleet, memory, snapshot, cfg, log);
    for (const p of plugins) await safe(p.name, log, () => p.onPoll!(ctx));
  }

  private revisionContext(fleet: FleetResource, memory: FleetMemory, snapshot: FleetSnapshot, config: FleetConfig, log: Logger): FleetRevisionContext {
    const reconcileDeps: ReconcileEnvironmentDeps = {
      client: this.deps.client,
      render: (s, dir) => memory.renderer.build(s.tree, dir),
      log,
      applyOptions: { inventoryNamespace: this.deps.inventoryNamespace, inventorySource: sourceIdentity(fleet.spec.url, fleet.spec.configFile) },
      // The Fleet's providers block, when it has one, is the platform team's and wins over drover.yaml's.
      providers: openAgentProviders(fleet.spec.providers ? { ...config, providers: fleet.spec.providers } : config, { client: this.deps.client, log, secretNamespace: this.deps.inventoryNamespace }),
      capacityPolicy: (fleet.spec.providers ?? config.providers).equinixMetal?.capacity,
    };
    return { fleet, snapshot, config, reporter: memory.reporter, fetchRevision: (ref) => memory.source.fetchRevision(ref), reconcileDeps, log };
  }

  /** The Fleet's git source, renderer and forge reporter, made again when their settings change. */
  private async memoryFor(fleet: FleetResource, log: Logger): Promise<FleetMemory> {
    const { deps } = this;
    const auth = await fetchGitCredentials(deps.client, fleet);
    const sourceKey = JSON.stringify([fleet.spec.url, auth?.username ?? '', auth?.token ?? '']);
    let memory = this.memory.get(fleet.key);
    if (!memory || memory.sourceKey !== sourceKey) {
      const gitHttp = deps.metrics ? meterGitHttp(http, fleet.key, deps.metrics) : http;
      const source = createGitSource({ url: fleet.spec.url, cacheDir: deps.cacheDir, auth, fs, http: gitHttp, timeouts: deps.gitTimeouts, logger: log.child({ stage: 'source' }) });
      // After a restart, a trigger the status says was handled is not a new one.
      const handledReconcileAt = memory ? memory.handledReconcileAt : fleet.status?.lastHandledReconcileAt;
      memory = { ...memory, sourceKey, source, renderer: memory?.renderer ?? createRenderer(), handledReconcileAt, sha: memory?.sha, generation: memory?.generation };
      this.memory.set(fleet.key, memory);
    }
    const settings = toForgeSettings(fleet);
    const token = settings ? await fetchForgeToken(deps.client, fleet) : undefined;
    const reporterKey = settings && token ? JSON.stringify([settings, token]) : undefined;
    if (reporterKey !== memory.reporterKey) {
      memory.reporterKey = reporterKey;
      memory.reporter = undefined;
      memory.pump?.stop();
      memory.pump = undefined;
      if (settings && token) {
        memory.reportBudget = createScopedReportBudget(deps.now);
        const { metrics } = deps;
        const fetch = metrics ? meterFetch(globalThis.fetch, settings.kind, metrics) : globalThis.fetch;
        const forge = createForge(settings, { token, fetch, budget: memory.reportBudget, onRetry: (info) => log.warn({ forge: settings.kind, ...info }, 'forge request retried') });
        const path = join(deps.cacheDir, 'outbox', `${fleet.namespace}--${fleet.name}.json`);
        let outbox = undefined;
        for (const p of deps.plugins) outbox ??= p.createOutbox?.(fleet, path);
        // Refusals and expiries are logged where they happen; an overflow happens inside the outbox.
        const warnDrop = (d: { reason: string; context: string }) => {
          if (d.reason === 'overflow') log.warn({ forge: settings.kind, context: d.context, reason: d.reason }, 'commit status dropped, outbox full');
        };
        outbox ??= createFileOutbox(path, { limits: deps.outboxLimits, now: deps.now, onDrop: metrics ? countDrops(fleet.key, metrics, warnDrop) : warnDrop });
        if (metrics) outbox = meterOutbox(outbox, fleet.key, metrics);
        memory.reporter = withTargetUrls(createForgeReporter(forge, outbox, log, deps.now), fleet, deps.plugins);
        memory.pump = startOutboxPump({ outbox, forgeOf: (id) => (id === forge.id ? forge : undefined), intervalMs: deps.outboxRetryMs ?? 30_000, log, now: deps.now });
      }
    }
    return memory;
  }
}

/** The reporter with each status lacking a `target_url` given the first one a plug-in answers (the fleet page). */
function withTargetUrls(reporter: ForgeReporter, fleet: FleetResource, plugins: readonly AgentPlugin[]): ForgeReporter {
  const linkers = plugins.filter((p) => p.statusTargetUrl);
  if (!linkers.length) return reporter;
  const urlOf = (context: string): string | undefined => {
    for (const p of linkers) {
      const url = p.statusTargetUrl!(fleet, context);
      if (url) return url;
    }
    return undefined;
  };
  return {
    ...reporter,
    reportStatuses: (sha, statuses) => reporter.reportStatuses(sha, statuses.map((s) => (s.targetUrl ? s : { ...s, targetUrl: urlOf(s.context) }))),
  };
}

/** Whether an environment's step changed what its status says (not a mere re-check). Pure. */
function movedOn(previous: EnvironmentState | undefined, next: EnvironmentState): boolean {
  return !previous || previous.phase !== next.phase || previous.reason !== next.reason || previous.attemptedRevision !== next.attemptedRevision || previous.appliedRevision !== next.appliedRevision;
}

/** The gate from what the agent knows: each `after:` environment Ready at this very revision. */
function decideFromState(env: EnvironmentConfig, revision: string, siblings: readonly EnvironmentState[]): PromotionDecision {
  const upstream = new Map<string, UpstreamHealth>();
  for (const name of env.after) {
    const s = siblings.find((e) => e.name === name);
    if (!s?.appliedRevision) continue;
    const state = s.appliedRevision !== revision ? HealthState.Pending : s.phase === EnvironmentPhase.Ready ? HealthState.Success : s.phase === EnvironmentPhase.Failed || s.phase === EnvironmentPhase.Stalled ? HealthState.Failure : HealthState.Pending;
    upstream.set(name, { revision: s.appliedRevision, state });
  }
  return decidePromotion({ env: env.name, after: env.after, revision, upstream });
}

function countClusters(status: EnvironmentStatus): ClusterCounts {
  const count = (s: HealthState) => status.clusters.filter((c) => c.state === s).length;
  return { total: status.clusters.length, success: count(HealthState.Success), pending: count(HealthState.Pending), failure: count(HealthState.Failure), error: count(HealthState.Error) };
}

function fromHealth(status: EnvironmentStatus): Pick<EnvironmentState, 'phase' | 'reason' | 'message' | 'health' | 'clusters'> {
  const clusters = countClusters(status);
  if (status.state === HealthState.Success) return { phase: EnvironmentPhase.Ready, reason: 'Succeeded', message: status.description, health: status.state, clusters };
  if (status.state === HealthState.Pending) return { phase: EnvironmentPhase.Progressing, reason: 'Progressing', message: status.description, health: status.state, clusters };
  return { phase: EnvironmentPhase.Failed, reason: 'HealthFailed', message: status.description, health: status.state, clusters };
}

/** The environment's state after one applyRevision. Pure. */
export function toEnvironmentState(name: string, previous: EnvironmentState | undefined, result: ApplyRevisionResult, generation: number, now: number, nextWindow: number | undefined): EnvironmentState {
  const base = { ...(previous ?? {}), name, attemptedRevision: result.revision, generation, updatedAt: now, nextApplyWindow: undefined };
  if (result.promotion) {
    return { ...base, phase: EnvironmentPhase.Waiting, reason: HoldReason.WaitingForPromotion, message: result.promotion.description };
  }
  const outcome = result.outcome!;
  if (outcome.failure) {
    const transient = outcome.failure.error.retry === Retry.Transient;
    return { ...base, phase: transient ? EnvironmentPhase.Retrying : EnvironmentPhase.Stalled, reason: outcome.failure.reason, message: outcome.failure.error.message.split('\n').slice(0, 20).join('\n') };
  }
  if (outcome.blocked && outcome.plan) {
    return { ...base, phase: EnvironmentPhase.Stalled, reason: HoldReason.PlanBlocked, message: `blocked: ${firstBlockFinding(outcome.plan)}` };
  }
  if (result.held) {
    return { ...base, phase: EnvironmentPhase.Held, reason: result.held.reason, message: `${result.held.message}${outcome.plan ? ` (${formatCounts(outcome.plan.counts)})` : ''}`, nextApplyWindow: nextWindow };
  }
  const applied = { ...base, appliedRevision: result.revision, appliedAt: result.record?.appliedAt ?? previous?.appliedAt ?? now };
  if (result.reportError) return { ...applied, phase: EnvironmentPhase.Retrying, reason: 'ReportFailed', message: result.reportError.message };
  if (!result.status) return { ...applied, phase: EnvironmentPhase.Progressing, reason: 'Progressing', message: 'applied' };
  return { ...applied, ...fromHealth(result.status) };
}

function formatCounts(c: { create: number; update: number; delete: number }): string {
  const parts = ([['create', c.create], ['update', c.update], ['delete', c.delete]] as const).filter(([, n]) => n > 0).map(([v, n]) => `${n} to ${v}`);
  return parts.length ? parts.join(', ') : 'no changes';
}

/** The state of a Fleet the agent sees for the first time, read back from its status (after a restart). Pure. */
export function seedState(fleet: FleetResource, now: number): FleetState {
  const time = (iso: string | undefined) => (iso === undefined || Number.isNaN(Date.parse(iso)) ? undefined : Date.parse(iso));
  const environments: EnvironmentState[] = (fleet.status?.environments ?? []).map((e) => {
    const cond = (type: string) => e.conditions?.find((c) => c.type === type);
    const ready = cond('Ready');
    const reason = ready?.reason ?? 'Progressing';
    const phase = ready?.status === 'True'
      ? EnvironmentPhase.Ready
      : cond('Stalled')?.status === 'True'
        ? EnvironmentPhase.Stalled
        : reason === HoldReason.WaitingForPromotion
          ? EnvironmentPhase.Waiting
          : reason === HoldReason.OutsideApplyWindow
            ? EnvironmentPhase.Held
            : reason === 'HealthFailed'
              ? EnvironmentPhase.Failed
              : ready?.status === 'Unknown' && e.lastAppliedRevision
                ? EnvironmentPhase.Progressing
                : EnvironmentPhase.Retrying;
    return {
      name: e.name, phase, reason, message: ready?.message ?? '',
      attemptedRevision: e.lastAttemptedRevision, appliedRevision: e.lastAppliedRevision, appliedAt: time(e.lastAppliedTime),
      nextApplyWindow: time(e.nextApplyWindow), clusters: e.clusters, generation: e.observedGeneration ?? fleet.status?.observedGeneration ?? 0, updatedAt: now,
    };
  });
  const source = fleet.status?.source;
  return {
    key: fleet.key, namespace: fleet.namespace, name: fleet.name, generation: fleet.generation, repository: fleet.spec.url, suspended: fleet.spec.suspend,
    source: { revision: source?.revision, fetchedAt: time(source?.lastFetchTime), staleSince: time(source?.staleSince), message: source?.message },
    environments, reconciling: false, retries: 0,
  };
}

async function safe<T>(plugin: string, log: Logger, fn: () => T | Promise<T> | undefined): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    log.error({ plugin, error: (e as Error).message }, 'plug-in hook failed');
    return undefined;
  }
}
