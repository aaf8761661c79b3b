import type { KubeObject } from '../core/kube-object.js';
import { silentLogger, type Logger } from '../core/log.js';
import { formatScope, WatchExpired, type ListWatchClient, type WatchEvent, type WatchScope } from './health-watch-client.js';

/**
 * A local cache of one kind in one namespace, kept current by one LIST and then WATCH from its
 * resourceVersion: a watch the server ends is resumed from the last resourceVersion seen (no
 * new LIST); a resourceVersion too old (410) costs one LIST, diffed into the cache; an
 * apiserver that is down is retried with jittered exponential backoff, and picks up where it
 * left off, so no change is lost. Never a timer that re-lists.
 */
export interface Informer {
  readonly scope: WatchScope;
  /** The cached objects (managedFields dropped). */
  objects(): IterableIterator<KubeObject>;
  /** True once the first LIST has filled the cache. */
  readonly synced: boolean;
  /** Resolves after the first LIST. */
  whenSynced(): Promise<void>;
  /** The resourceVersion of the last LIST or event applied. */
  readonly resourceVersion: string | undefined;
  /**
   * Puts an object this process just wrote (the server's answer) into the cache before its watch
   * event arrives; an event already newer (a larger resourceVersion) is kept. `deleted` removes it.
   */
  record(obj: KubeObject, deleted?: boolean): void;
  /** Consecutive failed attempts; 0 while watching. */
  readonly failures: number;
  stop(): void;
}

export interface InformerOptions {
  /** Called after the cache changed (an object added, changed or removed, or a relist that changed anything). */
  readonly onChange: (scope: WatchScope) => void;
  readonly log?: Logger | undefined;
  /** First backoff delay after a failure; doubles per failure. Default 500 ms. */
  readonly backoffBaseMs?: number | undefined;
  /** Longest backoff. Default 30 s. */
  readonly backoffMaxMs?: number | undefined;
  readonly random?: (() => number) | undefined;
  /** Keep metadata.managedFields (the apply path's drift check reads them). Default false. */
  readonly keepManagedFields?: boolean | undefined;
}

export function startInformer(client: ListWatchClient, scope: WatchScope, options: InformerOptions): Informer {
  const log = (options.log ?? silentLogger).child({ watch: formatScope(scope) });
  const base = options.backoffBaseMs ?? 500;
  const max = options.backoffMaxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const cache = new Map<string, KubeObject>();
  const abort = new AbortController();
  let stopped = false;
  let synced = false;
  let failures = 0;
  let resolveSynced!: () => void;
  const syncedPromise = new Promise<void>((r) => (resolveSynced = r));
  let wake: (() => void) | undefined;
  let lastRv: string | undefined;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
  const slim = (o: KubeObject): KubeObject => {
    if (options.keepManagedFields || !o.metadata.managedFields) return o;
    const { managedFields: _drop, ...metadata } = o.metadata;
    return { ...o, metadata };
  };

  const apply = (event: WatchEvent): boolean => {
    if (event.type === 'BOOKMARK') return false;
    const key = keyOf(event.object);
    // A write recorded from its answer (record) can be newer than an event still in flight for an
    // older version of the same object: the older event must not bring the old copy back.
    const cached = cache.get(key);
    if (cached && newer(cached.metadata.resourceVersion, event.object.metadata.resourceVersion)) return false;
    if (event.type === 'DELETED') return cache.delete(key);
    cache.set(key, slim(event.object));
    return true;
  };

  const relist = async (): Promise<string> => {
    const { items, resourceVersion } = await client.list(scope);
    let changed = !synced;
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item);
      seen.add(key);
      const before = cache.get(key);
      if (before?.metadata.resourceVersion !== item.metadata.resourceVersion) changed = true;
      cache.set(key, slim(item));
    }
    for (const key of [...cache.keys()]) {
      if (!seen.has(key)) {
        cache.delete(key);
        changed = true;
      }
    }
    lastRv = resourceVersion;
    if (!synced) {
      synced = true;
      resolveSynced();
    }
    if (changed) options.onChange(scope);
    return resourceVersion;
  };

  void (async () => {
    let rv: string | undefined;
    while (!stopped) {
      try {
        if (rv === undefined) rv = await relist();
        failures = 0;
        await client.watch(
          scope,
          rv,
          (event) => {
            rv = event.object.metadata.resourceVersion ?? rv;
            lastRv = rv;
            if (apply(event)) options.onChange(scope);
          },
          abort.signal,
        );
        // The server ended the watch (its timeout): resume from the last resourceVersion.
      } catch (e) {
        if (stopped) break;
        if (e instanceof WatchExpired) {
          log.debug({}, 'watch expired, listing again');
          rv = undefined;
          continue;
        }
        failures++;
        const delay = Math.min(max, base * 2 ** (failures - 1)) * (0.5 + random() / 2);
        log.warn({ error: (e as Error).message, failures, delayMs: Math.round(delay) }, 'watch failed, backing off');
        await sleep(delay);
      }
    }
  })();

  return {
    scope,
    objects: () => cache.values(),
    get synced() {
      return synced;
    },
    whenSynced: () => syncedPromise,
    get failures() {
      return failures;
    },
    get resourceVersion() {
      return lastRv;
    },
    record(obj, deleted) {
      const key = keyOf(obj);
      const cached = cache.get(key);
      if (cached && newer(cached.metadata.resourceVersion, obj.metadata.resourceVersion)) return;
      if (deleted) cache.delete(key);
      else cache.set(key, slim(obj));
    },
    stop() {
      stopped = true;
      abort.abort();
      wake?.();
    },
  };
}

/** True when resourceVersion `a` is known to be newer than `b` (both etcd revisions, decimal). */
function newer(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return a.length !== b.length ? a.length > b.length : a > b;
}
