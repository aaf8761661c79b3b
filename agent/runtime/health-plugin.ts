import { toRef } from '../core/kube-object.js';
import type { ObjectRef } from '../core/object-ref.js';
import { Action } from '../apply/change-set.js';
import { HealthState } from '../health/health-state.js';
import { shortRevision } from '../health/promotion-gate.js';
import type { AgentPlugin } from './agent-plugin.js';
import { EnvironmentPhase } from './agent-state.js';
import type { ClusterObjects } from '../health/cluster-objects.js';
import { createHealthFollower, type FollowTarget, type HealthFollower, type HealthUpdate } from './health-follower.js';
import { createListWatchClient } from './health-watch-client.js';

/**
 * Health follows the rollout (issue 14 §4) as an agent plug-in: after an environment is applied,
 * its CAPI objects are watched (one informer per kind and namespace) and its statuses kept true
 * on the applied commit; a newer revision finishes the older commit; `checkHealth` and the
 * promotion gate answer from the watch caches instead of re-planning.
 */
export interface HealthPluginOptions {
  readonly debounceMs?: number | undefined;
  /** Hears every evaluation of an environment's health with its clusters' live objects (the fleet page). `fleet` is `<namespace>/<name>`. */
  readonly onEvaluated?: ((fleet: string, update: HealthUpdate, clusters: readonly ClusterObjects[], target: FollowTarget) => void) | undefined;
}

export function createHealthPlugin(options: HealthPluginOptions = {}): AgentPlugin {
  let follower: HealthFollower | undefined;
  let trigger: ((key: string) => void) | undefined;
  const keyOf = (fleet: string, env: string) => `${fleet}/${env}`;
  const fleetOf = (key: string) => key.slice(0, key.lastIndexOf('/'));
  const onHealth = (u: HealthUpdate): void => {
    // A settled environment can release the ones after it, and its state needs writing.
    if (u.health.state !== HealthState.Pending) trigger?.(fleetOf(u.key));
  };
  return {
    name: 'health-follower',
    start(ctx) {
      trigger = ctx.trigger;
      const onEvaluated = options.onEvaluated;
      follower = createHealthFollower({
        client: createListWatchClient(ctx.client), log: ctx.log, now: ctx.now, onHealth, debounceMs: options.debounceMs,
        onEvaluated: onEvaluated ? (u, clusters, target) => onEvaluated(fleetOf(u.key), u, clusters, target) : undefined,
      });
      ctx.readiness.addCheck('health informers', () => {
        const n = follower?.unsyncedCount() ?? 0;
        return n === 0 || `${n} not synced`;
      });
    },
    async stop() {
      await follower?.close();
    },
    async onEnvironmentReconciled(input) {
      const outcome = input.result.outcome;
      if (!follower || !outcome?.apply || outcome.failure || !outcome.state || input.result.held) return;
      const written = new Set<string>([Action.Created, Action.Configured]);
      const touched: { ref: ObjectRef }[] = outcome.apply.changeSet.entries.filter((e) => written.has(e.action)).map((e) => ({ ref: e.ref }));
      const key = keyOf(input.fleet.key, input.environment.name);
      const current = follower.current(key);
      // A no-op apply of the revision already followed keeps following it as it is.
      if (touched.length === 0 && current?.sha === input.snapshot.sha) return;
      follower.follow({
        key,
        env: input.environment.name,
        sha: input.snapshot.sha,
        revision: input.snapshot.revision,
        appliedAt: input.result.record?.appliedAt ?? Date.now(),
        desired: outcome.state.desired,
        touched: touched.length ? touched : outcome.state.desired.map((o) => ({ ref: toRef(o) })),
        changes: outcome.apply.changeSet.summary(),
        provisioningTimeoutSeconds: input.environment.provisioningTimeoutSeconds,
        report: input.reporter ? (sha, statuses) => input.reporter!.reportStatuses(sha, statuses) : undefined,
      });
    },
    async checkHealth(input) {
      const u = follower?.current(keyOf(input.fleet.key, input.environment.name));
      if (!u || u.sha !== input.snapshot.sha) return undefined;
      const c = u.health.clusters;
      const count = (s: string) => c.filter((x) => x.state === s).length;
      const phase = u.health.state === HealthState.Success ? EnvironmentPhase.Ready : u.health.state === HealthState.Pending ? EnvironmentPhase.Progressing : EnvironmentPhase.Failed;
      return {
        phase,
        reason: phase === EnvironmentPhase.Ready ? 'Succeeded' : phase === EnvironmentPhase.Progressing ? 'Progressing' : 'HealthFailed',
        message: u.health.description,
        health: u.health.state,
        clusters: { total: c.length, success: count('success'), pending: count('pending'), failure: count('failure'), error: count('error') },
      };
    },
    async promotionGate(input) {
      for (const upstream of input.environment.after) {
        const u = follower?.current(keyOf(input.fleet.key, upstream));
        if (!u || u.sha !== input.snapshot.sha) return undefined; // not followed here: the default decides
        if (u.health.state !== HealthState.Success) {
          const why = `${u.health.state} at ${shortRevision(input.snapshot.revision)}`;
          return { proceed: false, state: u.health.state === HealthState.Pending ? HealthState.Pending : HealthState.Failure, description: `waiting for ${upstream} (${why})`, waitingFor: [{ env: upstream, why }] };
        }
      }
      return undefined;
    },
    onFleetRemoved(key) {
      for (const k of follower?.keys() ?? []) if (fleetOf(k) === key) follower!.unfollow(k);
    },
  };
}
