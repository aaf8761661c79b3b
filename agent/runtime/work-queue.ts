/**
 * A keyed work queue: at most one run per key at a time, at most `concurrency` runs in all.
 * Adding a key that is queued is a no-op (the pending run will see the newest state); adding a
 * key that is running marks it dirty, so it runs once more right after. `addAfter` schedules a
 * key (the earliest of several schedules wins). Like client-go's workqueue without rate limiting
 * (the caller computes backoff delays).
 */
export interface WorkQueueOptions {
  readonly concurrency: number;
  /** Runs one key; an error it throws is reported to `onError` and the key is not requeued. */
  readonly run: (key: string) => Promise<void>;
  readonly onError?: ((key: string, error: unknown) => void) | undefined;
  readonly setTimer?: (fn: () => void, ms: number) => { cancel(): void };
  /** Start paused: keys queue up but nothing runs until `resume()` (a standby replica). */
  readonly paused?: boolean | undefined;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { at: number; cancel(): void }>();
  private stopped = false;
  private paused: boolean;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: WorkQueueOptions) {
    this.paused = options.paused ?? false;
  }

  /** Starts no new run (those in flight finish); keys keep queueing. */
  pause(): void {
    this.paused = true;
  }

  /** Runs what queued up while paused. */
  resume(): void {
    this.paused = false;
    this.pump();
  }

  add(key: string): void {
    if (this.stopped) return;
    this.clearTimer(key);
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Runs `key` after `ms`, unless it is scheduled earlier already. */
  addAfter(key: string, ms: number, now = Date.now()): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = now + ms;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const setTimer = this.options.setTimer ?? ((fn, delay) => {
      const t = setTimeout(fn, delay);
      t.unref?.();
      return { cancel: () => clearTimeout(t) };
    });
    const timer = setTimer(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    this.timers.set(key, { at, cancel: timer.cancel });
  }

  /** When `key` is scheduled to run next (ms since epoch), if it is. */
  scheduledAt(key: string): number | undefined {
    return this.timers.get(key)?.at;
  }

  /** Forgets a key: no scheduled run; a running one finishes but is not repeated. */
  forget(key: string): void {
    this.clearTimer(key);
    this.dirty.delete(key);
    if (this.queued.delete(key)) this.queue.splice(this.queue.indexOf(key), 1);
  }

  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /** Stops taking work and resolves when the runs in flight are done. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const key of [...this.timers.keys()]) this.clearTimer(key);
    this.queue.length = 0;
    this.queued.clear();
    await this.idle();
  }

  /** Resolves when nothing runs and nothing is queued (when paused: nothing runs). */
  idle(): Promise<void> {
    if (this.running.size === 0 && (this.queue.length === 0 || this.paused || this.stopped)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private clearTimer(key: string): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  private pump(): void {
    while (!this.stopped && !this.paused && this.running.size < this.options.concurrency) {
      const index = this.queue.findIndex((k) => !this.running.has(k));
      if (index < 0) break;
      const [key] = this.queue.splice(index, 1) as [string];
      this.queued.delete(key);
      this.running.add(key);
      void this.options
        .run(key)
        .catch((e) => this.options.onError?.(key, e))
        .finally(() => {
          this.running.delete(key);
          if (this.dirty.delete(key)) this.add(key);
          this.pump();
          if (this.running.size === 0 && (this.queue.length === 0 || this.paused || this.stopped)) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const w of waiters) w();
          }
        });
    }
  }
}
