import { describe, expect, it } from 'vitest';
import { HealthState, type ClusterHealth } from '../health/health-state.js';
import { StatusPhase, type EnvironmentStatus } from '../reconcile/status-environment.js';
import { exitCodeOf, formatStatusTable, toStatusJson } from './status-command.js';

const revision = `main@sha1:${'a'.repeat(40)}`;
const cluster = (name: string, state: HealthState, message: string): ClusterHealth => ({ cluster: { namespace: 'fleet-prod', name }, state, reason: 'x', description: message, message, rule: 'x' });

const live: EnvironmentStatus = {
  environment: 'prod',
  revision,
  phase: StatusPhase.Live,
  state: HealthState.Pending,
  description: 'prod: applied 2 created; 1/2 clusters healthy at this revision; pending: eu-2',
  clusters: [cluster('eu-1', 'success', 'prod/eu-1: Available, cp 3/3, workers 5/5, v1.33.2'), cluster('eu-2', 'pending', 'prod/eu-2: Provisioning (InfrastructureReady), cp 0/3, workers 0/5')],
  record: { revision, appliedAt: Date.parse('2026-11-25T08:00:00Z'), changes: { created: 2 } },
  statuses: [],
};

describe('drover status output', () => {
  it('prints one line per cluster, then the environment', () => {
    expect(formatStatusTable(live)).toBe(
      [
        'STATE    CLUSTER HEALTH',
        'success  prod/eu-1: Available, cp 3/3, workers 5/5, v1.33.2',
        'pending  prod/eu-2: Provisioning (InfrastructureReady), cp 0/3, workers 0/5',
        '',
        `prod at ${revision}: pending (live): prod: applied 2 created; 1/2 clusters healthy at this revision; pending: eu-2`,
        '',
      ].join('\n'),
    );
  });

  it('names what a held environment waits for', () => {
    const waiting: EnvironmentStatus = {
      ...live,
      phase: StatusPhase.Waiting,
      clusters: [],
      description: 'prod: waiting for staging (pending at main@sha1:aaaaaaa)',
      promotion: { proceed: false, state: 'pending', description: 'prod: waiting for staging (pending at main@sha1:aaaaaaa)', waitingFor: [{ env: 'staging', why: 'pending at main@sha1:aaaaaaa' }] },
    };
    expect(formatStatusTable(waiting)).toBe(`prod at ${revision}: pending (waiting): prod: waiting for staging (pending at main@sha1:aaaaaaa)\n  waiting for staging: pending at main@sha1:aaaaaaa\n`);
  });

  it('gives the JSON form with the last apply', () => {
    expect(toStatusJson(live)).toEqual({
      environment: 'prod',
      revision,
      phase: 'live',
      state: 'pending',
      description: live.description,
      clusters: [
        { namespace: 'fleet-prod', name: 'eu-1', state: 'success', reason: 'x', description: live.clusters[0]!.message, message: live.clusters[0]!.message },
        { namespace: 'fleet-prod', name: 'eu-2', state: 'pending', reason: 'x', description: live.clusters[1]!.message, message: live.clusters[1]!.message },
      ],
      lastApply: { revision, appliedAt: '2026-11-25T08:00:00.000Z', changes: { created: 2 } },
    });
  });

  it.each([
    [HealthState.Success, 0],
    [HealthState.Pending, 3],
    [HealthState.Failure, 1],
    [HealthState.Error, 1],
  ] as const)('exits %s with %i', (state, code) => {
    expect(exitCodeOf(state)).toBe(code);
  });
});
