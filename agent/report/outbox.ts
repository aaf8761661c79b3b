import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ReportError, Retry } from '../core/errors.js';
import type { CommitStatus } from './commit-status.js';

/** A status Drover could not deliver yet. One entry per forge, SHA and context: newer replaces older. */
export interface OutboxEntry {
  readonly forgeId: string;
  readonly sha: string;
  readonly status: CommitStatus;
  /** Failed deliveries so far. */
  readonly attempts: number;
  /** When it was first queued (ms since epoch). */
  readonly queuedAt: number;
  /** The last error message (already free of tokens). */
  readonly lastError: string;
}

export interface Outbox {
  list(): Promise<OutboxEntry[]>;
  /** Queues (or replaces) the entry for its forge, SHA and context. */
  put(entry: OutboxEntry): Promise<void>;
  /** Forgets the entry for a forge, SHA and context, if any. */
  remove(forgeId: string, sha: string, context: string): Promise<void>;
}

export function outboxKey(forgeId: string, sha: string, context: string): string {
  return `${forgeId}|${sha}|${context.toLowerCase()}`;
}

interface OutboxFile {
  version: 1;
  entries: OutboxEntry[];
}

/**
 * An outbox kept in one small JSON file (written whole, through a temporary file and a rename,
 * so a crash leaves the old or the new content, never half). Survives restarts of the agent.
 */
export function createFileOutbox(path: string): Outbox {
  let entries: Map<string, OutboxEntry> | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
  const load = async (): Promise<Map<string, OutboxEntry>> => {
    if (entries) return entries;
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ReportError(`outbox ${path}: cannot read: ${(err as Error).message}`, { retry: Retry.Transient, cause: err });
    }
    const map = new Map<string, OutboxEntry>();
    if (text !== undefined && text.trim() !== '') {
      let parsed: OutboxFile;
      try {
        parsed = JSON.parse(text) as OutboxFile;
      } catch (err) {
        throw new ReportError(`outbox ${path}: not valid JSON: ${(err as Error).message}`, { cause: err });
      }
      for (const e of parsed.entries ?? []) map.set(outboxKey(e.forgeId, e.sha, e.status.context), e);
    }
    entries = map;
    return map;
  };
  const save = async (map: Map<string, OutboxEntry>): Promise<void> => {
    const body: OutboxFile = { version: 1, entries: [...map.values()] };
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(body, null, 1)}\n`, { mode: 0o600 });
    await rename(tmp, path);
  };
  return {
    list: () => serial(async () => [...(await load()).values()]),
    put: (entry) =>
      serial(async () => {
        const map = await load();
        map.set(outboxKey(entry.forgeId, entry.sha, entry.status.context), entry);
        await save(map);
      }),
    remove: (forgeId, sha, context) =>
      serial(async () => {
        const map = await load();
        if (map.delete(outboxKey(forgeId, sha, context))) await save(map);
      }),
  };
}
