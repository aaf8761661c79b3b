import { describe, expect, it } from 'vitest';
import { askedDelay } from './http-retry.js';

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
