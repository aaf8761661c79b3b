import { schedule as cronSchedule, type ScheduledTask } from 'node-cron';
import { ConfigError, isDroverError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import type { Logger } from '../core/log.js';
import { pruneOnDelete } from '../reconcile/prune-on-delete.js';
import type { RequestCounter} from '../kube/kube-client.js';
import { type KubeClient } from '../kube/kube-client.js';
import type { AgentContext, AgentPlugin } from './agent-plugin.js';
import { AgentStateStore, type FleetState } from './agent-state.js';
import { FleetEventRecorder } from './event-recorder.js';
import { toFleetEvents } from './fleet-events.js';
import { computeBackoffMs, defaultBackoffOptions, type BackoffOptions } from './backoff.js';
import { FleetReconciler, seedState } from './fleet-reconciler.js';
import { FLEET_API_VERSION, FLEET_KIND, parseFleetResource, PRUNE_FINALIZER, type FleetResource } from './fleet-resource.js';
import { STATUS_FIELD_MANAGER, toFleetStatusObject } from './fleet-status.js';
import { watchFleets } from './fleet-watch.js';
import type { GitTimeouts } from '../source/git-http-timeouts.js';
import { HttpServer } from './http-server.js';
import { AgentMetrics } from './metrics.js';
import type { LeaderGate } from './leader-elector.js';
import { LeaderRole, Readiness } from './readiness.js';
import { createWatchCachedClient } from './watch-cached-client.js';
import { WorkQueue } from './work-queue.js';
import type { OutboxLimits } from '../report/outbox.js';

export interface AgentOptions {
  /** Field manager `drover`: applies, reads, watches, status (under STATUS_FIELD_MANAGER), Events. */
  readonly client: KubeClient;
  /** Field manager RECORD_FIELD_MANAGER: the apply record. */
  readonly recordClient: KubeClient;
  /** The counter both clients count into. */
  readonly requests: RequestCounter;
  readonly log: Logger;
  readonly namespace?: string | undefined;
  readonly selector?: string | undefined;
  readonly concurrency: number;
  readonly listenHost: string;
  readonly listenPort: number;
  readonly cacheDir: string;
  readonly inventoryNamespace: string;
  readonly recheckMs: number;
  readonly identity: string;
  /** Git HTTP limits (connect, idle, total); default the source's (defaultGitTimeouts). */
  readonly gitTimeouts?: Partial<GitTimeouts> | undefined;
  /** The most time one reconcile of a Fleet spends reporting to its forge (default 60 s). */
  readonly reportTimeoutMs?: number | undefined;
  readonly plugins?: readonly AgentPlugin[] | undefined;
  readonly backoff?: BackoffOptions | undefined;
  readonly now?: (() => number) | undefined;
  /** How often a Fleet's outbox is retried while its forge is away (default 30 s), and the outbox caps. */
  readonly outboxRetryMs?: number | undefined;
  readonly outboxLimits?: Partial<OutboxLimits> | undefined;
  /** The metrics registry (`GET /metrics`); one is made when not given. */
  readonly metrics?: AgentMetrics | undefined;
  /**
   * What `/readyz` answers from; one is made when not given. A leader elector that holds it
   * before the agent starts sets its role to `unknown` first (the leader gauge then stays its own).
   */
  readonly readiness?: Readiness | undefined;
  /**
   * Leader election: while this replica is not the leader it watches Fleets and serves HTTP but
   * runs no reconcile (writes nothing); on shutdown it gives the Lease back once the step in
   * flight is done. Undefined: this replica always leads.
   */
  readonly leader?: LeaderGate | undefined;
  /** The environment Lease's duration while this agent applies (default 60 s); the leader Lease's duration when electing. */
  readonly environmentLeaseSeconds?: number | undefined;
}

export interface RunningAgent {
  /** Base URL of the HTTP server. */
  readonly url: string;
  readonly state: AgentStateStore;
  readonly requests: RequestCounter;
  readonly metrics: AgentMetrics;
  readonly readiness: Readiness;
  trigger(key: string): void;
  stop(): Promise<void>;
}

/**
 * The agent process: watches Fleets, polls each one's source on its interval or cron schedule,
 * reconciles one Fleet at a time each and up to `concurrency` Fleets together, backs off on
 * transient failures, writes each Fleet's status (status subresource, its own field manager)
 * when it changed, and posts an Event when an environment changed phase or failed.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const now = options.now ?? Date.now;
  const log = options.log.child({ component: 'agent' });
  const plugins = options.plugins ?? [];
  const state = new AgentStateStore();
  const http = new HttpServer({ host: options.listenHost, port: options.listenPort, log });
  const objects = new Map<string, KubeObject>();
  const seen = new Map<string, { generation: number; reconcileAt: string | undefined; deleting: boolean }>();
  const written = new Map<string, string>();
  const crons = new Map<string, { expression: string; task: ScheduledTask }>();
  const backoff = options.backoff ?? defaultBackoffOptions();
  let synced = false;
  const metrics = options.metrics ?? new AgentMetrics();
  const readiness = options.readiness ?? new Readiness();
  readiness.addCheck('fleet watch', () => synced || 'not listed yet');
  if (options.leader && !options.leader.isKnown()) readiness.setLeaderRole('unknown');
  let shuttingDown = false;
  const leader = options.leader;
  const leading = () => leader?.isLeader() ?? true;
  // The step in flight finishes; no next environment starts once shutting down or deposed.
  const stopping = () => shuttingDown || !leading();
  // Without leader election this replica does the work: it leads (an elector sets the gauge itself).
  if (readiness.leaderRole === LeaderRole.None) metrics.setLeader(true);

  // Reconciles read live state from watches (one LIST per kind and namespace, then WATCH), not by re-listing.
  const liveClient = createWatchCachedClient(options.client, { log });
  const reconciler = new FleetReconciler({
    client: liveClient, recordClient: options.recordClient, state, plugins, log, now,
    cacheDir: options.cacheDir, inventoryNamespace: options.inventoryNamespace, recheckMs: options.recheckMs, identity: options.identity,
    gitTimeouts: options.gitTimeouts, reportTimeoutMs: options.reportTimeoutMs,
    environmentLeaseSeconds: options.environmentLeaseSeconds, stopping,
    metrics, outboxRetryMs: options.outboxRetryMs, outboxLimits: options.outboxLimits,
    // Each finished environment is recorded at once (a successor continues from it).
    onEnvironmentDone: async (fleet) => {
      const current = state.get(fleet.key);
      if (current && objects.has(fleet.key)) await writeStatus(fleet, current);
    },
  });

  const schedulePoll = (fleet: FleetResource) => {
    const cron = crons.get(fleet.key);
    if (fleet.spec.schedule && !fleet.spec.suspend) {
      if (cron?.expression === fleet.spec.schedule) return;
      void cron?.task.destroy();
      const task = cronSchedule(fleet.spec.schedule, () => queue.add(fleet.key), { name: `poll ${fleet.key}`, noOverlap: true });
      crons.set(fleet.key, { expression: fleet.spec.schedule, task });
    } else if (cron) {
      void cron.task.destroy();
      crons.delete(fleet.key);
    }
  };

  const writeStatus = async (fleet: FleetResource, fleetState: FleetState) => {
    const body = toFleetStatusObject(fleetState, fleet.status as never, now(), fleet.reconcileAt);
    const text = canonical(stripTimes(body.status));
    if (written.get(fleet.key) === text) return;
    try {
      await options.client.applyStatus(body, STATUS_FIELD_MANAGER);
      written.set(fleet.key, text);
    } catch (e) {
      log.warn({ fleet: fleet.key, error: (e as Error).message }, 'fleet status not written');
    }
  };

  const events = new FleetEventRecorder({ client: options.client, log, controller: 'drover.dev/agent', instance: options.identity, now });
  const emitEvents = async (fleet: { namespace: string; name: string; uid?: string | undefined }, before: FleetState | undefined, after: FleetState) => {
    for (const e of toFleetEvents(before, after)) await events.record(fleet, e);
  };

  const run = async (key: string) => {
    const obj = objects.get(key);
    if (!obj) return;
    let fleet: FleetResource;
    try {
      fleet = parseFleetResource(obj);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const namespace = obj.metadata.namespace ?? '';
      const name = obj.metadata.name ?? '';
      const invalid: FleetState = {
        ...(state.get(key) ?? { key, namespace, name, environments: [], source: {}, reconciling: false, retries: 0, suspended: false, repository: '' }),
        generation: obj.metadata.generation ?? 0,
        failure: { reason: 'InvalidSpec', message: e.message, terminal: true },
      };
      const was = state.get(key);
      state.set(invalid);
      await emitEvents({ namespace, name, uid: obj.metadata.uid }, was, invalid);
      await writeStatus({ key, namespace, name, uid: obj.metadata.uid ?? '', generation: invalid.generation, deleting: false, finalizers: [], status: obj.status as never, reconcileAt: undefined, spec: undefined as never }, invalid);
      return;
    }
    if (fleet.deleting) {
      if (fleet.finalizers.includes(PRUNE_FINALIZER)) await finishDeletion(fleet, obj);
      return;
    }
    await syncFinalizer(fleet, obj);
    schedulePoll(fleet);
    // First sight after a restart: what the status said is the "before" (no Event for old news).
    const before = state.get(key) ?? seedState(fleet, now());
    const result = await reconciler.reconcile(fleet);
    const after = state.get(key)!;
    const retries = result.transient ? after.retries + 1 : 0;
    let delay = fleet.spec.suspend ? undefined : fleet.spec.schedule ? result.requeueAfterMs : Math.min(result.requeueAfterMs ?? Infinity, fleet.spec.intervalMs);
    if (result.transient) delay = Math.min(delay ?? Infinity, computeBackoffMs(retries, backoff, Math.random()));
    state.set({ ...after, retries, nextPollAt: delay === undefined ? undefined : now() + delay });
    if (!objects.has(key)) return; // deleted while it ran: write nothing more
    await writeStatus(fleet, state.get(key)!);
    await emitEvents(fleet, before, state.get(key)!);
    if (delay !== undefined) queue.addAfter(key, delay, now());
  };

  const patchFinalizers = (fleet: FleetResource, obj: KubeObject, finalizers: string[]) =>
    options.client.mergePatch({ apiVersion: FLEET_API_VERSION, kind: FLEET_KIND, namespace: fleet.namespace, name: fleet.name }, { metadata: { finalizers, resourceVersion: obj.metadata.resourceVersion } });

  /** The finalizer is held exactly while `spec.prune.onDelete` is Delete. */
  const syncFinalizer = async (fleet: FleetResource, obj: KubeObject) => {
    const want = fleet.spec.prune.onDelete === 'Delete';
    const has = fleet.finalizers.includes(PRUNE_FINALIZER);
    if (want === has) return;
    try {
      await patchFinalizers(fleet, obj, want ? [...fleet.finalizers, PRUNE_FINALIZER] : fleet.finalizers.filter((f) => f !== PRUNE_FINALIZER));
    } catch (e) {
      log.warn({ fleet: fleet.key, error: (e as Error).message }, 'fleet finalizer not updated');
    }
  };

  /**
   * A Fleet deleted with `spec.prune.onDelete: Delete`: prune what its environments own (the
   * reconcile library's pruneOnDelete), then let it go by removing the finalizer. Until then
   * it stays, its status saying what holds it, and is tried again.
   */
  const finishDeletion = async (fleet: FleetResource, obj: KubeObject) => {
    const key = fleet.key;
    const environments = [...new Set([...(state.get(key)?.environments.map((e) => e.name) ?? []), ...(fleet.status?.environments?.map((e) => e.name) ?? [])])];
    const outcome = await pruneOnDelete(options.client, { environments, inventoryNamespace: options.inventoryNamespace, allowClusterDeletion: fleet.spec.prune.allowClusterDeletion }, log.child({ fleet: key }));
    if (outcome.done) {
      try {
        await patchFinalizers(fleet, obj, fleet.finalizers.filter((f) => f !== PRUNE_FINALIZER));
        log.info({ fleet: key, environments }, 'fleet deleted after pruning what it applied');
      } catch (e) {
        log.warn({ fleet: key, error: (e as Error).message }, 'fleet finalizer not removed');
        queue.addAfter(key, computeBackoffMs(1, backoff, Math.random()), now());
      }
      return;
    }
    const current = state.get(key) ?? { key, namespace: fleet.namespace, name: fleet.name, environments: [], source: {}, reconciling: false, retries: 0, suspended: false, repository: fleet.spec.url };
    const retries = current.retries + 1;
    state.set({ ...current, generation: fleet.generation, retries, reconciling: false, failure: { reason: 'PruneFailed', message: `deletion waits: ${outcome.message}`, terminal: false } });
    await writeStatus(fleet, state.get(key)!);
    queue.addAfter(key, Math.max(options.recheckMs, computeBackoffMs(retries, backoff, Math.random())), now());
  };

  const queue = new WorkQueue({
    concurrency: options.concurrency,
    paused: !leading(),
    run,
    onError: (key, e) => {
      log.error({ fleet: key, error: isDroverError(e) ? e.message : (e as Error)?.stack ?? String(e) }, 'reconcile crashed');
      queue.addAfter(key, computeBackoffMs((state.get(key)?.retries ?? 0) + 1, backoff, Math.random()), now());
    },
  });

  const remove = async (key: string) => {
    const obj = objects.get(key);
    if (obj) events.forget({ namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '', uid: obj.metadata.uid });
    objects.delete(key);
    seen.delete(key);
    written.delete(key);
    queue.forget(key);
    void crons.get(key)?.task.destroy();
    crons.delete(key);
    reconciler.forget(key);
    state.delete(key);
    for (const p of plugins) {
      try {
        await p.onFleetRemoved?.(key);
      } catch (e) {
        log.error({ plugin: p.name, error: (e as Error).message }, 'plug-in hook failed');
      }
    }
    log.info({ fleet: key }, 'fleet removed; what it applied stays');
  };

  http.route('GET', '/healthz', () => ({ body: 'ok\n' }));
  http.route('GET', '/readyz', () => {
    const r = readiness.evaluate();
    return r.ready ? { body: 'ok\n' } : { status: 503, body: `not ready: ${r.waiting.join('; ')}\n` };
  });
  http.route('GET', '/metrics', async () => {
    const m = await metrics.expose();
    return { headers: { 'Content-Type': m.contentType }, body: m.body };
  });
  http.route('GET', '/api/fleets', () => ({ body: state.list() }));
  http.route('GET', '/api/leader', () => ({ body: { identity: options.identity, leading: leading(), holder: leader ? leader.holder() : options.identity, requests: options.requests.snapshot() } }));
  const ctx: AgentContext = { log, client: options.client, requests: options.requests, state, http, metrics, readiness, trigger: (key) => queue.add(key), now, isLeader: leading };
  // The standby's queue fills from the watch; it runs once this replica leads.
  const unsubscribe = leader?.onChange((isLeader) => {
    metrics.setLeader(isLeader);
    readiness.setLeaderRole(isLeader ? 'leader' : 'standby');
    if (isLeader) queue.resume();
    else queue.pause();
  });
  if (leader?.isKnown()) readiness.setLeaderRole(leading() ? 'leader' : 'standby');
  metrics.setLeader(leading());
  if (leading()) queue.resume();
  for (const p of plugins) await p.start?.(ctx);
  const address = await http.start();

  const watch = watchFleets(options.client, {
    namespace: options.namespace,
    labelSelector: options.selector,
    log,
    onSynced: () => (synced = true),
    onEvent: (e) => {
      if (e.type === 'delete') {
        if (objects.has(e.key)) void remove(e.key);
        return;
      }
      const obj = e.object;
      const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
      objects.set(key, obj);
      // What the status already says needs no write (a restarted agent, or a standby that takes over, writes nothing new).
      if ((!written.has(key) || !leading()) && obj.status) written.set(key, canonical(stripTimes(obj.status)));
      const reconcileAt = obj.metadata.annotations?.['drover.dev/reconcile-at'];
      const next = { generation: obj.metadata.generation ?? 0, reconcileAt, deleting: obj.metadata.deletionTimestamp !== undefined };
      const prev = seen.get(key);
      seen.set(key, next);
      // Our own status writes come back as MODIFIED with the same generation: no reconcile for those.
      if (prev && prev.generation === next.generation && prev.reconcileAt === next.reconcileAt && prev.deleting === next.deleting) return;
      if (next.deleting) {
        // With onDelete: Delete the finalizer holds the Fleet until what it applied is pruned.
        if (obj.metadata.finalizers?.includes(PRUNE_FINALIZER)) queue.add(key);
        else void remove(key);
        return;
      }
      queue.add(key);
    },
  });
  log.info({ url: address.url, namespace: options.namespace ?? 'all', concurrency: options.concurrency }, 'agent started');

  return {
    url: address.url,
    state,
    requests: options.requests,
    metrics,
    readiness,
    trigger: (key) => queue.add(key),
    async stop() {
      shuttingDown = true;
      await watch.stop();
      for (const c of crons.values()) void c.task.destroy();
      crons.clear();
      await queue.stop();
      // The step in flight is done and written: give the Lease back now, so a standby takes over at once.
      unsubscribe?.();
      await leader?.release();
      reconciler.close();
      for (const p of plugins) await p.stop?.();
      liveClient.close();
      await http.stop();
      log.info({}, 'agent stopped');
    },
  };
}

/** JSON with object keys sorted, so equal statuses compare equal whatever order the server kept. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

/** The status without its timestamps, to tell a real change from a re-write of the same. */
function stripTimes(status: unknown): unknown {
  return JSON.parse(JSON.stringify(status, (k, v) => (k === 'lastTransitionTime' ? undefined : v)));
}
