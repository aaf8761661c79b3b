import { redactUrlCredentials } from '../core/redact-url.js';
import { EnvironmentPhase, type EnvironmentState, type FleetState } from './agent-state.js';

/** One Event to post on a Fleet: what changed or failed, with the revision and the stage. */
export interface FleetEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  /** What the agent did: `Apply`, `Reconcile`, `FetchSource`. */
  readonly action: string;
  readonly note: string;
}

/** The stage a condition reason comes from, for the Event's message. */
const STAGE: Readonly<Record<string, string>> = {
  SourceFailed: 'source',
  FleetInvalid: 'fleet config',
  InvalidSpec: 'fleet spec',
  RenderFailed: 'render',
  PlanFailed: 'plan',
  PlanBlocked: 'plan',
  ApplyFailed: 'apply',
  PruneFailed: 'prune',
  HealthFailed: 'health',
  ReportFailed: 'report',
  WaitingForPromotion: 'promotion gate',
  OutsideApplyWindow: 'apply window',
  Progressing: 'health',
  Succeeded: 'health',
};

const WARNING: readonly EnvironmentPhase[] = [EnvironmentPhase.Stalled, EnvironmentPhase.Failed, EnvironmentPhase.Retrying];

/**
 * The Events a change of a Fleet's state deserves: a new revision applied, an environment that
 * turned ready, failed, blocked, held or waiting, a Fleet-level failure (source, drover.yaml).
 * Nothing when nothing changed (a stuck Fleet at its next interval is no news; `before` of a
 * Fleet first seen after a restart is what its status said). Pure.
 */
export function toFleetEvents(before: FleetState | undefined, after: FleetState): FleetEvent[] {
  const events: FleetEvent[] = [];
  if (after.failure && (after.failure.reason !== before?.failure?.reason || after.failure.message !== before.failure.message)) {
    const at = after.source.revision ? ` at ${after.source.revision}` : '';
    events.push(event('Warning', after.failure.reason, after.failure.reason === 'SourceFailed' ? 'FetchSource' : 'Reconcile', `fleet${at}: ${stageOf(after.failure.reason)} failed: ${after.failure.message}`));
  }
  for (const env of after.environments) {
    const old = before?.environments.find((e) => e.name === env.name);
    const e = toEnvironmentEvent(old, env);
    if (e) events.push(e);
  }
  return events;
}

/** The Event for one environment's change, if it changed. Pure. */
export function toEnvironmentEvent(old: EnvironmentState | undefined, env: EnvironmentState): FleetEvent | undefined {
  const revision = env.attemptedRevision ?? env.appliedRevision ?? 'no revision';
  const stage = stageOf(env.reason);
  if (env.appliedRevision && env.appliedRevision !== old?.appliedRevision && !WARNING.includes(env.phase)) {
    return event('Normal', 'Applied', 'Apply', `${env.name}: applied ${env.appliedRevision} (stage apply); ${env.phase}: ${env.message}`);
  }
  if (old && old.phase === env.phase && old.reason === env.reason && old.attemptedRevision === env.attemptedRevision) return undefined;
  if (env.reason === 'PlanBlocked') return event('Warning', env.reason, 'Plan', `${env.name} at ${revision}: stage plan: ${env.message}`);
  if (WARNING.includes(env.phase)) return event('Warning', env.reason, 'Reconcile', `${env.name} at ${revision}: ${stage} failed: ${env.message}`);
  return event('Normal', env.phase === EnvironmentPhase.Ready ? 'Ready' : env.reason, 'Reconcile', `${env.name} at ${revision}: stage ${stage}: ${env.message}`);
}

function stageOf(reason: string): string {
  return STAGE[reason] ?? reason;
}

function event(type: FleetEvent['type'], reason: string, action: string, note: string): FleetEvent {
  return { type, reason, action, note: redactUrlCredentials(note) };
}
