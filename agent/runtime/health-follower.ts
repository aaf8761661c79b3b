import type { KubeObject } from '../core/kube-object.js';
import { silentLogger, type Logger } from '../core/log.js';
import { refKey, type ObjectRef } from '../core/object-ref.js';
import { groupClusterObjects, type ClusterObjects } from '../health/cluster-objects.js';
import { HealthState } from '../health/health-state.js';
import { computeRevisionHealth, type RevisionHealth } from '../health/revision-health.js';
import { DEFAULT_PROVISIONING_TIMEOUT_SECONDS } from '../health/compute.js';
import type { ApplyOutcome, CommitStatus } from '../report/commit-status.js';
import { startInformer, type Informer } from './health-informer.js';
import { changedStatuses, toFollowStatuses, toSupersededStatuses, toWatchScopes } from './health-statuses.js';
import { scopeKey, type ListWatchClient, type WatchScope } from './health-watch-client.js';

/** One applied revision of one environment, whose statuses the follower keeps true. */
export interface FollowTarget {
  /** What identifies the followed environment (default `env`; the agent uses `<fleet>/<env>`). */
  readonly key?: string | undefined;
  readonly env: string;
  /** The commit the statuses go on. */
  readonly sha: string;
  /** `<ref>@sha1:<sha>`, named in the statuses of an older commit it supersedes. */
  readonly revision: string;
  /** When the apply wrote (ms since epoch): the provisioning timeout counts from here. */
  readonly appliedAt: number;
  /** Every object the environment declares at this revision: decides what is watched. */
  readonly desired: readonly KubeObject[];
  /**
   * The objects the apply wrote, with the `metadata.generation` the apiserver returned when
   * known; without one, the generation is read from the watch cache the first time the object
   * is seen there. Their clusters are the ones whose health decides the revision.
   */
  readonly touched: readonly { readonly ref: ObjectRef; readonly generation?: number | undefined }[];
  /** The apply's change counts, for the `drover/<env>` description. */
  readonly changes?: ApplyOutcome['changes'];
  /** Default 30 minutes. */
  readonly provisioningTimeoutSeconds?: number | undefined;
  readonly targetUrl?: string | undefined;
  /** Where this target's statuses go (its Fleet's forge); default HealthFollowerDeps.report. */
  readonly report?: ((sha: string, statuses: readonly CommitStatus[]) => Promise<unknown>) | undefined;
}

/** What the follower tells about a revision each time its health changes. */
export interface HealthUpdate {
  /** FollowTarget.key (or env). */
  readonly key: string;
  readonly env: string;
  readonly sha: string;
  readonly revision: string;
  readonly health: RevisionHealth;
  readonly statuses: readonly CommitStatus[];
}

export interface HealthFollowerDeps {
  readonly client: ListWatchClient;
  /**
   * Delivers statuses of one commit (ForgeReporter.reportStatuses: read-back dedupe, outbox).
   * Absent: nothing is posted, health is only computed and told to onHealth.
   */
  readonly report?: ((sha: string, statuses: readonly CommitStatus[]) => Promise<unknown>) | undefined;
  /** Told each time an environment's revision health changes state or description. */
  readonly onHealth?: ((update: HealthUpdate) => void) | undefined;
  /**
   * Told after every evaluation (changed or not), with the live objects of the clusters the
   * environment's watches see and the followed target: the fleet page keeps per-cluster details.
   */
  readonly onEvaluated?: ((update: HealthUpdate, clusters: readonly ClusterObjects[], target: FollowTarget) => void) | undefined;
  readonly log?: Logger | undefined;
  readonly now?: (() => number) | undefined;
  /** Changes arriving within this window are evaluated together. Default 200 ms. */
  readonly debounceMs?: number | undefined;
  /** Wait before trying again after report threw. Default 5 s. */
  readonly retryMs?: number | undefined;
  /** Informer backoff (see InformerOptions). */
  readonly backoffBaseMs?: number | undefined;
  readonly backoffMaxMs?: number | undefined;
}

export interface HealthFollower {
  /**
   * Follows `target` from now on: its environment's statuses are recomputed from the watch
   * caches whenever a watched object changes (and once at the provisioning deadline), and the
   * ones that changed are reported. A target for a different commit of an environment already
   * followed finishes that older commit's pending statuses first (see toSupersededStatuses).
   */
  follow(target: FollowTarget): void;
  /** Stops following an environment, by key (its statuses are left as they are). */
  unfollow(key: string): void;
  /** The last health computed for an environment, by key. */
  current(key: string): HealthUpdate | undefined;
  /** Keys followed now. */
  keys(): string[];
  /** Resolves once nothing is waiting to be evaluated or reported. */
  idle(): Promise<void>;
  /** Scopes watched now (one informer each). */
  watchedScopes(): WatchScope[];
  /** Informers whose first list has not completed yet (readiness). */
  unsyncedCount(): number;
  /** Stops every watch and timer. */
  close(): Promise<void>;
}

