import { ReportError, Retry } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { CommitStatus, PostedStatus } from './commit-status.js';
import type { Forge } from './forge.js';
import { DropReason, isRefused, type Outbox, type OutboxEntry } from './outbox.js';

export interface PostStatusesResult {
  /** Contexts posted now. */
  readonly posted: readonly string[];
  /** Contexts whose latest status on the forge already said the same. */
  readonly unchanged: readonly string[];
  /** Contexts that could not be delivered and wait in the outbox. */
  readonly queued: readonly string[];
  /**
   * Contexts the forge refused for good (401, 403, 404, 422): recorded in the outbox's dropped
   * list and logged, never retried. Absent when none.
   */
  readonly dropped?: readonly string[] | undefined;
}

export interface PostStatusesDeps {
  readonly log: Logger;
  /** Where undeliverable statuses wait; without one, the first failure throws. */
  readonly outbox?: Outbox | undefined;
  readonly now?: (() => number) | undefined;
}

/**
 * Posts the statuses of one commit, only those that change what the forge shows: it reads the
 * latest status per context first and skips any with the same state and description. A status
 * that cannot be delivered goes to the outbox (replacing an older one for the same context), and
 * one delivered or found current leaves it.
 */
export async function postStatuses(forge: Forge, sha: string, statuses: readonly CommitStatus[], deps: PostStatusesDeps): Promise<PostStatusesResult> {
  const log = deps.log.child({ forge: forge.id, sha });
  const now = deps.now ?? Date.now;
  const wanted = new Map<string, CommitStatus>();
  for (const s of statuses) wanted.set(s.context.toLowerCase(), s); // the last one for a context wins
  const posted: string[] = [];
  const unchanged: string[] = [];
  const queued: string[] = [];
  const dropped: string[] = [];
  const previous = new Map<string, OutboxEntry>();
  if (deps.outbox) for (const e of await deps.outbox.list()) if (e.forgeId === forge.id && e.sha === sha) previous.set(e.status.context.toLowerCase(), e);
  const queue = async (status: CommitStatus, err: unknown): Promise<void> => {
    if (!deps.outbox) throw err;
    const before = previous.get(status.context.toLowerCase());
    const message = err instanceof Error ? err.message : String(err);
    if (isRefused(err)) {
      // Retrying cannot help (bad token, no such repository or commit, a status the forge
      // rejects): record it, say so once, and let the next status for the context through.
      await deps.outbox.drop({ forgeId: forge.id, sha, context: status.context, state: status.state, reason: DropReason.Refused, error: message, droppedAt: now() });
      dropped.push(status.context);
      log.error({ context: status.context, state: status.state, err: message }, 'commit status refused by the forge, dropped');
      return;
    }
    await deps.outbox.put({ forgeId: forge.id, sha, status, attempts: (before?.attempts ?? 0) + 1, queuedAt: before?.queuedAt ?? now(), lastError: message });
    queued.push(status.context);
    log.warn({ context: status.context, state: status.state, err: message }, 'commit status queued for retry');
  };
  let latest: ReadonlyMap<string, PostedStatus>;
  try {
    latest = lowerKeys(await forge.getLatestStatuses(sha));
  } catch (err) {
    for (const s of wanted.values()) await queue(s, err);
    return result(posted, unchanged, queued, dropped);
  }
  for (const [key, status] of wanted) {
    if (forge.isCurrent(latest.get(key), status)) {
      unchanged.push(status.context);
      log.debug({ context: status.context, state: status.state }, 'commit status unchanged');
    } else {
      try {
        await postOnce(forge, sha, key, status);
      } catch (err) {
        await queue(status, err);
        continue;
      }
      posted.push(status.context);
      log.info({ context: status.context, state: status.state, description: status.description }, 'commit status posted');
    }
    if (previous.has(key)) await deps.outbox!.remove(forge.id, sha, status.context);
  }
  return result(posted, unchanged, queued, dropped);
}

/**
 * Posts one status. When the POST got no answer it may have landed: read the context's latest
 * status back and post again only if it is not there, so a lost answer never makes a duplicate.
 */
async function postOnce(forge: Forge, sha: string, key: string, status: CommitStatus): Promise<void> {
  try {
    await forge.postStatus(sha, status);
  } catch (err) {
    if (!unanswered(err)) throw err;
    const landed = lowerKeys(await forge.getLatestStatuses(sha)).get(key);
    if (forge.isCurrent(landed, status)) return;
    await forge.postStatus(sha, status);
  }
}

/** A transient failure with no HTTP status: the request got no answer (connection lost, timeout). */
function unanswered(err: unknown): boolean {
  return err instanceof ReportError && err.retry === Retry.Transient && err.data.status === undefined;
}

function result(posted: string[], unchanged: string[], queued: string[], dropped: string[]): PostStatusesResult {
  return dropped.length ? { posted, unchanged, queued, dropped } : { posted, unchanged, queued };
}

/**
 * Retries what waits in the outbox (at start-up and on each reconcile), through the same
 * read-back and dedupe. Entries for forges it does not know stay where they are.
 */
export async function flushOutbox(outbox: Outbox, forgeOf: (forgeId: string) => Forge | undefined, deps: Omit<PostStatusesDeps, 'outbox'>): Promise<PostStatusesResult> {
  for (const d of await outbox.expire()) deps.log.warn({ forge: d.forgeId, sha: d.sha, context: d.context, reason: d.reason, err: d.error }, 'queued commit status dropped');
  const groups = new Map<string, { forge: Forge; sha: string; statuses: CommitStatus[] }>();
  for (const e of await outbox.list()) {
    const forge = forgeOf(e.forgeId);
    if (!forge) continue;
    const key = `${e.forgeId}|${e.sha}`;
    const g = groups.get(key) ?? { forge, sha: e.sha, statuses: [] };
    g.statuses.push(e.status);
    groups.set(key, g);
  }
  const total = { posted: [] as string[], unchanged: [] as string[], queued: [] as string[], dropped: [] as string[] };
  for (const g of groups.values()) {
    const r = await postStatuses(g.forge, g.sha, g.statuses, { ...deps, outbox });
    total.posted.push(...r.posted);
    total.unchanged.push(...r.unchanged);
    total.queued.push(...r.queued);
    total.dropped.push(...(r.dropped ?? []));
  }
  return result(total.posted, total.unchanged, total.queued, total.dropped);
}

function lowerKeys(map: ReadonlyMap<string, PostedStatus>): Map<string, PostedStatus> {
  const out = new Map<string, PostedStatus>();
  for (const [k, v] of map) if (!out.has(k.toLowerCase())) out.set(k.toLowerCase(), v);
  return out;
}
