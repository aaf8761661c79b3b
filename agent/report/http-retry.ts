import { realClock, type RetryClock, type RetryInfo } from './forge.js';

export interface RetryOptions {
  readonly clock?: RetryClock | undefined;
  /** Attempts per request, the first included. Default 5. */
  readonly maxAttempts?: number | undefined;
  /** First backoff delay; doubles per attempt. Default 1 s. */
  readonly baseDelayMs?: number | undefined;
  /** Longest backoff between attempts. Default 30 s. */
  readonly maxDelayMs?: number | undefined;
  /**
   * Longest Retry-After (or rate-limit reset) Drover waits for inside one call. A forge asking
   * for more gets its answer passed on, and the status goes to the outbox. Default 2 min.
   */
  readonly maxRetryAfterMs?: number | undefined;
  /** Longest one attempt may take before it is abandoned (and retried). Default 30 s. */
  readonly attemptTimeoutMs?: number | undefined;
  readonly onRetry?: ((info: RetryInfo) => void) | undefined;
}

/**
 * Wraps fetch to retry what a forge means as "later": 5xx, 429, GitHub's rate-limit 403
 * (`x-ratelimit-remaining: 0`) and network errors. Honours `Retry-After` (seconds or an HTTP
 * date) and `x-ratelimit-reset`; otherwise backs off exponentially. The clock is injected.
 */
export function retryingFetch(fetch: typeof globalThis.fetch, options: RetryOptions = {}): typeof globalThis.fetch {
  const clock = options.clock ?? realClock;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const base = options.baseDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 120_000;
  const attemptTimeout = options.attemptTimeoutMs ?? 30_000;
  return async (input, init) => {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const path = pathOf(input);
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        // A forge that never answers must not hold the reconcile: each attempt has a deadline.
        res = await fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(attemptTimeout) });
      } catch (err) {
        if (attempt >= maxAttempts) throw err;
        const delayMs = backoff(base, maxDelay, attempt);
        options.onRetry?.({ method, path, attempt, delayMs });
        await clock.sleep(delayMs);
        continue;
      }
      if (!isRetryable(res) || attempt >= maxAttempts) return res;
      const asked = askedDelay(res.headers, clock.now());
      if (asked !== undefined && asked > maxRetryAfter) return res;
      const delayMs = asked ?? backoff(base, maxDelay, attempt);
      await res.arrayBuffer().catch(() => undefined); // free the connection
      options.onRetry?.({ method, path, attempt, status: res.status, delayMs });
      await clock.sleep(delayMs);
    }
  };
}

function isRetryable(res: Response): boolean {
  if (res.status === 429 || (res.status >= 500 && res.status !== 501)) return true;
  return res.status === 403 && res.headers.get('x-ratelimit-remaining') === '0';
}

/** The wait a response asks for, in ms: Retry-After, else GitHub's rate-limit reset. */
export function askedDelay(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const trimmed = retryAfter.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  }
  return undefined;
}

function backoff(base: number, max: number, attempt: number): number {
  return Math.min(max, base * 2 ** (attempt - 1));
}

function pathOf(input: string | URL | Request): string {
  const url = new URL(input instanceof Request ? input.url : String(input));
  return url.pathname + url.search;
}
