import { describe, expect, it } from 'vitest';
import { checkApplyWindows } from './apply-window.js';
import { compileCron } from './cron-match.js';

const at = (iso: string) => Date.parse(iso);

describe('checkApplyWindows', () => {
  const nightly = [{ opens: compileCron('0 22 * * *'), durationMs: 2 * 3600_000 }];
  it('is always open without windows', () => {
    expect(checkApplyWindows([], at('2026-11-30T12:00:00Z'))).toEqual({ open: true });
  });
  it.each([
    ['inside, right at the opening', '2026-11-30T22:00:00Z', true, '2026-12-01T00:00:00.000Z'],
    ['inside, across midnight', '2026-12-01T00:30:00Z', false, '2026-12-01T22:00:00.000Z'],
    ['inside, an hour in', '2026-11-30T23:00:00Z', true, '2026-12-01T00:00:00.000Z'],
    ['before it opens', '2026-11-30T12:34:56Z', false, '2026-11-30T22:00:00.000Z'],
  ])('%s', (_name, now, open, when) => {
    const check = checkApplyWindows(nightly, at(now));
    expect(check.open).toBe(open);
    expect((open ? check.closesAt : check.nextOpen)?.toISOString()).toBe(when);
  });
  it('reads the schedule in its time zone', () => {
    const berlin = [{ opens: compileCron('0 22 * * *', 'Europe/Berlin'), durationMs: 3600_000 }];
    expect(checkApplyWindows(berlin, at('2026-11-30T21:30:00Z')).open).toBe(true);
    expect(checkApplyWindows(berlin, at('2026-11-30T22:30:00Z')).open).toBe(false);
  });
  it('treats weekday windows as cron does', () => {
    const weekdays = [{ opens: compileCron('0 9 * * 1-5'), durationMs: 3600_000 }];
    // 2026-12-05 is a Saturday: the next window is Monday 09:00.
    expect(checkApplyWindows(weekdays, at('2026-12-05T10:00:00Z')).nextOpen?.toISOString()).toBe('2026-12-07T09:00:00.000Z');
  });
  it('rejects an invalid expression', () => {
    expect(() => compileCron('not cron')).toThrow('invalid cron expression');
  });
});
