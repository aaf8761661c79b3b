import { describe, expect, it } from 'vitest';
import { EnvironmentPhase, type EnvironmentState, type FleetState } from './agent-state.js';
import { mergeConditions, toEnvironmentConditions, toFleetStatusObject } from './fleet-status.js';

const rev = `main@sha1:${'a'.repeat(40)}`;
const env = (name: string, phase: EnvironmentState['phase'], reason: string, message = ''): EnvironmentState => ({ name, phase, reason, message, generation: 2, updatedAt: 0, attemptedRevision: rev, ...(phase === 'ready' || phase === 'progressing' ? { appliedRevision: rev } : {}) });
const fleet = (environments: EnvironmentState[], extra: Partial<FleetState> = {}): FleetState => ({
  key: 'drover-system/example', namespace: 'drover-system', name: 'example', generation: 2, repository: 'http://git/fleet.git', suspended: false,
  source: { revision: rev }, environments, reconciling: false, retries: 0, ...extra,
});
const now = Date.parse('2026-11-30T03:00:00Z');

describe('toEnvironmentConditions', () => {
  it.each([
    [EnvironmentPhase.Ready, ['True', 'False', 'False']],
    [EnvironmentPhase.Progressing, ['Unknown', 'True', 'False']],
    [EnvironmentPhase.Waiting, ['False', 'True', 'False']],
    [EnvironmentPhase.Held, ['False', 'True', 'False']],
    [EnvironmentPhase.Retrying, ['False', 'True', 'False']],
    [EnvironmentPhase.Stalled, ['False', 'False', 'True']],
    [EnvironmentPhase.Failed, ['False', 'False', 'False']],
  ] as const)('%s → Ready/Reconciling/Stalled %j', (phase, want) => {
    expect(toEnvironmentConditions(env('staging', phase, 'X')).map((c) => c.status)).toEqual(want);
  });
});

describe('mergeConditions', () => {
  it('keeps the transition time while the status holds and moves it when it changes', () => {
    const before = [{ type: 'Ready', status: 'False' as const, lastTransitionTime: '2026-11-30T01:00:00Z' }];
    expect(mergeConditions(before, [{ type: 'Ready', status: 'False', reason: 'ApplyFailed', message: 'm' }], 3, now)[0]).toMatchObject({ lastTransitionTime: '2026-11-30T01:00:00Z', observedGeneration: 3 });
    expect(mergeConditions(before, [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: '' }], 3, now)[0]!.lastTransitionTime).toBe('2026-11-30T03:00:00Z');
  });
});

describe('toFleetStatusObject', () => {
  it('sums the environments up and names the first one not ready', () => {
    const status = toFleetStatusObject(fleet([env('staging', 'ready', 'Succeeded'), env('prod', 'waiting', 'WaitingForPromotion', 'prod: waiting for staging')]), undefined, now, 'r1').status as Record<string, unknown>;
    expect(status).toMatchObject({ observedGeneration: 2, readyEnvironments: '1/2', lastAppliedRevision: rev, lastHandledReconcileAt: 'r1' });
    expect(status.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'False', reason: 'WaitingForPromotion', message: 'prod: prod: waiting for staging' })]));
    expect((status.environments as unknown[])[1]).toMatchObject({ name: 'prod', lastAttemptedRevision: rev, conditions: expect.arrayContaining([expect.objectContaining({ type: 'Reconciling', status: 'True' })]) });
  });
  it('is Stalled with the stage reason on a terminal failure', () => {
    const status = toFleetStatusObject(fleet([env('staging', 'stalled', 'RenderFailed', 'environments/staging/kustomization.yaml:3:5 …')]), undefined, now, undefined).status as { conditions: Array<{ type: string; status: string; reason: string }> };
    expect(status.conditions.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'RenderFailed' });
  });
  it('says since when the source is stale while serving the last good revision', () => {
    const status = toFleetStatusObject(fleet([env('staging', 'ready', 'Succeeded')], { source: { revision: rev, staleSince: now - 60_000, message: 'unreachable' } }), undefined, now, undefined).status as { conditions: Array<{ type: string; message: string }> };
    expect(status.conditions.find((c) => c.type === 'SourceStale')?.message).toBe(`the source cannot be read since 2026-11-30T02:59:00Z; serving ${rev}: unreachable`);
  });
});
