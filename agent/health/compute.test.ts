import { describe, expect, it } from 'vitest';
import { computeEnvironmentHealth, formatDuration } from './compute.js';
import type { HealthState} from './health-state.js';
import { truncateText, worstState, type ClusterHealth } from './health-state.js';

const health = (name: string, state: HealthState): ClusterHealth => ({ cluster: { namespace: 'prod', name }, state, reason: 'x', description: '', message: '', rule: 'x' });

describe('computeEnvironmentHealth', () => {
  it.each([
    { clusters: [], state: 'success', description: 'prod: no clusters' },
    { clusters: [health('eu-1', 'success'), health('eu-2', 'success')], state: 'success', description: 'prod: 2/2 clusters healthy' },
    { clusters: [health('eu-1', 'success'), health('eu-2', 'pending')], state: 'pending', description: 'prod: 1/2 clusters healthy; pending: eu-2' },
    { clusters: [health('eu-1', 'failure'), health('eu-2', 'pending'), health('eu-3', 'error')], state: 'error', description: 'prod: 0/3 clusters healthy; error: eu-3; failure: eu-1; pending: eu-2' },
  ] as const)('is the worst of its clusters: $description', ({ clusters, state, description }) => {
    const env = computeEnvironmentHealth('prod', clusters);
    expect(env.state).toBe(state);
    expect(env.description).toBe(description);
  });

  it('keeps the description within 140 characters for large fleets', () => {
    const many = Array.from({ length: 200 }, (_, i) => health(`cluster-${i}`, 'pending'));
    const d = computeEnvironmentHealth('prod', many).description;
    expect([...d]).toHaveLength(140);
    expect(d.endsWith('…')).toBe(true);
  });
});

describe('small helpers', () => {
  it.each([
    [[], 'success'],
    [['pending', 'success'], 'pending'],
    [['pending', 'failure'], 'failure'],
    [['error', 'failure'], 'error'],
  ] as const)('worstState(%j) is %s', (states, expected) => expect(worstState(states)).toBe(expected));

  it.each([
    [1800_000, '30m'],
    [3600_000, '1h'],
    [5400_000, '1h30m'],
    [45_000, '45s'],
    [90_000, '1m30s'],
  ])('formatDuration(%d) is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('truncates by characters, not bytes, and marks the cut', () => {
    expect(truncateText('é'.repeat(150))).toBe(`${'é'.repeat(139)}…`);
    expect(truncateText('short')).toBe('short');
    expect(truncateText('x'.repeat(140))).toBe('x'.repeat(140));
  });
});
