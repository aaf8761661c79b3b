import type { DroppedEntry, Outbox } from '../report/outbox.js';
import type { AgentMetrics } from './metrics.js';

/** A Fleet's outbox that keeps `drover_outbox_depth` current after every change. */
export function meterOutbox(outbox: Outbox, fleet: string, metrics: AgentMetrics): Outbox {
  const depth = async <T>(r: T): Promise<T> => {
    metrics.setOutboxDepth(fleet, (await outbox.list()).length);
    return r;
  };
  return {
    list: async () => {
      const entries = await outbox.list();
      metrics.setOutboxDepth(fleet, entries.length);
      return entries;
    },
    put: async (entry) => depth(await outbox.put(entry)),
    remove: async (forgeId, sha, context) => depth(await outbox.remove(forgeId, sha, context)),
    drop: async (d) => depth(await outbox.drop(d)),
    expire: async () => depth(await outbox.expire()),
    dropped: () => outbox.dropped(),
  };
}

/** The file outbox's `onDrop`: counts each status given up on (refused, expired, overflow) and logs it. */
export function countDrops(fleet: string, metrics: AgentMetrics, warn: (d: DroppedEntry) => void): (d: DroppedEntry) => void {
  return (d) => {
    metrics.recordOutboxDropped(fleet, d.reason);
    warn(d);
  };
}
