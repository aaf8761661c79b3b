import { EnvironmentPhase } from './agent-state.js';
import type { AgentPlugin } from './agent-plugin.js';
import type { AgentMetrics } from './metrics.js';

/** Phases in which an environment was fully applied at its appliedRevision (a plan with changes there is drift). */
const APPLIED: readonly string[] = [EnvironmentPhase.Ready, EnvironmentPhase.Progressing, EnvironmentPhase.Failed];

/**
 * Feeds the agent's metrics from what the agent already has: the Kubernetes request counter,
 * the result applyRevision returns for each environment, and the state store (cluster health).
 * No reconcile stage knows about metrics.
 */
export function createMetricsPlugin(): AgentPlugin {
  const stops: Array<() => void> = [];
  let m: AgentMetrics | undefined;
  return {
    name: 'metrics',
    start(ctx) {
      const { metrics } = ctx;
      m = metrics;
      stops.push(ctx.requests.onRequest((verb) => metrics.recordKubeRequest(verb)));
      const known = new Map<string, Set<string>>();
      stops.push(
        ctx.state.subscribe(({ key, fleet }) => {
          if (!fleet) return;
          const envs = new Set<string>();
          for (const env of fleet.environments) {
            envs.add(env.name);
            const c = env.clusters;
            if (c) metrics.setClusterHealth(key, env.name, c);
          }
          // An environment gone from drover.yaml takes its series with it at the next removal of the Fleet;
          // until then its gauge says 0 clusters.
          for (const gone of known.get(key) ?? []) if (!envs.has(gone)) metrics.setClusterHealth(key, gone, { success: 0, pending: 0, failure: 0, error: 0 });
          known.set(key, envs);
        }),
      );
    },
    stop() {
      for (const s of stops.splice(0)) s();
    },
    async onEnvironmentReconciled({ fleet, environment, result, previous, next, durationMs }) {
      if (!m) return;
      m.recordReconcile({ fleet: fleet.key, environment: environment.name, result: next.phase, reason: next.reason, seconds: durationMs / 1000 });
      const apply = result.outcome?.apply;
      if (apply) m.recordApplyObjects(fleet.key, environment.name, apply.changeSet.summary());
      const plan = result.outcome?.plan;
      if (plan && previous?.appliedRevision === result.revision && APPLIED.includes(previous.phase)) {
        const drifted = plan.counts.create + plan.counts.update + plan.counts.delete;
        if (drifted > 0) m.recordDrift(fleet.key, environment.name, drifted);
      }
    },
    onFleetRemoved(key) {
      m?.forgetFleet(key);
    },
  };
}
