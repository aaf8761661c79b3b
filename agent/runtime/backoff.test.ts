import { describe, expect, it } from 'vitest';
import { computeBackoffMs, defaultBackoffOptions } from './backoff.js';
import { formatDurationMs, parseDurationMs } from './duration.js';

describe('computeBackoffMs', () => {
  const options = { baseMs: 1000, maxMs: 60_000, jitter: 0.5 };
  it.each([
    [1, 0, 1000],
    [2, 0, 2000],
    [4, 0, 8000],
    [10, 0, 60_000],
    [2, 0.999, 1001],
    [1000, 0, 60_000],
  ])('retry %i with draw %d waits %i ms', (attempt, random, want) => {
    expect(computeBackoffMs(attempt, options, random)).toBe(want);
  });
  it('never waits less than half the exponential delay with the default jitter', () => {
    for (let a = 1; a < 12; a++) expect(computeBackoffMs(a, defaultBackoffOptions(), 0.9999)).toBeGreaterThanOrEqual(Math.min(defaultBackoffOptions().maxMs, 2000 * 2 ** (a - 1)) / 2);
  });
});

describe('durations', () => {
  it.each([
    ['10s', 10_000],
    ['1m', 60_000],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
  ])('parses %s', (text, ms) => expect(parseDurationMs(text)).toBe(ms));
  it.each(['', '10', '1d', 'm', '-1s'])('rejects %j', (text) => expect(parseDurationMs(text)).toBeUndefined());
  it.each([
    [60_000, '1m'],
    [3_725_000, '1h2m5s'],
    [0, '0ms'],
    [45_000, '45s'],
  ])('formats %i as %s', (ms, text) => expect(formatDurationMs(ms)).toBe(text));
});
