import { ReportError } from '../core/errors.js';

/**
 * Creates something on a forge at most once. A create that failed in a way that may have
 * happened anyway (a timeout, a dropped connection, a 5xx) is never simply sent again: `find`
 * first looks whether it exists, and only when it does not is the create repeated (up to
 * `attempts` times in all). A refusal (4xx) is thrown at once. This is what keeps one sticky
 * plan comment per pull request when the forge answers late.
 */
export async function createOnce<T>(create: () => Promise<T>, find: () => Promise<T | undefined>, attempts = 2): Promise<{ value: T; found: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await create(), found: false };
    } catch (err) {
      if (!mayHaveHappened(err)) throw err;
      const existing = await find();
      if (existing !== undefined) return { value: existing, found: true };
      if (attempt >= attempts) throw err;
    }
  }
}

/** Transient failures (no answer, 5xx) may hide a create that took place; 4xx and 429 refusals do not. */
function mayHaveHappened(err: unknown): boolean {
  if (!(err instanceof ReportError)) return true;
  const status = err.data.status;
  if (typeof status === 'number') return status >= 500;
  return true;
}
