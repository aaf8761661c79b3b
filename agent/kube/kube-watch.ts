import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../core/kube-object.js';

/** One event of a watch stream. BOOKMARK carries only a resourceVersion; ERROR a Status (410 Gone: list again). */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: KubeObject;
}

export interface WatchOptions {
  /** Start after this resourceVersion (from a LIST); unset: the server sends ADDED for every object first. */
  readonly resourceVersion?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** The server closes the stream after this many seconds (default 300); the caller reopens it. */
  readonly timeoutSeconds?: number | undefined;
}

/** An open watch. `done` settles when the stream ends: normally (server timeout, stop()) or with the error. */
export interface WatchHandle {
  stop(): void;
  readonly done: Promise<void>;
}

/**
 * Opens a watch on `path` (a collection URL) and calls `onEvent` per line of the stream.
 * Authentication and TLS come from the kubeconfig (client certificates, bearer tokens,
 * in-cluster service account). Non-200 answers reject `done` with an error carrying `code`.
 */
export async function openWatch(kubeConfig: KubeConfig, server: string, path: string, options: WatchOptions, onEvent: (e: WatchEvent) => void): Promise<WatchHandle> {
  const url = new URL(server.replace(/\/+$/, '') + path);
  url.searchParams.set('watch', 'true');
  url.searchParams.set('allowWatchBookmarks', 'true');
  url.searchParams.set('timeoutSeconds', String(options.timeoutSeconds ?? 300));
  if (options.resourceVersion) url.searchParams.set('resourceVersion', options.resourceVersion);
  if (options.labelSelector) url.searchParams.set('labelSelector', options.labelSelector);
  if (options.fieldSelector) url.searchParams.set('fieldSelector', options.fieldSelector);
  const opts: RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await kubeConfig.applyToHTTPSOptions(opts);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  let stopped = false;
  let req: ReturnType<typeof httpsRequest> | undefined;
  const done = new Promise<void>((resolve, reject) => {
    req = send(url, opts, (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c.length < 4096 ? c : ''));
        res.on('end', () => reject(Object.assign(new Error(`watch ${path}: HTTP ${res.statusCode}: ${body.slice(0, 300)}`), { code: res.statusCode })));
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (!line) continue;
          let event: WatchEvent;
          try {
            event = JSON.parse(line) as WatchEvent;
          } catch {
            continue; // a torn line: the next LIST catches up
          }
          if (!stopped) onEvent(event);
        }
      });
      res.on('end', () => resolve());
      res.on('error', (e) => (stopped ? resolve() : reject(e)));
      res.on('close', () => resolve());
    });
    req.on('error', (e) => (stopped ? resolve() : reject(e)));
    req.end();
  });
  return {
    stop() {
      stopped = true;
      req?.destroy();
    },
    done,
  };
}
