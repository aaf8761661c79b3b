import { describe, expect, it } from 'vitest';
import type {
  CommitState} from './commit-status.js';
import {
  formatChanges,
  formatPlanSummary,
  isStatusCurrent,
  StatusContext,
  toApplyStatus,
  toHealthStatus,
  toPlanErrorStatus,
  toPlanStatus,
  truncateDescription,
  type CommitStatus,
  type PlanCounts,
} from './commit-status.js';
import { toGitLabState } from './gitlab.js';

describe('contexts', () => {
  it('names apply, health and plan contexts per environment and cluster', () => {
    expect(StatusContext.apply('prod')).toBe('drover/prod');
    expect(StatusContext.health('prod', 'eu-1')).toBe('drover/prod/eu-1');
    expect(StatusContext.plan('prod')).toBe('drover/plan/prod');
  });
});

describe('truncateDescription', () => {
  it.each([
    ['fits', 'a'.repeat(140), 'a'.repeat(140)],
    ['cut with an ellipsis', 'a'.repeat(141), `${'a'.repeat(139)}…`],
    ['counts characters, not UTF-16 units', '🚀'.repeat(141), `${'🚀'.repeat(139)}…`],
    ['flattens line breaks', 'line one\n  line two', 'line one line two'],
    ['does not end on a space before the ellipsis', `${'a'.repeat(138)} bbbb`, `${'a'.repeat(138)}…`],
  ])('%s', (_name, input, expected) => {
    expect(truncateDescription(input)).toBe(expected);
    expect([...truncateDescription(input)].length).toBeLessThanOrEqual(140);
  });
});

describe('toHealthStatus', () => {
  it('maps a cluster health one to one onto drover/<env>/<cluster>', () => {
    expect(toHealthStatus('prod', 'eu-1', { state: 'pending', description: 'prod/eu-1: Provisioning (InfrastructureReady)' }, 'https://drover.example/prod/eu-1')).toEqual({
      state: 'pending',
      context: 'drover/prod/eu-1',
      description: 'prod/eu-1: Provisioning (InfrastructureReady)',
      targetUrl: 'https://drover.example/prod/eu-1',
    });
  });
});

describe('toApplyStatus', () => {
  it.each<{ name: string; outcome: Parameters<typeof toApplyStatus>[1]; state: CommitState; description: string }>([
    { name: 'applied, health not known yet → pending', outcome: { result: 'applied', changes: { created: 2, configured: 1, unchanged: 40 } }, state: 'pending', description: 'prod: applied 2 created, 1 configured' },
    { name: 'applied and the revision healthy → success', outcome: { result: 'applied', changes: { configured: 1 }, health: { state: 'success', description: 'prod: 3/3 clusters healthy at this revision' } }, state: 'success', description: 'prod: applied 1 configured; 3/3 clusters healthy at this revision' },
    { name: 'applied, a touched cluster failed → failure', outcome: { result: 'applied', changes: {}, health: { state: 'failure', description: 'prod: 0/1 clusters healthy at this revision; failure: eu-1' } }, state: 'failure', description: 'prod: applied no changes; 0/1 clusters healthy at this revision; failure: eu-1' },
    { name: 'apply failed → failure with the error', outcome: { result: 'failed', message: 'KubeadmControlPlane/prod/eu-1-cp: spec.replicas: cannot be an even number when etcd is stacked' }, state: 'failure', description: 'prod: apply failed: KubeadmControlPlane/prod/eu-1-cp: spec.replicas: cannot be an even number when etcd is stacked' },
    { name: 'held by the promotion gate → pending saying what it waits for', outcome: { result: 'waiting', message: 'prod: waiting for staging (pending at main@sha1:aaaaaaa)' }, state: 'pending', description: 'prod: waiting for staging (pending at main@sha1:aaaaaaa)' },
    { name: 'blocked by a failed upstream → failure', outcome: { result: 'blocked', message: 'prod: blocked by staging (failure at main@sha1:aaaaaaa)' }, state: 'failure', description: 'prod: blocked by staging (failure at main@sha1:aaaaaaa)' },
  ])('$name', ({ outcome, state, description }) => {
    const s = toApplyStatus('prod', outcome);
    expect(s).toMatchObject({ context: 'drover/prod', state, description });
  });

  it('formats change counts, leaving out zeros and unchanged', () => {
    expect(formatChanges({ created: 1, configured: 0, unchanged: 9, deleted: 2 })).toBe('1 created, 2 deleted');
    expect(formatChanges(undefined)).toBe('no changes');
  });
});

