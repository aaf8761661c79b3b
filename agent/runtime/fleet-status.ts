import type { KubeObject } from '../core/kube-object.js';
import { EnvironmentPhase, type EnvironmentState, type FleetState } from './agent-state.js';
import { FLEET_API_VERSION, FLEET_KIND } from './fleet-resource.js';

/** The field manager of the Fleet status: the agent owns `.status` and nothing else. */
export const STATUS_FIELD_MANAGER = 'drover-agent-status';

export const ConditionType = { Ready: 'Ready', Reconciling: 'Reconciling', Stalled: 'Stalled' } as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration: number;
  readonly lastTransitionTime: string;
}

type ConditionInput = Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>;

/** Ready / Reconciling / Stalled for one environment's phase. Pure. */
export function toEnvironmentConditions(env: EnvironmentState): ConditionInput[] {
  const c = (type: ConditionType, status: Condition['status']): ConditionInput => ({ type, status, reason: env.reason, message: env.message });
  switch (env.phase) {
    case EnvironmentPhase.Ready:
      return [c('Ready', 'True'), c('Reconciling', 'False'), c('Stalled', 'False')];
    case EnvironmentPhase.Progressing:
      return [c('Ready', 'Unknown'), c('Reconciling', 'True'), c('Stalled', 'False')];
    case EnvironmentPhase.Waiting:
    case EnvironmentPhase.Held:
    case EnvironmentPhase.Retrying:
      return [c('Ready', 'False'), c('Reconciling', 'True'), c('Stalled', 'False')];
    case EnvironmentPhase.Stalled:
      return [c('Ready', 'False'), c('Reconciling', 'False'), c('Stalled', 'True')];
    case EnvironmentPhase.Failed:
      return [c('Ready', 'False'), c('Reconciling', 'False'), c('Stalled', 'False')];
  }
}

/**
 * Conditions with lastTransitionTime kept from `previous` while the status does not change (as
 * meta.SetStatusCondition does), `now` when it does. Messages are cut to 32 kB. Pure.
 */
export function mergeConditions(previous: readonly Partial<Condition>[] | undefined, next: readonly ConditionInput[], generation: number, now: number): Condition[] {
  return next.map((c) => {
    const old = previous?.find((p) => p.type === c.type);
    const lastTransitionTime = old?.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { ...c, message: c.message.slice(0, 32_768), observedGeneration: generation, lastTransitionTime };
  });
}

interface PreviousStatus {
  conditions?: Partial<Condition>[];
  environments?: Array<{ name: string; conditions?: Partial<Condition>[] }>;
}

/**
 * The Fleet's `.status` for the state the agent holds, as a server-side apply body for the
 * status subresource. Fleet-level conditions sum the environments up: Ready when all are,
 * Stalled when any is (or the Fleet itself is invalid), Reconciling while any works. Pure.
 */
export function toFleetStatusObject(state: FleetState, previous: PreviousStatus | undefined, now: number, reconcileAt: string | undefined): KubeObject {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  const environments = state.environments.map((env) => {
    const prev = previous?.environments?.find((e) => e.name === env.name);
    return dropUndefined({
      name: env.name,
      lastAppliedRevision: env.appliedRevision,
      lastAttemptedRevision: env.attemptedRevision,
      lastAppliedTime: iso(env.appliedAt),
      nextApplyWindow: env.phase === EnvironmentPhase.Held ? iso(env.nextApplyWindow) : undefined,
      observedGeneration: env.generation,
      clusters: env.clusters ? { ...env.clusters } : undefined,
      conditions: mergeConditions(prev?.conditions, toEnvironmentConditions(env), env.generation, now),
    });
  });
  const ready = state.environments.filter((e) => e.phase === EnvironmentPhase.Ready).length;
  const total = state.environments.length;
  const stalled = state.failure?.terminal || state.environments.some((e) => e.phase === EnvironmentPhase.Stalled);
  const working = state.reconciling || state.environments.some((e) => [EnvironmentPhase.Progressing, EnvironmentPhase.Waiting, EnvironmentPhase.Held, EnvironmentPhase.Retrying].includes(e.phase as never));
  const firstBad = state.environments.find((e) => e.phase !== EnvironmentPhase.Ready);
  const summary: ConditionInput = state.suspended
    ? { type: 'Ready', status: 'False', reason: 'Suspended', message: 'spec.suspend is true: nothing is polled, applied or reported' }
    : state.failure
      ? { type: 'Ready', status: 'False', reason: state.failure.reason, message: state.failure.message }
      : total > 0 && ready === total
        ? { type: 'Ready', status: 'True', reason: 'Succeeded', message: `${ready}/${total} environments ready at ${state.source.revision ?? 'the latest revision'}` }
        : { type: 'Ready', status: total === 0 ? 'Unknown' : 'False', reason: firstBad?.reason ?? 'Progressing', message: firstBad ? `${firstBad.name}: ${firstBad.message}` : 'not reconciled yet' };
  const fleetConditions: ConditionInput[] = [
    summary,
    { type: 'Reconciling', status: working && !state.suspended ? 'True' : 'False', reason: working ? 'Progressing' : summary.reason, message: working ? 'environments are converging' : summary.message },
    { type: 'Stalled', status: stalled ? 'True' : 'False', reason: stalled ? (state.failure?.reason ?? firstBad?.reason ?? 'Stalled') : 'Succeeded', message: stalled ? (state.failure?.message ?? `${firstBad?.name}: ${firstBad?.message}`) : '' },
  ];
  if (state.source.staleSince !== undefined) {
    fleetConditions.push({ type: 'SourceStale', status: 'True', reason: 'SourceFailed', message: `the source cannot be read since ${iso(state.source.staleSince)}; serving ${state.source.revision ?? 'nothing yet'}: ${state.source.message ?? ''}` });
  } else {
    fleetConditions.push({ type: 'SourceStale', status: 'False', reason: 'Succeeded', message: '' });
  }
  const status = dropUndefined({
    observedGeneration: state.generation,
    lastHandledReconcileAt: reconcileAt,
    lastAppliedRevision: state.environments[0]?.appliedRevision,
    readyEnvironments: `${ready}/${total}`,
    source: dropUndefined({ revision: state.source.revision, lastFetchTime: iso(state.source.fetchedAt), staleSince: iso(state.source.staleSince), message: state.source.message?.slice(0, 1024) }),
    conditions: mergeConditions(previous?.conditions, fleetConditions, state.generation, now),
    environments,
  });
  return { apiVersion: FLEET_API_VERSION, kind: FLEET_KIND, metadata: { name: state.name, namespace: state.namespace }, status };
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
