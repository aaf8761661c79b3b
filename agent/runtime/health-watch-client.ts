import { request as httpRequest, Agent as HttpAgent, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ApplyError, Retry } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';

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

/** The LIST then WATCH pair an informer needs; each call is one request, counted. */
export interface ListWatchClient {
  readonly requests: { list: number; watch: number };
  /** Every object of the scope (paginated) and the list's resourceVersion to watch from. */
  list(scope: WatchScope): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  /**
   * Streams changes after `resourceVersion` until the server ends the watch (resolves) or the
   * signal aborts (resolves). Rejects with a WatchExpired when the resourceVersion is too old
   * (410 Gone: relist), with an ApplyError otherwise (network, 5xx, 403: back off).
   */
  watch(scope: WatchScope, resourceVersion: string, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void>;
}

/** The resourceVersion a watch started from is gone from the apiserver's window: list again. */
export class WatchExpired extends Error {
  constructor(where: string) {
    super(`${where} watch: resourceVersion expired (410 Gone)`);
  }
}

export interface ListWatchOptions {
  /** Resolves a kind's plural and scope (KubeClient.resourceFor). */
  readonly resourceFor: (apiVersion: string, kind: string) => Promise<{ plural: string; namespaced: boolean } | undefined>;
  /** Objects per LIST page. Default 500. */
  readonly pageSize?: number | undefined;
  /** The server ends each watch after about this long (client-go picks 5–10 min). Default 300 s. */
  readonly watchTimeoutSeconds?: number | undefined;
}

/**
 * LIST and WATCH over the kubeconfig's TLS and credentials, as plain JSON (no typed
 * deserialization), one keep-alive agent for the lists. Stands in until the kube edge has its
 * own watch; the informer only sees the ListWatchClient interface.
 */
export function createListWatchClient(kubeConfig: KubeConfig, options: ListWatchOptions): ListWatchClient {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new ApplyError('kubeconfig has no current cluster');
  const server = new URL(cluster.server);
  const secure = server.protocol === 'https:';
  const pageSize = options.pageSize ?? 500;
  const timeout = options.watchTimeoutSeconds ?? 300;
  const requests = { list: 0, watch: 0 };
  let base: Promise<RequestOptions> | undefined;
  const baseOptions = (): Promise<RequestOptions> =>
    (base ??= (async () => {
      const opts: RequestOptions & { agent?: unknown } = {};
      await kubeConfig.applyToHTTPSOptions(opts as never);
      return opts;
    })());
  let listAgent: HttpAgent | undefined;
  const pathOf = async (scope: WatchScope): Promise<string> => {
    const info = await options.resourceFor(scope.apiVersion, scope.kind);
    if (!info) throw new ApplyError(`${formatScope(scope)} NotFound: the server does not serve kind ${scope.kind} in ${scope.apiVersion}`, { retry: Retry.Transient });
    const root = scope.apiVersion.includes('/') ? `/apis/${scope.apiVersion}` : `/api/${scope.apiVersion}`;
    const ns = info.namespaced && scope.namespace ? `/namespaces/${encodeURIComponent(scope.namespace)}` : '';
    return `${server.pathname.replace(/\/+$/, '')}${root}${ns}/${info.plural}`;
  };
  const open = async (path: string, query: Record<string, string>, agent: HttpAgent | false, signal?: AbortSignal): Promise<IncomingMessage> => {
    const opts = await baseOptions();
    const qs = new URLSearchParams(query).toString();
    const send = secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        {
          ...opts,
          protocol: server.protocol,
          hostname: server.hostname,
          port: server.port,
          method: 'GET',
          path: `${path}?${qs}`,
          headers: { ...(opts.headers ?? {}), accept: 'application/json' },
          agent,
          ...(signal ? { signal } : {}),
        },
        resolve,
      );
      req.on('error', reject);
      req.end();
    });
  };
  return {
    requests,
    async list(scope) {
      const path = await pathOf(scope);
      const items: KubeObject[] = [];
      let token: string | undefined;
      let resourceVersion = '';
      listAgent ??= secure ? new HttpsAgent({ ...((await baseOptions()) as object), keepAlive: true, maxSockets: 4 }) : new HttpAgent({ keepAlive: true, maxSockets: 4 });
      do {
        requests.list++;
        let res: IncomingMessage;
        try {
          res = await open(path, { limit: String(pageSize), ...(token ? { continue: token } : {}) }, listAgent);
        } catch (e) {
          throw new ApplyError(`${formatScope(scope)} list request failed: ${(e as Error).message}`, { retry: Retry.Transient, cause: e });
        }
        const text = await readAll(res);
        if (res.statusCode !== 200) throw statusError(`${formatScope(scope)} list`, res.statusCode ?? 0, text);
        const page = JSON.parse(text) as { items?: KubeObject[]; metadata?: { continue?: string; resourceVersion?: string } };
        for (const item of page.items ?? []) items.push({ ...item, apiVersion: scope.apiVersion, kind: scope.kind });
        token = page.metadata?.continue || undefined;
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      } while (token);
      return { items, resourceVersion };
    },
    async watch(scope, resourceVersion, onEvent, signal) {
      const path = await pathOf(scope);
      const where = formatScope(scope);
      requests.watch++;
      let res: IncomingMessage;
      try {
        res = await open(path, { watch: '1', resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(timeout) }, false, signal);
      } catch (e) {
        if (signal.aborted) return;
        throw new ApplyError(`${where} watch request failed: ${(e as Error).message}`, { retry: Retry.Transient, cause: e });
      }
      if (res.statusCode === 410) throw new WatchExpired(where);
      if (res.statusCode !== 200) throw statusError(`${where} watch`, res.statusCode ?? 0, await readAll(res));
      await new Promise<void>((resolve, reject) => {
        let buffer = '';
        let failed: Error | undefined;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (!line || failed) continue;
            const event = JSON.parse(line) as { type: string; object: KubeObject & { code?: number; message?: string } };
            if (event.type === 'ERROR') {
              failed = event.object.code === 410 ? new WatchExpired(where) : new ApplyError(`${where} watch: ${event.object.message ?? 'error event'}`, { retry: Retry.Transient });
              res.destroy();
              continue;
            }
            onEvent({ type: event.type as WatchEventType, object: { ...event.object, apiVersion: scope.apiVersion, kind: scope.kind } });
          }
        });
        res.on('end', () => (failed ? reject(failed) : resolve()));
        res.on('close', () => (failed ? reject(failed) : resolve()));
        res.on('error', (e) => {
          if (failed) reject(failed);
          else if (signal.aborted) resolve();
          else reject(new ApplyError(`${where} watch stream broke: ${e.message}`, { retry: Retry.Transient, cause: e }));
        });
      });
    },
  };
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}

function statusError(where: string, code: number, text: string): ApplyError {
  let message = text.slice(0, 300);
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // not JSON
  }
  const transient = code === 429 || code >= 500 || code === 0;
  return new ApplyError(`${where} HTTP ${code}: ${message}`, { retry: transient ? Retry.Transient : Retry.Terminal, data: { code } });
}