describe('plan summary and status', () => {
  const base: PlanCounts = { clustersAdded: 0, clustersDeleted: 0, poolsResized: 0 };
  it.each<[PlanCounts, string]>([
    [{ ...base, clustersAdded: 1, poolsResized: 2 }, '+1 cluster, 2 pools resized, 0 deleted'],
    [{ ...base, poolsResized: 1 }, '+0 clusters, 1 pool resized, 0 deleted'],
    [{ ...base, clustersAdded: 2, clustersDeleted: 1, controlPlanesResized: 1, upgrades: 3, templateSwaps: 1, otherChanges: 1 }, '+2 clusters, 0 pools resized, 1 deleted, 1 control plane resized, 3 upgrades, 1 template swap, 1 other change'],
  ])('summarizes %j as "%s"', (counts, text) => expect(formatPlanSummary(counts)).toBe(text));

  it('is success with the summary when nothing blocks', () => {
    expect(toPlanStatus('prod', { ...base, clustersAdded: 1, poolsResized: 2 })).toEqual({ state: 'success', context: 'drover/plan/prod', description: '+1 cluster, 2 pools resized, 0 deleted' });
  });

  it('is failure naming the first block finding', () => {
    const s = toPlanStatus('prod', { ...base, clustersDeleted: 1, blocked: ['deletes Cluster/prod/eu-2 without the drover.dev/delete annotation', 'second'] });
    expect(s).toMatchObject({ state: 'failure', description: 'blocked: deletes Cluster/prod/eu-2 without the drover.dev/delete annotation (+1 more)' });
  });

  it('is error when no plan could be made', () => {
    expect(toPlanErrorStatus('prod', 'render failed: overlays/prod/kustomization.yaml:3:1 …')).toMatchObject({ state: 'error', context: 'drover/plan/prod' });
  });
});

describe('isStatusCurrent (dedupe against the forge)', () => {
  const next: CommitStatus = { state: 'pending', context: 'drover/prod', description: 'prod: applied 1 configured' };
  const same = (s: CommitState): string => s;
  it.each([
    ['no status yet', undefined, same, false],
    ['same state and description', { context: 'drover/prod', forgeState: 'pending', description: 'prod: applied 1 configured' }, same, true],
    ['state changed', { context: 'drover/prod', forgeState: 'success', description: 'prod: applied 1 configured' }, same, false],
    ['description changed', { context: 'drover/prod', forgeState: 'pending', description: 'prod: applied 2 configured' }, same, false],
    ['GitLab running is Drover pending', { context: 'drover/prod', forgeState: 'running', description: 'prod: applied 1 configured' }, toGitLabState, true],
  ] as const)('%s', (_name, latest, map, expected) => expect(isStatusCurrent(latest, next, map)).toBe(expected));

  it('compares against the truncated description the forge stored', () => {
    const long: CommitStatus = { ...next, description: 'x'.repeat(200) };
    expect(isStatusCurrent({ context: 'drover/prod', forgeState: 'pending', description: `${'x'.repeat(139)}…` }, long, same)).toBe(true);
  });
});

describe('toGitLabState', () => {
  it.each([
    ['pending', 'running'],
    ['success', 'success'],
    ['failure', 'failed'],
    ['error', 'failed'],
  ] as const)('%s → %s', (state, gitlab) => expect(toGitLabState(state)).toBe(gitlab));
});
