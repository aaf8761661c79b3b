import { describe, expect, it } from 'vitest';
import { ReportError, Retry } from '../core/errors.js';
import { enforceOutboxLimits, isRefused, type OutboxEntry } from './outbox.js';

const entry = (context: string, queuedAt: number): OutboxEntry => ({
  forgeId: 'gitea:http://forge/acme/fleet',
  sha: 'a'.repeat(40),
  status: { state: 'pending', context, description: `${context}: Provisioning` },
  attempts: 1,
  queuedAt,
  lastError: 'gitea acme/fleet@aaa post status: HTTP 503: down',
});
const limits = { maxEntries: 3, maxAgeMs: 1000, maxDropped: 10 };

describe('enforceOutboxLimits', () => {
  it('keeps everything within the limits', () => {
    const entries = [entry('a', 500), entry('b', 600)];
    expect(enforceOutboxLimits(entries, limits, 1000)).toEqual({ kept: entries, dropped: [] });
  });

  it('drops entries older than the age limit, recording why', () => {
    const { kept, dropped } = enforceOutboxLimits([entry('old', 0), entry('new', 900)], limits, 1500);
    expect(kept.map((e) => e.status.context)).toEqual(['new']);
    expect(dropped).toEqual([{ forgeId: 'gitea:http://forge/acme/fleet', sha: 'a'.repeat(40), context: 'old', state: 'pending', reason: 'expired', error: 'gitea acme/fleet@aaa post status: HTTP 503: down', droppedAt: 1500 }]);
  });

  it('drops the oldest entries past the size limit', () => {
    const { kept, dropped } = enforceOutboxLimits([entry('c', 30), entry('a', 10), entry('d', 40), entry('b', 20), entry('e', 50)], limits, 100);
    expect(kept.map((e) => e.status.context)).toEqual(['c', 'd', 'e']);
    expect(dropped.map((d) => [d.context, d.reason])).toEqual([['a', 'overflow'], ['b', 'overflow']]);
  });
});

describe('isRefused', () => {
  it.each([
    [401, Retry.Terminal, true],
    [403, Retry.Terminal, true],
    [404, Retry.Terminal, true],
    [422, Retry.Terminal, true],
    [400, Retry.Terminal, false],
    [503, Retry.Transient, false],
    [429, Retry.Transient, false],
  ])('HTTP %i (%s) refused: %s', (status, retry, refused) => {
    expect(isRefused(new ReportError('gitea x@y post status: no', { retry, data: { status } }))).toBe(refused);
  });

  it('a network error is never refused', () => {
    expect(isRefused(new ReportError('gitea x@y post status: request failed: ECONNREFUSED', { retry: Retry.Transient }))).toBe(false);
    expect(isRefused(new Error('boom'))).toBe(false);
  });
});
