import type { KubeObject } from '../core/kube-object.js';
import { silentLogger, type Logger } from '../core/log.js';
import type { ObjectRef } from '../core/object-ref.js';
import type { ApplyCallOptions, DeleteOutcome, DeletePreconditions, KubeClient, ListResult } from '../kube/kube-client.js';
import { startInformer, type Informer } from './health-informer.js';
import { createListWatchClient, scopeKey, type WatchScope } from './health-watch-client.js';

export interface WatchCachedClientOptions {
  readonly log?: Logger | undefined;
  /** How long a first LIST may take before a read goes to the server directly instead. Default 60 s. */
  readonly syncTimeoutMs?: number | undefined;
}

export interface WatchCachedClient extends KubeClient {
  /** Kind-and-namespace scopes served from a watch (one LIST when first read, then WATCH). */
  readonly scopes: number;
  /** Stops every watch. */
  close(): void;
}

/**
 * The agent's reads of live state without re-listing the fleet: the first `list` of a kind in a
 * namespace starts an informer (one LIST, then WATCH from its resourceVersion, full objects with
 * their managedFields, as the drift check needs), and every later `list` of that scope is
 * answered from its cache, kept current by the watch. The client's own writes (apply, delete)
 * are put into the cache from the server's answer, so the next reconcile never reads back an
 * older copy of what it wrote. Reads with a label selector, single GETs and every write go to
 * the server as they are. A scope whose watch is failing (apiserver away) is read from the
 * server directly until it watches again.
 *
 * The reconcile library keeps deciding what to read; the agent decides that a read may come
 * from its watches.
 */
export function createWatchCachedClient(client: KubeClient, options: WatchCachedClientOptions = {}): WatchCachedClient {
  const log = (options.log ?? silentLogger).child({ stage: 'live-cache' });
  const lw = createListWatchClient(client);
  const informers = new Map<string, Informer>();
  const syncTimeoutMs = options.syncTimeoutMs ?? 60_000;

  const informerFor = (scope: WatchScope): Informer => {
    const key = scopeKey(scope);
    let inf = informers.get(key);
    if (!inf) {
      inf = startInformer(lw, scope, { onChange: () => undefined, log, keepManagedFields: true });
      informers.set(key, inf);
    }
    return inf;
  };

  /** The informer holding `obj`'s scope, when one was started (writes never start one). */
  const cachedScopeOf = (obj: Pick<ObjectRef, 'apiVersion' | 'kind' | 'namespace'>): Informer | undefined =>
    informers.get(scopeKey({ apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.namespace || undefined }));

  const list = async (apiVersion: string, kind: string, namespace?: string, opts: { labelSelector?: string } = {}): Promise<ListResult> => {
    if (opts.labelSelector) {
      // Equality selectors (the inventories' `app.kubernetes.io/managed-by=drover`) are answered
      // from the scope's watch like any list; anything else goes to the server.
      const wanted = equalitySelector(opts.labelSelector);
      if (!wanted) return client.list(apiVersion, kind, namespace, opts);
      const all = await list(apiVersion, kind, namespace);
      return { ...all, items: all.items.filter((o) => wanted.every(([k, v]) => o.metadata.labels?.[k] === v)) };
    }
    const existed = informers.has(scopeKey({ apiVersion, kind, namespace }));
    const inf = informerFor({ apiVersion, kind, namespace });
    if (!inf.synced) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([inf.whenSynced(), new Promise<void>((r) => (timer = setTimeout(r, syncTimeoutMs)))]);
      clearTimeout(timer);
    }
    if (!inf.synced || inf.failures > 0) return client.list(apiVersion, kind, namespace);
    // The informer's first LIST is this read's request; later reads cost none.
    return { items: [...inf.objects()], requests: existed ? 0 : 1, resourceVersion: inf.resourceVersion };
  };

  return {
    get fieldManager() {
      return client.fieldManager;
    },
    get requests() {
      return client.requests;
    },
    get scopes() {
      return informers.size;
    },
    resourceFor: (apiVersion, kind) => client.resourceFor(apiVersion, kind),
    list,
    get: (ref) => client.get(ref),
    async apply(obj: KubeObject, opts: ApplyCallOptions) {
      const stored = await client.apply(obj, opts);
      if (!opts.dryRun) cachedScopeOf({ apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace })?.record({ ...stored, apiVersion: obj.apiVersion, kind: obj.kind });
      return stored;
    },
    async delete(ref: ObjectRef, preconditions: DeletePreconditions): Promise<DeleteOutcome> {
      const outcome = await client.delete(ref, preconditions);
      // Gone, or going (finalizers): the watch tells when it is gone for good; a deleted object is not live state to keep.
      if (outcome === 'gone') cachedScopeOf(ref)?.record({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } }, true);
      return outcome;
    },
    create: (obj) => client.create(obj),
    replace: (obj) => client.replace(obj),
    mergePatch: (ref, patch) => client.mergePatch(ref, patch),
    applyStatus: (obj, fieldManager) => client.applyStatus(obj, fieldManager),
    watch: (scope, opts, onEvent) => client.watch(scope, opts, onEvent),
    close() {
      for (const inf of informers.values()) inf.stop();
      informers.clear();
    },
  };
}

/** `k=v,k2==v2` as pairs; undefined for any other selector (sets, existence, inequality). */
export function equalitySelector(selector: string): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = [];
  for (const part of selector.split(',')) {
    const m = /^\s*([A-Za-z0-9._/-]+)\s*==?\s*([A-Za-z0-9._-]*)\s*$/.exec(part);
    if (!m || part.includes('!=')) return undefined;
    pairs.push([m[1]!, m[2]!]);
  }
  return pairs.length ? pairs : undefined;
}
