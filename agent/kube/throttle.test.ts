import { describe, expect, it } from 'vitest';
import { defaultThrottleOptions, throttleDelayMs } from './throttle.js';

const options = defaultThrottleOptions();

describe('throttleDelayMs', () => {
  it('waits what Retry-After asks on a 429, whatever the header case', () => {
    expect(throttleDelayMs(429, { 'Retry-After': '2' }, 1, options, 0)).toBe(2000);
    expect(throttleDelayMs(429, { 'retry-after': '1' }, 1, options, 0)).toBe(1000);
  });

  it('spreads clients told the same time by at most a quarter', () => {
    expect(throttleDelayMs(429, { 'retry-after': '4' }, 1, options, 0.999)).toBeLessThan(5000);
    expect(throttleDelayMs(429, { 'retry-after': '4' }, 1, options, 0.999)).toBeGreaterThan(4900);
  });

  it('backs off exponentially when the 429 names no time, and caps what it honours', () => {
    expect(throttleDelayMs(429, {}, 1, options, 0)).toBe(1000);
    expect(throttleDelayMs(429, {}, 3, options, 0)).toBe(4000);
    expect(throttleDelayMs(429, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, 2, options, 0)).toBe(2000);
    expect(throttleDelayMs(429, { 'retry-after': '3600' }, 1, options, 0)).toBe(options.maxDelayMs);
  });

  it('does not retry anything else, nor past the last attempt', () => {
    for (const status of [200, 409, 500, 503, undefined]) expect(throttleDelayMs(status, { 'retry-after': '1' }, 1, options, 0)).toBeUndefined();
    expect(throttleDelayMs(429, { 'retry-after': '1' }, options.maxAttempts, options, 0)).toBeUndefined();
  });
});
