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
  /**
   * Whether a request may be sent twice. A request that is not (creating a comment) is never
   * retried once it may have reached the forge (timeout, dropped connection, 5xx): only a 429
   * or rate-limit refusal is retried. Its caller checks whether it happened (see createOnce).
   * Default: every method but POST.
   */
  readonly isIdempotent?: ((method: string, path: string) => boolean) | undefined;
  /** The time all reporting of one run may take; past it every request fails at once. */
  readonly budget?: ReportBudget | undefined;
}

/**
 * A bound on the time one run spends talking to a forge, shared by every request of the run
 * (retries and Retry-After waits included). It starts with the first request. What could not be
 * delivered in time stays in the outbox for the next run.
 */
export interface ReportBudget {
  /** Aborted once the budget is spent. */
  readonly signal: AbortSignal;
  /** Milliseconds left (starts the clock on first call). */
  remainingMs(): number;
  readonly totalMs: number;
}

export function createReportBudget(totalMs: number, now: () => number = Date.now): ReportBudget {
  const controller = new AbortController();
  let deadline: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    signal: controller.signal,
    totalMs,
    remainingMs() {
      if (deadline === undefined) {
        deadline = now() + totalMs;
        timer = setTimeout(() => controller.abort(budgetError(totalMs)), totalMs);
        timer.unref?.();
      }
      const left = Math.max(0, deadline - now());
      if (left === 0 && !controller.signal.aborted) controller.abort(budgetError(totalMs));
      return left;
    },
  };
}

/**
 * A report budget that bounds only while a scope is open: the agent opens one per reconcile of
 * a Fleet (`begin`), so that reconcile's reporting (statuses, outbox retries, pull-request checks)
 * takes at most `totalMs`, as `drover apply --report-timeout` bounds a run. Outside a scope
 * (health updates between reconciles) each request is bounded by its own attempts only. One
 * scope at a time: the agent reconciles one Fleet at a time per Fleet.
 */
export interface ScopedReportBudget extends ReportBudget {
  /** Opens a scope of `totalMs`; its clock starts with the first request in it. */
  begin(totalMs: number): void;
  /** Closes the scope. */
  end(): void;
}

export function createScopedReportBudget(now: () => number = Date.now): ScopedReportBudget {
  let current: ReportBudget | undefined;
  const unbounded = new AbortController().signal;
  return {
    get signal() {
      return current?.signal ?? unbounded;
    },
    get totalMs() {
      return current?.totalMs ?? Number.POSITIVE_INFINITY;
    },
    remainingMs() {
      return current ? current.remainingMs() : Number.MAX_SAFE_INTEGER;
    },
    begin(totalMs) {
      current = createReportBudget(totalMs, now);
    },
    end() {
      current = undefined;
    },
  };
}

function budgetError(totalMs: number): Error {
  return Object.assign(new Error(`the report time budget of ${totalMs / 1000} s is spent; the rest waits in the outbox`), { name: 'TimeoutError' });
}

/** Default idempotency: everything but POST may be repeated. */
export function idempotentUnlessPost(method: string): boolean {
  return method.toUpperCase() !== 'POST';
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
  const budget = options.budget;
  const isIdempotent = options.isIdempotent ?? idempotentUnlessPost;
  return async (input, init) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const path = pathOf(input);
    const repeatable = isIdempotent(method, path);
    for (let attempt = 1; ; attempt++) {
      if (budget && budget.remainingMs() === 0) throw budget.signal.reason as Error;
      let res: Response;
      try {
        // A forge that never answers must not hold the reconcile: each attempt has a deadline,
        // and the run's report budget caps them all.
        const limit = budget ? Math.min(attemptTimeout, budget.remainingMs()) : attemptTimeout;
        const signals = [AbortSignal.timeout(limit), ...(init?.signal ? [init.signal] : []), ...(budget ? [budget.signal] : [])];
        res = await fetch(input, { ...init, signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) });
      } catch (err) {
        // No answer: the request may have been carried out. Never send a POST again blind, not
        // even a commit status (a second identical status is a duplicate on the forge): the
        // caller reads back what landed (create-once, post-statuses) before posting again.
        if (attempt >= maxAttempts || !repeatable || !idempotentUnlessPost(method) || budget?.signal.aborted) throw err;
        const delayMs = backoff(base, maxDelay, attempt);
        if (budget && delayMs >= budget.remainingMs()) throw err;
        options.onRetry?.({ method, path, attempt, delayMs });
        await clock.sleep(delayMs);
        continue;
      }
      if (!isRetryable(res, repeatable) || attempt >= maxAttempts) return res;
      const asked = askedDelay(res.headers, clock.now());
      if (asked !== undefined && asked > maxRetryAfter) return res;
      const delayMs = asked ?? backoff(base, maxDelay, attempt);
      // Waiting longer than the budget allows would only end in the outbox: answer now.
      if (budget && delayMs >= budget.remainingMs()) return res;
      await res.arrayBuffer().catch(() => undefined); // free the connection
      options.onRetry?.({ method, path, attempt, status: res.status, delayMs });
      await clock.sleep(delayMs);
    }
  };
}

function isRetryable(res: Response, repeatable: boolean): boolean {
  // A 429 or an exhausted rate limit refused the request before carrying it out.
  if (res.status === 429 || (res.status === 403 && res.headers.get('x-ratelimit-remaining') === '0')) return true;
  return repeatable && res.status >= 500 && res.status !== 501;
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

/**
 * Forge idempotency: POSTing a commit status again is harmless (the latest per context stays the
 * same), so those are repeatable; any other POST (a comment) is not.
 */
export function forgeRequestRepeatable(method: string, path: string): boolean {
  return method.toUpperCase() !== 'POST' || /\/statuses\/[^/?]+(\?|$)/.test(path);
}
