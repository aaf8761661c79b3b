import { describe, expect, it } from 'vitest';
import { askedDelay, forgeRequestRepeatable, retryingFetch } from './http-retry.js';

const NOW = Date.parse('2026-11-25T08:00:00Z');

describe('askedDelay', () => {
  it.each<[string, Record<string, string>, number | undefined]>([
    ['Retry-After in seconds', { 'retry-after': '7' }, 7000],
    ['Retry-After as an HTTP date', { 'retry-after': 'Wed, 25 Nov 2026 08:00:30 GMT' }, 30_000],
    ['a date in the past means now', { 'retry-after': 'Wed, 25 Nov 2026 07:59:00 GMT' }, 0],
    ['GitHub rate-limit reset (epoch seconds)', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 12) }, 12_000],
    ['a reset without exhaustion is no request to wait', { 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': String(NOW / 1000 + 12) }, undefined],
    ['nothing asked', {}, undefined],
  ])('%s', (_name, headers, expected) => expect(askedDelay(new Headers(headers), NOW)).toBe(expected));
});

describe('retryingFetch after a request got no answer', () => {
  const clock = { now: () => NOW, sleep: async () => undefined };
  const failingFetch = (calls: string[]): typeof globalThis.fetch => async (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
    throw new TypeError('fetch failed: socket hang up');
  };

  it('never sends a commit status POST again blind (it may have landed: a duplicate status)', async () => {
    const calls: string[] = [];
    const f = retryingFetch(failingFetch(calls), { clock, isIdempotent: forgeRequestRepeatable });
    await expect(f('https://forge.test/repos/a/b/statuses/0123456789abcdef0123456789abcdef01234567', { method: 'POST' })).rejects.toThrow('socket hang up');
    expect(calls).toHaveLength(1);
  });

  it('still retries a GET', async () => {
    const calls: string[] = [];
    const f = retryingFetch(failingFetch(calls), { clock, isIdempotent: forgeRequestRepeatable, maxAttempts: 3 });
    await expect(f('https://forge.test/repos/a/b/commits/x/status', { method: 'GET' })).rejects.toThrow('socket hang up');
    expect(calls).toHaveLength(3);
  });

  it('still retries a commit status POST answered 503 (refused before it was carried out)', async () => {
    const calls: string[] = [];
    const f = retryingFetch(async () => {
      calls.push('POST');
      return new Response('{}', { status: calls.length < 2 ? 503 : 201 });
    }, { clock, isIdempotent: forgeRequestRepeatable });
    expect((await f('https://forge.test/repos/a/b/statuses/0123456789abcdef0123456789abcdef01234567', { method: 'POST' })).status).toBe(201);
    expect(calls).toHaveLength(2);
  });
});
