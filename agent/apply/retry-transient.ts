import { Retry } from '../core/errors.js';

/** How often, and how far apart, a request failing transiently is tried again within one run. */
export interface TransientRetry {
  /** Tries in all, the first included (1: no retry). */
  readonly attempts: number;
  /** Wait before the second try; doubled before each further one, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
}

/**
 * Server-side dry-runs go through every admission webhook; under load a webhook that answers too
 * late makes the apiserver answer 500 (`failed calling webhook …: context deadline exceeded`), a
 * transient failure that says nothing about the object. Three tries over ~3 s ride out a busy
 * moment; what still fails is reported as transient and retried by the caller's backoff.
 */
export function defaultTransientRetry(): TransientRetry {
  return { attempts: 3, baseDelayMs: 1_000, maxDelayMs: 4_000 };
}

/**
 * Calls `fn` until it resolves, it throws an error that is not transient (`retry` of a
 * DroverError, after `classify`), or `attempts` tries were made; throws the last error then.
 */
export async function withTransientRetry<T>(fn: () => Promise<T>, classify: (e: unknown) => { readonly retry: Retry }, policy: TransientRetry): Promise<T> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const error = classify(e);
      if (error.retry !== Retry.Transient || attempt >= policy.attempts) throw error;
      await sleep(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
