import { ApplyError, Retry } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import type { KubeClient } from '../kube/kube-client.js';

/** One kind in one namespace (or cluster-wide when `namespace` is undefined). */
export interface WatchScope {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string | undefined;
}

export function scopeKey(s: WatchScope): string {
  return `${s.apiVersion}|${s.kind}|${s.namespace ?? ''}`;
}

export function formatScope(s: WatchScope): string {
  return `${s.kind}.${s.apiVersion} in ${s.namespace ?? 'all namespaces'}`;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: KubeObject;
}

/** The LIST then WATCH pair an informer needs; each call is counted. */
export interface ListWatchClient {
  /** LIST requests (pages) and WATCH streams opened through this client. */
  readonly requests: { list: number; watch: number };
  /** Every object of the scope (paginated) and the list's resourceVersion to watch from. */
  list(scope: WatchScope): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  /**
   * Streams changes after `resourceVersion` until the server ends the watch (resolves) or the
   * signal aborts (resolves). Rejects with a WatchExpired when the resourceVersion is too old
   * (410 Gone: list again), with an ApplyError otherwise (network, 5xx, 403: back off).
   */
  watch(scope: WatchScope, resourceVersion: string, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void>;
}

/** The resourceVersion a watch started from is gone from the apiserver's window: list again. */
export class WatchExpired extends Error {
  constructor(where: string) {
    super(`${where} watch: resourceVersion expired (410 Gone)`);
  }
}

/**
 * LIST and WATCH through the agent's one Kubernetes client (agent/kube), so every request is
 * counted with the rest. A kind the server does not serve lists as empty (its CRD may come later;
 * the informer's backoff asks again).
 */
export function createListWatchClient(client: KubeClient, options: { watchTimeoutSeconds?: number | undefined } = {}): ListWatchClient {
  const requests = { list: 0, watch: 0 };
  return {
    requests,
    async list(scope) {
      if (!(await client.resourceFor(scope.apiVersion, scope.kind))) {
        throw new ApplyError(`${formatScope(scope)} NotFound: the server does not serve kind ${scope.kind} in ${scope.apiVersion}`, { retry: Retry.Transient });
      }
      const r = await client.list(scope.apiVersion, scope.kind, scope.namespace);
      requests.list += r.requests;
      return { items: r.items.map((o) => ({ ...o, apiVersion: scope.apiVersion, kind: scope.kind })), resourceVersion: r.resourceVersion ?? '' };
    },
    async watch(scope, resourceVersion, onEvent, signal) {
      const where = formatScope(scope);
      if (signal.aborted) return;
      requests.watch++;
      let failed: Error | undefined;
      let handle: Awaited<ReturnType<KubeClient['watch']>>;
      try {
        handle = await client.watch(scope, { resourceVersion, timeoutSeconds: options.watchTimeoutSeconds ?? 300 }, (e) => {
          if (failed) return;
          if (e.type === 'ERROR') {
            const status = e.object as unknown as { code?: number; message?: string };
            failed = status.code === 410 ? new WatchExpired(where) : new ApplyError(`${where} watch: ${status.message ?? 'error event'}`, { retry: Retry.Transient });
            handle?.stop();
            return;
          }
          onEvent({ type: e.type, object: { ...e.object, apiVersion: scope.apiVersion, kind: scope.kind } });
        });
      } catch (e) {
        if (signal.aborted) return;
        throw asWatchError(e, where);
      }
      const abort = () => handle.stop();
      signal.addEventListener('abort', abort, { once: true });
      try {
        await handle.done;
      } catch (e) {
        if (!signal.aborted && !failed) throw asWatchError(e, where);
      } finally {
        signal.removeEventListener('abort', abort);
      }
      if (failed) throw failed;
    },
  };
}

function asWatchError(e: unknown, where: string): Error {
  const code = (e as { code?: unknown }).code;
  if (code === 410) return new WatchExpired(where);
  if (e instanceof ApplyError) return e;
  return new ApplyError(`${where} watch failed: ${(e as Error).message}`, { retry: typeof code === 'number' && code < 500 && code !== 429 ? Retry.Terminal : Retry.Transient, cause: e });
}
