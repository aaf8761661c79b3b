import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';
import type { AgentMetrics } from './metrics.js';

/**
 * isomorphic-git's HTTP client for one Fleet's repository, recording each request in the
 * metrics: `list-refs` (GET info/refs) or `fetch-pack` (POST git-upload-pack), its duration
 * until the body was read, and the bytes received. The URL (which may hold credentials) is
 * never a label.
 */
export function meterGitHttp(http: HttpClient, fleet: string, metrics: AgentMetrics, now: () => number = () => performance.now()): HttpClient {
  return {
    async request(req: GitHttpRequest): Promise<GitHttpResponse> {
      const operation = /\/info\/refs(\?|$)/.test(req.url) ? 'list-refs' : 'fetch-pack';
      const started = now();
      let res: GitHttpResponse;
      try {
        res = await http.request(req);
      } catch (e) {
        metrics.recordGitRequest({ fleet, operation, result: 'error', seconds: (now() - started) / 1000, bytes: 0 });
        throw e;
      }
      const ok = res.statusCode < 400;
      const body = res.body;
      if (!body) {
        metrics.recordGitRequest({ fleet, operation, result: ok ? 'ok' : 'error', seconds: (now() - started) / 1000, bytes: 0 });
        return res;
      }
      return { ...res, body: countBody(body, (bytes, failed) => metrics.recordGitRequest({ fleet, operation, result: ok && !failed ? 'ok' : 'error', seconds: (now() - started) / 1000, bytes })) };
    },
  };
}

/** Passes the chunks through and reports the byte count once, when the body ends (or fails, or is abandoned). */
function countBody(body: AsyncIterableIterator<Uint8Array>, done: (bytes: number, failed: boolean) => void): AsyncIterableIterator<Uint8Array> {
  let bytes = 0;
  let reported = false;
  const report = (failed: boolean) => {
    if (reported) return;
    reported = true;
    done(bytes, failed);
  };
  const it: AsyncIterableIterator<Uint8Array> = {
    async next() {
      try {
        const r = await body.next();
        if (r.done) report(false);
        else bytes += r.value.byteLength;
        return r;
      } catch (e) {
        report(true);
        throw e;
      }
    },
    async return(value?: unknown) {
      report(false);
      return body.return ? body.return(value) : { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
