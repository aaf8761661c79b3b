import { describe, expect, it } from 'vitest';
import { EnvironmentPhase, type EnvironmentState, type FleetState } from './agent-state.js';
import { toFleetEvents } from './fleet-events.js';

const REV1 = `main@sha1:${'1'.repeat(40)}`;
const REV2 = `main@sha1:${'2'.repeat(40)}`;
const env = (over: Partial<EnvironmentState>): EnvironmentState => ({ name: 'staging', phase: EnvironmentPhase.Progressing, reason: 'Progressing', message: 'applied', generation: 1, updatedAt: 0, ...over });
const fleet = (environments: EnvironmentState[], over: Partial<FleetState> = {}): FleetState => ({
  key: 'ns/f', namespace: 'ns', name: 'f', generation: 1, repository: 'http://git/x.git', suspended: false, source: { revision: REV1 }, environments, reconciling: false, retries: 0, ...over,
});

describe('toFleetEvents', () => {
  it('a new revision applied: Normal Applied naming the revision and the stage', () => {
    const out = toFleetEvents(fleet([env({ attemptedRevision: REV1, appliedRevision: REV1, phase: EnvironmentPhase.Ready, reason: 'Succeeded' })]), fleet([env({ attemptedRevision: REV2, appliedRevision: REV2 })]));
    expect(out).toEqual([{ type: 'Normal', reason: 'Applied', action: 'Apply', note: `staging: applied ${REV2} (stage apply); progressing: applied` }]);
  });

  it('nothing changed (a stuck Fleet at its next interval): no Event', () => {
    const stuck = env({ attemptedRevision: REV1, phase: EnvironmentPhase.Stalled, reason: 'ApplyFailed', message: 'Cluster/ns/a: admission webhook denied' });
    expect(toFleetEvents(fleet([stuck]), fleet([{ ...stuck, updatedAt: 99 }]))).toEqual([]);
  });

  it('an apply failure: Warning with the stage, the revision and the error', () => {
    const out = toFleetEvents(fleet([env({ attemptedRevision: REV1, appliedRevision: REV1, phase: EnvironmentPhase.Ready, reason: 'Succeeded' })]), fleet([env({ attemptedRevision: REV2, appliedRevision: REV1, phase: EnvironmentPhase.Stalled, reason: 'ApplyFailed', message: 'Cluster/ns/a: denied' })]));
    expect(out).toEqual([{ type: 'Warning', reason: 'ApplyFailed', action: 'Reconcile', note: `staging at ${REV2}: apply failed: Cluster/ns/a: denied` }]);
  });

  it('a blocked plan, health turning failed and turning ready', () => {
    const before = fleet([env({ attemptedRevision: REV1, appliedRevision: REV1 })]);
    expect(toFleetEvents(before, fleet([env({ attemptedRevision: REV2, appliedRevision: REV1, phase: EnvironmentPhase.Stalled, reason: 'PlanBlocked', message: 'blocked: deletes 3 clusters' })]))[0]).toMatchObject({ type: 'Warning', reason: 'PlanBlocked', note: `staging at ${REV2}: stage plan: blocked: deletes 3 clusters` });
    expect(toFleetEvents(before, fleet([env({ attemptedRevision: REV1, appliedRevision: REV1, phase: EnvironmentPhase.Failed, reason: 'HealthFailed', message: '1 cluster failed' })]))[0]).toMatchObject({ type: 'Warning', reason: 'HealthFailed', note: `staging at ${REV1}: health failed: 1 cluster failed` });
    expect(toFleetEvents(before, fleet([env({ attemptedRevision: REV1, appliedRevision: REV1, phase: EnvironmentPhase.Ready, reason: 'Succeeded', message: '2 clusters healthy' })]))[0]).toMatchObject({ type: 'Normal', reason: 'Ready', note: `staging at ${REV1}: stage health: 2 clusters healthy` });
  });

  it('a Fleet-level source failure, once; credentials in a URL never reach the note', () => {
    const ok = fleet([]);
    const failed = fleet([], { failure: { reason: 'SourceFailed', message: 'https://bob:hunter2@git.example/x.git@main: unreachable', terminal: false } });
    const out = toFleetEvents(ok, failed);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ type: 'Warning', reason: 'SourceFailed', action: 'FetchSource' });
    expect(out[0]!.note).not.toContain('hunter2');
    expect(out[0]!.note).toContain(`fleet at ${REV1}: source failed:`);
    expect(toFleetEvents(failed, failed)).toEqual([]);
  });

  it('a Fleet seen for the first time: its first apply is news', () => {
    expect(toFleetEvents(undefined, fleet([env({ appliedRevision: REV1, attemptedRevision: REV1 })]))).toMatchObject([{ reason: 'Applied' }]);
  });
});
