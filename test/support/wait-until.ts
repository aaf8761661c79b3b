// Polling for the control plane's readiness checks. Bounded by a timeout that fails with what was
// awaited and the last observation, so a stuck setup says why.
export interface WaitOptions {
  /** What is awaited, for the error message: "kube-apiserver /readyz". */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Stops waiting early with this error (e.g. the process exited). */
  abort?: () => Error | undefined;
}

/** Calls `probe` until it returns a value other than undefined; its thrown errors count as "not yet". */
export async function waitUntil<T>(probe: () => Promise<T | undefined>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const aborted = opts.abort?.();
    if (aborted) throw aborted;
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = 'not ready';
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}: ${last}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
