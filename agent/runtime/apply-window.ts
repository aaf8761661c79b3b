import type { CronMatcher } from './cron-match.js';

/** One maintenance window: opens when `opens` matches, stays open `durationMs`. */
export interface ApplyWindow {
  readonly opens: CronMatcher;
  readonly durationMs: number;
}

export interface WindowCheck {
  /** Writes are allowed now. */
  readonly open: boolean;
  /** While closed: when the next window opens (undefined when none opens within the horizon). */
  readonly nextOpen?: Date | undefined;
  /** While open: when the current window closes. */
  readonly closesAt?: Date | undefined;
}

const MINUTE = 60_000;
/** How far ahead the next opening is looked for. */
const HORIZON_MS = 32 * 24 * 60 * MINUTE;

/**
 * Whether an environment with these windows may be written at `now`. No windows: always. A
 * window is open when it opened (at a whole minute) less than its duration ago. Pure: the
 * matchers come compiled (cron-match.ts).
 */
export function checkApplyWindows(windows: readonly ApplyWindow[], now: number): WindowCheck {
  if (windows.length === 0) return { open: true };
  const minute = Math.floor(now / MINUTE) * MINUTE;
  let closesAt: number | undefined;
  for (const w of windows) {
    for (let t = minute; t > now - w.durationMs; t -= MINUTE) {
      if (w.opens(new Date(t))) {
        closesAt = Math.max(closesAt ?? 0, t + w.durationMs);
        break;
      }
    }
  }
  if (closesAt !== undefined) return { open: true, closesAt: new Date(closesAt) };
  for (let t = minute + MINUTE; t <= now + HORIZON_MS; t += MINUTE) {
    if (windows.some((w) => w.opens(new Date(t)))) return { open: false, nextOpen: new Date(t) };
  }
  return { open: false };
}
