/**
 * The apiserver's priority-and-fairness answer "too many requests": a 429 with `Retry-After`
 * (seconds). A request rejected that way was not executed, so sending it again is safe for every
 * verb; the client waits what the server asked (bounded), a little more each time it is asked again.
 */
export interface ThrottleOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Wait when the 429 carries no usable Retry-After. */
  readonly defaultDelayMs: number;
  /** Longest wait honoured; a server asking for more gets this. */
  readonly maxDelayMs: number;
}

export function defaultThrottleOptions(): ThrottleOptions {
  return { maxAttempts: 6, defaultDelayMs: 1000, maxDelayMs: 30_000 };
}

/**
 * How long to wait before attempt `attempt + 1` after a response with `status` and `headers`, or
 * undefined when the response is not a throttle or the attempts are spent. `random` in [0, 1)
 * spreads clients that were told the same time (up to +25 %). Pure.
 */
export function throttleDelayMs(status: number | undefined, headers: Readonly<Record<string, string>> | undefined, attempt: number, options: ThrottleOptions, random: number): number | undefined {
  if (status !== 429 || attempt >= options.maxAttempts) return undefined;
  const raw = headers ? Object.entries(headers).find(([k]) => k.toLowerCase() === 'retry-after')?.[1] : undefined;
  const seconds = raw !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : undefined;
  const base = seconds !== undefined ? seconds * 1000 : options.defaultDelayMs * 2 ** (attempt - 1);
  return Math.min(options.maxDelayMs, Math.max(0, base) * (1 + random / 4));
}
