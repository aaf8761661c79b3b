// A small local HTTP server for forge API stand-ins: routes by method and path template,
// JSON in and out, a log of every request (with its headers, so tests can check auth), and
// injected faults (5xx, 429 with Retry-After) that answer the next matching requests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonRequest {
  readonly method: string;
  /** Path without the server's prefix and without the query. */
  readonly path: string;
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
  /** The raw body text ('' when none). */
  readonly text: string;
}

export interface JsonReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface Route {
  readonly method: string;
  /** `/repos/{owner}/{repo}/statuses/{sha}`; a `{name}` matches one path segment. */
  readonly template: string;
  handle(req: JsonRequest): JsonReply;
}

export interface Fault {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** Only requests with this method (default: any). */
  readonly method?: string;
  /** Never answer (until the server closes): a forge that hangs. */
  readonly hang?: boolean;
  /**
   * With `hang`: carry the request out first (the route's handler runs, a comment is created),
   * then never answer: the request did happen but the client cannot know.
   */
  readonly afterHandling?: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly status: number;
  readonly body: string;
}

export interface JsonServer {
  /** `http://127.0.0.1:<port><prefix>` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The next `times` requests (matching `fault.method`) get this answer instead of the route's. */
  failNext(fault: Fault, times?: number): void;
  /** Drops every fault not yet used up. */
  clearFaults(): void;
  close(): Promise<void>;
}

export async function startJsonServer(options: {
  routes: readonly Route[];
  prefix?: string;
  /** Answer for requests no route matches. */
  notFound?: (req: JsonRequest) => JsonReply;
  /** Called before routing; return a reply to refuse the request (auth). */
  guard?: (req: JsonRequest) => JsonReply | undefined;
}): Promise<JsonServer> {
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const compiled = options.routes.map((r) => ({ route: r, ...compile(r.template) }));
  const requests: RecordedRequest[] = [];
  const faults: { fault: Fault; left: number }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      const send = (reply: JsonReply): void => {
        const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
        requests.push({ method, path: url.pathname, query: url.search, headers: req.headers, status: reply.status, body: text });
        res.writeHead(reply.status, { ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...reply.headers });
        res.end(payload);
      };
      const fault = faults.find((f) => f.left > 0 && (!f.fault.method || f.fault.method === method));
      if (fault?.fault.hang && fault.fault.afterHandling) {
        fault.left--;
        const path = url.pathname.slice(prefix.length);
        const body = text ? (JSON.parse(text) as unknown) : undefined;
        for (const c of compiled) {
          const m = c.route.method === method ? c.regex.exec(path) : null;
          if (!m) continue;
          const params: Record<string, string> = {};
          c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
          c.route.handle({ method, path, params, query: url.searchParams, headers: req.headers, body, text });
          break;
        }
        requests.push({ method, path: url.pathname, query: url.search, headers: req.headers, status: 0, body: text });
        return;
      }
      if (fault) {
        fault.left--;
        if (fault.fault.hang) {
          requests.push({ method, path: url.pathname, query: url.search, headers: req.headers, status: 0, body: text });
          return;
        }
        send({ status: fault.fault.status, headers: fault.fault.headers, body: fault.fault.body ?? { message: 'injected fault' } });
        return;
      }
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        send({ status: 400, body: { message: 'Problems parsing JSON' } });
        return;
      }
      if (prefix && !url.pathname.startsWith(`${prefix}/`)) {
        send({ status: 404, body: { message: 'Not Found' } });
        return;
      }
      const path = url.pathname.slice(prefix.length);
      const base: JsonRequest = { method, path, params: {}, query: url.searchParams, headers: req.headers, body, text };
      const refused = options.guard?.(base);
      if (refused) {
        send(refused);
        return;
      }
      for (const c of compiled) {
        if (c.route.method !== method) continue;
        const m = c.regex.exec(path);
        if (!m) continue;
        const params: Record<string, string> = {};
        c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
        try {
          send(c.route.handle({ ...base, params }));
        } catch (err) {
          send({ status: 500, body: { message: `stand-in server bug: ${(err as Error).message}` } });
        }
        return;
      }
      send(options.notFound?.(base) ?? { status: 404, body: { message: 'Not Found' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    failNext: (fault, times = 1) => faults.push({ fault, left: times }),
    clearFaults: () => faults.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function compile(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split('/')
    .map((seg) => {
      const m = /^\{(.+)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${source}$`), names };
}
