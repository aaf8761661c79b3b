/**
 * The delivery IDs a webhook route has acted on, the most recent `capacity` of them (least
 * recently seen dropped first), so a delivery sent twice is acted on once. In memory: a
 * restarted agent may act once more on a redelivery, which only queues a reconcile it would
 * run anyway.
 */
export class DeliveryLog {
  private readonly ids = new Map<string, true>();

  constructor(private readonly capacity = 1024) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`webhook delivery log: capacity must be a positive integer, got ${capacity}`);
  }

  /** Records `id`; true the first time it is seen (within the window), false for a repeat. */
  record(id: string): boolean {
    if (this.ids.has(id)) {
      this.ids.delete(id);
      this.ids.set(id, true);
      return false;
    }
    this.ids.set(id, true);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.keys().next().value as string);
    return true;
  }

  get size(): number {
    return this.ids.size;
  }
}
