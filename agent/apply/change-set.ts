import { formatRef, type ObjectRef } from '../core/object-ref.js';

/** What apply did (or would do) to one object. */
export const Action = {
  Created: 'created',
  Configured: 'configured',
  Unchanged: 'unchanged',
  Deleted: 'deleted',
  Skipped: 'skipped',
  /**
   * A write sent without an answer (the connection dropped, the server timed out): it may have
   * landed. The object stays pending in the inventory; the next run's plan says what it found.
   */
  Unknown: 'unknown',
} as const;
export type Action = (typeof Action)[keyof typeof Action];

export interface ChangeSetEntry {
  readonly ref: ObjectRef;
  readonly action: Action;
  /** Why: set for skipped objects, and for deletions that wait or were refused. */
  readonly reason?: string | undefined;
}

/**
 * The outcome of an apply, one entry per object, in the order things happened. Returned at
 * every level, partial failures included, so what was written is never lost.
 */
export class ChangeSet {
  readonly entries: ChangeSetEntry[] = [];

  add(ref: ObjectRef, action: Action, reason?: string): this {
    this.entries.push(reason === undefined ? { ref, action } : { ref, action, reason });
    return this;
  }

  append(other: ChangeSet): this {
    this.entries.push(...other.entries);
    return this;
  }

  /** Entries with this action. */
  filter(action: Action): ChangeSetEntry[] {
    return this.entries.filter((e) => e.action === action);
  }

  count(action: Action): number {
    let n = 0;
    for (const e of this.entries) if (e.action === action) n++;
    return n;
  }

  /** `Kind/ns/name` → `action` (or `skipped: reason`), for structured logs. */
  toMap(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.entries) out[formatRef(e.ref)] = e.reason === undefined ? e.action : `${e.action}: ${e.reason}`;
    return out;
  }

  /** Counts per action, e.g. `{created: 2, unchanged: 40}`; actions that never happened are left out. */
  summary(): Partial<Record<Action, number>> {
    const out: Partial<Record<Action, number>> = {};
    for (const e of this.entries) out[e.action] = (out[e.action] ?? 0) + 1;
    return out;
  }

  /** One line per entry: `Kind/ns/name created`, `Kind/ns/name skipped: reason`. */
  format(options: { includeUnchanged?: boolean } = {}): string {
    const lines: string[] = [];
    for (const e of this.entries) {
      if (e.action === Action.Unchanged && options.includeUnchanged === false) continue;
      lines.push(e.reason === undefined ? `${formatRef(e.ref)} ${e.action}` : `${formatRef(e.ref)} ${e.action}: ${e.reason}`);
    }
    return lines.join('\n');
  }
}