interface EnvState {
  key: string;
  target: FollowTarget;
  scopes: WatchScope[];
  generations: Map<string, { ref: ObjectRef; generation?: number | undefined }>;
  lastSent: Map<string, CommitStatus>;
  last?: HealthUpdate;
  dirty: boolean;
  debounce?: ReturnType<typeof setTimeout> | undefined;
  deadline?: ReturnType<typeof setTimeout> | undefined;
  running?: Promise<void> | undefined;
  closed: boolean;
}

export function createHealthFollower(deps: HealthFollowerDeps): HealthFollower {
  const log = (deps.log ?? silentLogger).child({ stage: 'health' });
  const now = deps.now ?? Date.now;
  const debounceMs = deps.debounceMs ?? 200;
  const retryMs = deps.retryMs ?? 5000;
  const envs = new Map<string, EnvState>();
  const informers = new Map<string, { informer: Informer; users: Set<string> }>();
  const finishing = new Set<Promise<void>>();

  const schedule = (st: EnvState, delay = debounceMs): void => {
    st.dirty = true;
    if (st.closed || st.debounce) return;
    st.debounce = setTimeout(() => {
      st.debounce = undefined;
      void run(st);
    }, delay);
  };

  const onChange = (scope: WatchScope): void => {
    const key = scopeKey(scope);
    const entry = informers.get(key);
    if (!entry) return;
    for (const env of entry.users) {
      const st = envs.get(env);
      if (st) schedule(st);
    }
  };

  const acquire = (env: string, scopes: readonly WatchScope[]): void => {
    for (const scope of scopes) {
      const key = scopeKey(scope);
      let entry = informers.get(key);
      if (!entry) {
        entry = { informer: startInformer(deps.client, scope, { onChange, log, backoffBaseMs: deps.backoffBaseMs, backoffMaxMs: deps.backoffMaxMs }), users: new Set() };
        informers.set(key, entry);
      }
      entry.users.add(env);
    }
  };

  const release = (env: string, scopes: readonly WatchScope[]): void => {
    for (const scope of scopes) {
      const key = scopeKey(scope);
      const entry = informers.get(key);
      if (!entry) continue;
      entry.users.delete(env);
      if (entry.users.size === 0) {
        entry.informer.stop();
        informers.delete(key);
      }
    }
  };

  const evaluate = (st: EnvState): { update: HealthUpdate; clusters: ClusterObjects[] } | undefined => {
    const objects: KubeObject[] = [];
    for (const scope of st.scopes) {
      const entry = informers.get(scopeKey(scope));
      if (!entry?.informer.synced) return undefined; // not every cache is filled yet
      for (const o of entry.informer.objects()) objects.push(o);
    }
    const live = new Map<string, KubeObject>();
    for (const o of objects) live.set(refKey({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name ?? '' }), o);
    const generations: [ObjectRef, number][] = [];
    for (const [key, g] of st.generations) {
      if (g.generation === undefined) g.generation = live.get(key)?.metadata.generation;
      if (g.generation !== undefined) generations.push([g.ref, g.generation]);
      else generations.push([g.ref, 1]); // not created yet: health says missing, generation 1 at least
    }
    const t = st.target;
    const clusters = groupClusterObjects(objects);
    const health = computeRevisionHealth({
      env: t.env,
      appliedAt: t.appliedAt,
      now: now(),
      generationsApplied: generations,
      clusters,
      provisioningTimeoutSeconds: t.provisioningTimeoutSeconds,
    });
    return { update: { key: st.key, env: t.env, sha: t.sha, revision: t.revision, health, statuses: toFollowStatuses(t.env, t.changes, health, t.targetUrl) }, clusters };
  };

  const armDeadline = (st: EnvState, update: HealthUpdate): void => {
    if (st.deadline || update.health.state !== HealthState.Pending) return;
    const at = st.target.appliedAt + (st.target.provisioningTimeoutSeconds ?? DEFAULT_PROVISIONING_TIMEOUT_SECONDS) * 1000 + 1;
    const wait = at - now();
    if (wait <= 0) return;
    // One evaluation when the provisioning timeout passes: pending turns failure without any change to watch.
    st.deadline = setTimeout(() => schedule(st, 0), wait);
  };

  const run = (st: EnvState): Promise<void> => {
    if (st.running) return st.running;
    st.running = (async () => {
      while (st.dirty && !st.closed) {
        st.dirty = false;
        const evaluated = evaluate(st);
        if (!evaluated) continue; // an informer will call again once synced
        const { update } = evaluated;
        try {
          deps.onEvaluated?.(update, evaluated.clusters, st.target);
        } catch (e) {
          log.warn({ env: update.env, error: (e as Error).message }, 'health observer failed');
        }
        armDeadline(st, update);
        const changed = changedStatuses(update.statuses, st.lastSent);
        const prev = st.last;
        st.last = update;
        if (!prev || prev.health.state !== update.health.state || prev.health.description !== update.health.description) {
          log.info({ env: update.env, revision: update.revision, state: update.health.state, description: update.health.description }, 'revision health changed');
          deps.onHealth?.(update);
        }
        const report = st.target.report ?? deps.report;
        if (changed.length === 0 || !report) {
          for (const s of changed) st.lastSent.set(s.context.toLowerCase(), s);
          continue;
        }
        try {
          await report(update.sha, changed);
          for (const s of changed) st.lastSent.set(s.context.toLowerCase(), s);
        } catch (e) {
          log.warn({ env: update.env, error: (e as Error).message }, 'health statuses not reported, retrying');
          if (!st.closed) setTimeout(() => schedule(st, 0), retryMs);
        }
      }
    })().finally(() => {
      st.running = undefined;
    });
    return st.running;
  };

  /** Stops an environment's timers and releases its watches, except those `keep` still needs. */
  const stopEnv = (st: EnvState, keep: readonly WatchScope[] = []): void => {
    st.closed = true;
    if (st.debounce) clearTimeout(st.debounce);
    if (st.deadline) clearTimeout(st.deadline);
    const kept = new Set(keep.map(scopeKey));
    release(st.key, st.scopes.filter((s) => !kept.has(scopeKey(s))));
  };

  const finishOlder = (old: EnvState, newer: FollowTarget): void => {
    const statuses = toSupersededStatuses(old.target.env, old.lastSent, newer.revision);
    const report = old.target.report ?? deps.report;
    if (statuses.length === 0 || !report) return;
    const done = (async () => {
      await old.running?.catch(() => undefined);
      try {
        await report(old.target.sha, statuses);
        log.info({ env: old.target.env, revision: old.target.revision, newer: newer.revision, contexts: statuses.length }, 'older revision finished');
      } catch (e) {
        log.warn({ env: old.target.env, revision: old.target.revision, error: (e as Error).message }, 'older revision not finished');
      }
    })();
    finishing.add(done);
    void done.finally(() => finishing.delete(done));
  };

  return {
    follow(target) {
      const key = target.key ?? target.env;
      const old = envs.get(key);
      const scopes = toWatchScopes(target.desired);
      const generations = new Map<string, { ref: ObjectRef; generation?: number | undefined }>();
      for (const t of target.touched) generations.set(refKey(t.ref), { ref: t.ref, generation: t.generation });
      const sameCommit = old?.target.sha === target.sha;
      const st: EnvState = { key, target, scopes, generations, lastSent: sameCommit ? old.lastSent : new Map(), dirty: false, closed: false };
      acquire(key, scopes); // before releasing the old scopes: shared informers keep their cache
      if (old) {
        stopEnv(old, scopes);
        if (!sameCommit) finishOlder(old, target);
      }
      envs.set(key, st);
      log.info({ key, env: target.env, revision: target.revision, watches: scopes.length, touched: target.touched.length }, 'following revision health');
      schedule(st, 0);
    },
    unfollow(key) {
      const st = envs.get(key);
      if (!st) return;
      stopEnv(st);
      envs.delete(key);
    },
    current: (key) => envs.get(key)?.last,
    keys: () => [...envs.keys()],
    async idle() {
      for (;;) {
        const busy = [...envs.values()].filter((s) => !s.closed && (s.running || s.debounce));
        if (busy.length === 0 && finishing.size === 0) return;
        await Promise.all([...busy.map((s) => s.running ?? new Promise((r) => setTimeout(r, debounceMs))), ...finishing]);
      }
    },
    watchedScopes: () => [...informers.values()].map((e) => e.informer.scope),
    unsyncedCount: () => [...informers.values()].filter((e) => !e.informer.synced).length,
    async close() {
      for (const st of envs.values()) stopEnv(st);
      envs.clear();
      for (const e of informers.values()) e.informer.stop();
      informers.clear();
      await Promise.all(finishing);
    },
  };
}
