/** How retries of transient failures space out. */
export interface BackoffOptions {
  /** Delay before the first retry. */
  readonly baseMs: number;
  /** The delay never grows past this. */
  readonly maxMs: number;
  /** Each delay is drawn from [delay × (1 − jitter), delay]; 0 disables jitter. */
  readonly jitter: number;
}

export function defaultBackoffOptions(): BackoffOptions {
  return { baseMs: 2_000, maxMs: 5 * 60_000, jitter: 0.5 };
}

/**
 * The delay before retry number `attempt` (1 for the first retry): base × 2^(attempt−1), capped,
 * with "equal jitter" so that many Fleets failing together do not retry together. Pure: the
 * random draw in [0, 1) is passed in.
 */
export function computeBackoffMs(attempt: number, options: BackoffOptions, random: number): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
  return Math.round(exp * (1 - options.jitter * random));
}
