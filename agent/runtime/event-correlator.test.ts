import { describe, expect, it } from 'vitest';
import { EventCorrelator } from './event-correlator.js';

const e = (note = 'staging at main@sha1:aaa: apply failed: boom', reason = 'ApplyFailed', object = 'uid-1') => ({ object, type: 'Warning', reason, note });

describe('EventCorrelator', () => {
  it('creates the first occurrence and updates the same Event for a repeat, counting', () => {
    const c = new EventCorrelator();
    const first = c.observe(e(), 1000);
    expect(first).toMatchObject({ action: 'create', count: 1, firstTime: 1000 });
    c.created(first.key, 'fleet.abc');
    expect(c.observe(e(), 2000)).toEqual({ action: 'update', key: first.key, name: 'fleet.abc', count: 2, firstTime: 1000 });
    expect(c.observe(e(), 3000)).toMatchObject({ action: 'update', name: 'fleet.abc', count: 3 });
  });

  it('tells apart a different message, reason, type or object', () => {
    const c = new EventCorrelator();
    const a = c.observe(e(), 0);
    c.created(a.key, 'a');
    expect(c.observe(e('staging at main@sha1:bbb: apply failed: boom'), 1).action).toBe('create');
    expect(c.observe(e(undefined, 'PruneFailed'), 2).action).toBe('create');
    expect(c.observe(e(undefined, undefined, 'uid-2'), 3).action).toBe('create');
    expect(c.observe({ ...e(), type: 'Normal' }, 4).action).toBe('create');
  });

  it('rate-limits per object: a burst, then one write per refill period; the count held back goes out with the next write', () => {
    const c = new EventCorrelator({ burst: 3, refillMs: 60_000 });
    const first = c.observe(e(), 0);
    c.created(first.key, 'ev');
    expect(c.observe(e(), 1).action).toBe('update');
    expect(c.observe(e(), 2).action).toBe('update');
    expect(c.observe(e(), 3)).toMatchObject({ action: 'skip', count: 4 });
    expect(c.observe(e(), 4)).toMatchObject({ action: 'skip', count: 5 });
    // Another object has its own bucket.
    expect(c.observe(e(undefined, undefined, 'uid-2'), 5).action).toBe('create');
    // One token earned back after a refill period: the update carries every occurrence.
    expect(c.observe(e(), 60_000)).toMatchObject({ action: 'update', name: 'ev', count: 6 });
    expect(c.observe(e(), 60_001).action).toBe('skip');
  });

  it('a stuck Fleet observed every interval for a day writes at most burst + one per refill period', () => {
    const c = new EventCorrelator();
    let writes = 0;
    for (let t = 0; t < 24 * 3600_000; t += 10_000) {
      const d = c.observe(e(), t);
      if (d.action === 'create') c.created(d.key, 'ev');
      if (d.action !== 'skip') writes++;
    }
    expect(writes).toBeLessThanOrEqual(25 + (24 * 3600_000) / 300_000);
  });

  it('a failed write makes the next occurrence create a new Event; forget drops an object', () => {
    const c = new EventCorrelator();
    const a = c.observe(e(), 0);
    c.created(a.key, 'ev');
    c.failed(a.key);
    expect(c.observe(e(), 1)).toMatchObject({ action: 'create', count: 1 });
    c.created(a.key, 'ev2');
    c.forget('uid-1');
    expect(c.observe(e(), 2).action).toBe('create');
  });

  it('remembers at most maxKeys Events, least recently seen forgotten first', () => {
    const c = new EventCorrelator({ maxKeys: 2 });
    for (const n of ['a', 'b']) {
      const d = c.observe(e(n), 0);
      c.created(d.key, n);
    }
    c.observe(e('a'), 1); // a is now the most recent
    const d = c.observe(e('c'), 2);
    c.created(d.key, 'c');
    expect(c.observe(e('a'), 3).action).toBe('update');
    expect(c.observe(e('b'), 4).action).toBe('create');
  });
});
