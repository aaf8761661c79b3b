import { silentLogger, type Logger } from '../core/log.js';
import type { Forge } from '../report/forge.js';
import type { Outbox } from '../report/outbox.js';
import { flushOutbox } from '../report/post-statuses.js';

export interface OutboxPump {
  /** One delivery attempt now (also what the timer does); resolves with the contexts delivered. */
  flush(): Promise<readonly string[]>;
  stop(): void;
}

/**
 * Retries what waits in the outbox every `intervalMs` while anything waits, so statuses reach
 * a forge that comes back even when nothing else changes; expired entries are dropped first.
 * One attempt at a time.
 */
export function startOutboxPump(deps: { outbox: Outbox; forgeOf: (forgeId: string) => Forge | undefined; intervalMs: number; log?: Logger | undefined; now?: (() => number) | undefined }): OutboxPump {
  const log = (deps.log ?? silentLogger).child({ stage: 'report' });
  let running: Promise<readonly string[]> | undefined;
  const flush = (): Promise<readonly string[]> => {
    running ??= (async () => {
      try {
        if ((await deps.outbox.list()).length === 0) return [];
        const r = await flushOutbox(deps.outbox, deps.forgeOf, { log, now: deps.now });
        if (r.posted.length) log.info({ contexts: r.posted }, 'queued commit statuses delivered');
        return r.posted;
      } catch (e) {
        log.warn({ error: (e as Error).message }, 'outbox not flushed');
        return [];
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void flush(), deps.intervalMs);
  timer.unref();
  return { flush, stop: () => clearInterval(timer) };
}
