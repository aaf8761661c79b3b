import type { KubeObject } from '../core/kube-object.js';
import type { Logger } from '../core/log.js';
import type { KubeClient, WatchHandle } from '../kube/kube-client.js';
import { statusCodeOf } from '../kube/kube-client.js';
import { computeBackoffMs, defaultBackoffOptions } from './backoff.js';
import { FLEET_API_VERSION, FLEET_KIND } from './fleet-resource.js';

export type FleetEvent = { readonly type: 'upsert'; readonly object: KubeObject } | { readonly type: 'delete'; readonly key: string };

export interface FleetWatchOptions {
  /** Watch one namespace; undefined: all namespaces. */
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly log: Logger;
  readonly onEvent: (e: FleetEvent) => void;
  /** Called once the first LIST has been delivered (readiness). */
  readonly onSynced?: (() => void) | undefined;
}

/**
 * Keeps a cache of Fleet objects from one LIST and then a WATCH from its resourceVersion, as an
 * informer does: reopens the watch when the server closes it, re-LISTs on 410 Gone (reporting
 * the objects that vanished meanwhile as deletes), and backs off on errors. Costs one LIST at
 * start and one WATCH request per server timeout (5 min) while nothing changes.
 */
export function watchFleets(client: KubeClient, options: FleetWatchOptions): { stop(): Promise<void>; objects(): KubeObject[] } {
  const cache = new Map<string, KubeObject>();
  const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
  let stopped = false;
  let handle: WatchHandle | undefined;
  let wake: (() => void) | undefined;
  let synced = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const relist = async (): Promise<string | undefined> => {
    const list = await client.list(FLEET_API_VERSION, FLEET_KIND, options.namespace, options.labelSelector ? { labelSelector: options.labelSelector } : {});
    const seen = new Set<string>();
    for (const o of list.items) {
      const key = keyOf(o);
      seen.add(key);
      const old = cache.get(key);
      cache.set(key, o);
      if (old?.metadata.resourceVersion !== o.metadata.resourceVersion) options.onEvent({ type: 'upsert', object: o });
    }
    for (const key of [...cache.keys()]) {
      if (!seen.has(key)) {
        cache.delete(key);
        options.onEvent({ type: 'delete', key });
      }
    }
    if (!synced) {
      synced = true;
      options.onSynced?.();
    }
    return list.resourceVersion;
  };

  const loop = async () => {
    let resourceVersion: string | undefined;
    let failures = 0;
    while (!stopped) {
      try {
        if (!resourceVersion) resourceVersion = await relist();
        let gone = false;
        handle = await client.watch({ apiVersion: FLEET_API_VERSION, kind: FLEET_KIND, namespace: options.namespace }, { resourceVersion, labelSelector: options.labelSelector }, (e) => {
          if (e.type === 'BOOKMARK') {
            resourceVersion = e.object.metadata.resourceVersion ?? resourceVersion;
            return;
          }
          if (e.type === 'ERROR') {
            gone = true; // 410 Gone or another error: list again
            return;
          }
          resourceVersion = e.object.metadata.resourceVersion ?? resourceVersion;
          const key = keyOf(e.object);
          if (e.type === 'DELETED') {
            cache.delete(key);
            options.onEvent({ type: 'delete', key });
          } else {
            cache.set(key, e.object);
            options.onEvent({ type: 'upsert', object: e.object });
          }
        });
        await handle.done;
        if (gone) resourceVersion = undefined;
        failures = 0;
      } catch (e) {
        if (stopped) break;
        if (statusCodeOf(e) === 410 || (e as { code?: number }).code === 410) resourceVersion = undefined;
        failures++;
        const delay = computeBackoffMs(failures, { ...defaultBackoffOptions(), baseMs: 500, maxMs: 30_000 }, Math.random());
        options.log.warn({ error: (e as Error).message, retryInMs: delay }, 'fleet watch failed, retrying');
        await sleep(delay);
      }
    }
  };
  const running = loop();
  return {
    objects: () => [...cache.values()],
    async stop() {
      stopped = true;
      handle?.stop();
      wake?.();
      await running;
    },
  };
}
