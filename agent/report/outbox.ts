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

/** Why an entry left the outbox without being delivered. */
export const DropReason = {
  /** The forge refused it for good (401, 403, 404, 422): retrying cannot help. */
  Refused: 'refused',
  /** It waited longer than OutboxLimits.maxAgeMs. */
  Expired: 'expired',
  /** The outbox held more than OutboxLimits.maxEntries: the oldest went. */
  Overflow: 'overflow',
} as const;
export type DropReason = (typeof DropReason)[keyof typeof DropReason];

/** A status given up on, kept (the last few) so an operator can see what was lost and why. */
export interface DroppedEntry {
  readonly forgeId: string;
  readonly sha: string;
  readonly context: string;
  readonly state: CommitStatus['state'];
  readonly reason: DropReason;
  /** The forge's answer (refused) or the last delivery error (expired, overflow). */
  readonly error: string;
  readonly droppedAt: number;
}

export interface OutboxLimits {
  /** Most entries kept; past it the oldest are dropped (recorded as overflow). Default 1000. */
  readonly maxEntries: number;
  /** Longest an entry may wait for its forge; older ones are dropped (recorded as expired). Default 24 h. */
  readonly maxAgeMs: number;
  /** How many dropped entries the outbox remembers, newest kept. Default 100. */
  readonly maxDropped: number;
}

export function defaultOutboxLimits(): OutboxLimits {
  return { maxEntries: 1000, maxAgeMs: 24 * 3600_000, maxDropped: 100 };
}

export interface Outbox {
  list(): Promise<OutboxEntry[]>;
  /** Queues (or replaces) the entry for its forge, SHA and context; then enforces the limits. */
  put(entry: OutboxEntry): Promise<void>;
  /** Forgets the entry for a forge, SHA and context, if any. */
  remove(forgeId: string, sha: string, context: string): Promise<void>;
  /** Records a status given up on (and forgets its entry, if queued). */
  drop(dropped: DroppedEntry): Promise<void>;
  /** Drops entries older than the age limit; returns what it dropped. */
  expire(): Promise<DroppedEntry[]>;
  /** The statuses given up on, oldest first (at most OutboxLimits.maxDropped). */
  dropped(): Promise<DroppedEntry[]>;
}

export function outboxKey(forgeId: string, sha: string, context: string): string {
  return `${forgeId}|${sha}|${context.toLowerCase()}`;
}

/**
 * The entries to keep and the ones to drop under the limits: first those older than maxAgeMs,
 * then the oldest past maxEntries. Pure.
 */
export function enforceOutboxLimits(entries: readonly OutboxEntry[], limits: OutboxLimits, now: number): { kept: OutboxEntry[]; dropped: DroppedEntry[] } {
  const dropped: DroppedEntry[] = [];
  const toDropped = (e: OutboxEntry, reason: DropReason): DroppedEntry => ({ forgeId: e.forgeId, sha: e.sha, context: e.status.context, state: e.status.state, reason, error: e.lastError, droppedAt: now });
  const fresh: OutboxEntry[] = [];
  for (const e of entries) {
    if (now - e.queuedAt > limits.maxAgeMs) dropped.push(toDropped(e, DropReason.Expired));
    else fresh.push(e);
  }
  if (fresh.length <= limits.maxEntries) return { kept: fresh, dropped };
  const byAge = [...fresh].sort((a, b) => a.queuedAt - b.queuedAt);
  const over = new Set(byAge.slice(0, fresh.length - limits.maxEntries));
  for (const e of byAge) if (over.has(e)) dropped.push(toDropped(e, DropReason.Overflow));
  return { kept: fresh.filter((e) => !over.has(e)), dropped };
}

interface OutboxFile {
  version: 1;
  entries: OutboxEntry[];
  dropped?: DroppedEntry[];
}

export interface FileOutboxOptions {
  readonly limits?: Partial<OutboxLimits> | undefined;
  /** The clock for ages (ms since epoch). */
  readonly now?: (() => number) | undefined;
  /** Told about each entry dropped, for a warn log line. */
  readonly onDrop?: ((dropped: DroppedEntry) => void) | undefined;
}

/**
 * An outbox kept in one small JSON file (written whole, through a temporary file and a rename,
 * so a crash leaves the old or the new content, never half). Survives restarts of the agent.
 * Bounded: at most maxEntries entries, none older than maxAgeMs, and the last maxDropped
 * statuses given up on, with the reason.
 */
export function createFileOutbox(path: string, options: FileOutboxOptions = {}): Outbox {
  const limits = { ...defaultOutboxLimits(), ...options.limits };
  const now = options.now ?? Date.now;
  let entries: Map<string, OutboxEntry> | undefined;
  let dropped: DroppedEntry[] = [];
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
      dropped = parsed.dropped ?? [];
    }
    entries = map;
    return map;
  };
  const save = async (map: Map<string, OutboxEntry>): Promise<void> => {
    const body: OutboxFile = { version: 1, entries: [...map.values()], dropped };
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(body, null, 1)}\n`, { mode: 0o600 });
    await rename(tmp, path);
  };
  const record = (d: DroppedEntry): void => {
    dropped.push(d);
    if (dropped.length > limits.maxDropped) dropped = dropped.slice(dropped.length - limits.maxDropped);
    options.onDrop?.(d);
  };
  /** Applies the limits to the map in place; true when anything was dropped. */
  const enforce = (map: Map<string, OutboxEntry>): DroppedEntry[] => {
    const { kept, dropped: out } = enforceOutboxLimits([...map.values()], limits, now());
    if (out.length === 0) return out;
    map.clear();
    for (const e of kept) map.set(outboxKey(e.forgeId, e.sha, e.status.context), e);
    for (const d of out) record(d);
    return out;
  };
  return {
    list: () => serial(async () => [...(await load()).values()]),
    put: (entry) =>
      serial(async () => {
        const map = await load();
        map.set(outboxKey(entry.forgeId, entry.sha, entry.status.context), entry);
        enforce(map);
        await save(map);
      }),
    remove: (forgeId, sha, context) =>
      serial(async () => {
        const map = await load();
        if (map.delete(outboxKey(forgeId, sha, context))) await save(map);
      }),
    drop: (d) =>
      serial(async () => {
        const map = await load();
        map.delete(outboxKey(d.forgeId, d.sha, d.context));
        record(d);
        await save(map);
      }),
    expire: () =>
      serial(async () => {
        const map = await load();
        const out = enforce(map);
        if (out.length) await save(map);
        return out;
      }),
    dropped: () =>
      serial(async () => {
        await load();
        return [...dropped];
      }),
  };
}

/** HTTP answers that mean the forge will never take this status as it is. */
const REFUSED = new Set([401, 403, 404, 422]);

/**
 * True when a delivery error is final: a terminal ReportError whose HTTP status says the token,
 * the repository or the status itself is refused (401, 403, 404, 422). 403 with an exhausted
 * rate limit is retried by the adapters before it gets here. Pure.
 */
export function isRefused(err: unknown): boolean {
  if (!(err instanceof ReportError) || err.retry !== Retry.Terminal) return false;
  const status = err.data.status;
  return typeof status === 'number' && REFUSED.has(status);
}
