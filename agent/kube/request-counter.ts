/** Request kinds the counter tells apart. Writes are `apply`, `create`, `replace`, `patch`, `status` and `delete`. */
export const Verb = {
  Discovery: 'discovery',
  List: 'list',
  Get: 'get',
  Watch: 'watch',
  DryRun: 'dry-run',
  Apply: 'apply',
  Create: 'create',
  Replace: 'replace',
  Patch: 'patch',
  Status: 'status',
  Delete: 'delete',
} as const;
export type Verb = (typeof Verb)[keyof typeof Verb];

const WRITES: readonly Verb[] = [Verb.Apply, Verb.Create, Verb.Replace, Verb.Patch, Verb.Status, Verb.Delete];

/**
 * Counts requests sent, by verb: what the benchmarks, the zero-write tests and the agent's
 * request figures read. Several clients may share one counter (`KubeClientOptions.requests`).
 * A watch counts once when it opens, not per event.
 */
export class RequestCounter {
  private counts = new Map<Verb, number>();
  /** Requests the apiserver answered 429 (priority and fairness) and that were sent again; each attempt is counted by its verb too. */
  throttled = 0;
  private readonly listeners = new Set<(verb: Verb) => void>();
  add(verb: Verb): void {
    this.counts.set(verb, (this.counts.get(verb) ?? 0) + 1);
    for (const l of this.listeners) l(verb);
  }
  get(verb: Verb): number {
    return this.counts.get(verb) ?? 0;
  }
  /** Requests that change the cluster. */
  writes(): number {
    let n = 0;
    for (const v of WRITES) n += this.get(v);
    return n;
  }
  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }
  snapshot(): Record<Verb, number> {
    return Object.fromEntries(Object.values(Verb).map((v) => [v, this.get(v)])) as Record<Verb, number>;
  }
  reset(): void {
    this.counts.clear();
    this.throttled = 0;
  }
  /** Calls `listener` on every request (metrics); returns the unsubscribe function. */
  onRequest(listener: (verb: Verb) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
