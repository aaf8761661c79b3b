import { describe, expect, it } from 'vitest';
import { DeliveryLog } from './webhook-deliveries.js';

describe('webhook delivery log', () => {
  it('acts on a delivery once', () => {
    const log = new DeliveryLog(4);
    expect(log.record('a')).toBe(true);
    expect(log.record('a')).toBe(false);
    expect(log.record('b')).toBe(true);
  });

  it('keeps the most recently seen deliveries within its bound', () => {
    const log = new DeliveryLog(2);
    log.record('a');
    log.record('b');
    log.record('a'); // a is now the most recent
    log.record('c'); // drops b
    expect(log.size).toBe(2);
    expect(log.record('a')).toBe(false);
    expect(log.record('b')).toBe(true);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new DeliveryLog(0)).toThrow(/capacity must be a positive integer/);
  });
});
