/** What makes two Events the same occurrence again: the object, the type, the reason and the message. */
export interface EventIdentity {
  /** The object's uid, or `namespace/name` when it has none yet. */
  readonly object: string;
  readonly type: string;
  readonly reason: string;
  readonly note: string;
}

/** What to do with an Event. */
export type EventDecision =
  /** Not written before (or forgotten): create a new Event; `count` > 1 when earlier occurrences were held back by the rate. */
  | { readonly action: 'create'; readonly key: string; readonly count: number; readonly firstTime: number }
  /** Seen before: update the existing Event's series (count and last observed time). */
  | { readonly action: 'update'; readonly key: string; readonly name: string; readonly count: number; readonly firstTime: number }
  /** Over the object's rate: nothing written now; the count is kept and goes out with the next update. */
  | { readonly action: 'skip'; readonly key: string; readonly count: number };

export interface EventCorrelatorOptions {
  /** Events remembered (least recently seen forgotten first). Default 4096, as Kubernetes' correlator. */
  readonly maxKeys: number;
  /** Writes one object may make at once, and how long it takes to earn one more. Default 25 and 5 min, as Kubernetes' spam filter. */
  readonly burst: number;
  readonly refillMs: number;
}

export function defaultEventCorrelatorOptions(): EventCorrelatorOptions {
  return { maxKeys: 4096, burst: 25, refillMs: 300_000 };
}

interface Seen {
  name?: string | undefined;
  count: number;
  firstTime: number;
  lastTime: number;
}

/**
 * Deduplicates and rate-limits Events the way Kubernetes' event correlator does: the same
 * object, type, reason and message again updates the Event already written (its count and last
 * time) instead of creating another; and each object has a token bucket (a burst, then one
 * write per refill period) so a Fleet that flaps cannot flood the API. Pure apart from its
 * memory: the caller does the writes and tells it the name of each Event it created.
 */
export class EventCorrelator {
  private readonly options: EventCorrelatorOptions;
  private readonly seen = new Map<string, Seen>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: Partial<EventCorrelatorOptions> = {}) {
    this.options = { ...defaultEventCorrelatorOptions(), ...options };
  }

  /** Decides what an occurrence at `now` leads to, and counts it. */
  observe(e: EventIdentity, now: number): EventDecision {
    const key = JSON.stringify([e.object, e.type, e.reason, e.note]);
    const prev = this.seen.get(key);
    const entry: Seen = prev ? { ...prev, count: prev.count + 1, lastTime: now } : { count: 1, firstTime: now, lastTime: now };
    this.seen.delete(key); // re-inserted: the Map's order is the LRU order
    this.seen.set(key, entry);
    this.trim();
    if (!this.take(e.object, now)) return { action: 'skip', key, count: entry.count };
    if (entry.name === undefined) return { action: 'create', key, count: entry.count, firstTime: entry.firstTime };
    return { action: 'update', key, name: entry.name, count: entry.count, firstTime: entry.firstTime };
  }

  /** The Event written for `key` is called `name` (from the create's answer). */
  created(key: string, name: string): void {
    const entry = this.seen.get(key);
    if (entry) entry.name = name;
  }

  /** The write for `key` failed (the Event may be gone): the next occurrence creates a new one. */
  failed(key: string): void {
    const entry = this.seen.get(key);
    if (entry) {
      entry.name = undefined;
      entry.count = 0;
    }
  }

  /** Forgets an object's Events and bucket (the Fleet was deleted). */
  forget(object: string): void {
    for (const key of this.seen.keys()) if ((JSON.parse(key) as string[])[0] === object) this.seen.delete(key);
    this.buckets.delete(object);
  }

  private take(object: string, now: number): boolean {
    const { burst, refillMs } = this.options;
    const b = this.buckets.get(object) ?? { tokens: burst, at: now };
    const earned = Math.floor((now - b.at) / refillMs);
    if (earned > 0) {
      b.tokens = Math.min(burst, b.tokens + earned);
      b.at = b.tokens === burst ? now : b.at + earned * refillMs;
    }
    this.buckets.set(object, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private trim(): void {
    while (this.seen.size > this.options.maxKeys) this.seen.delete(this.seen.keys().next().value!);
  }
}
