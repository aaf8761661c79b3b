import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/log.js';

/** What a route handler answers; `body` strings go as-is, anything else as JSON. */
export interface RouteResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /**
   * A response that stays open (server-sent events): called once the headers are sent; writes go
   * straight to the client until it disconnects or the server stops. `body` is ignored then.
   */
  readonly stream?: ((sink: ResponseStream) => void) | undefined;
}

/** The open end of a streaming response. */
export interface ResponseStream {
  /** Sends a chunk now; false once the client is gone. */
  write(chunk: string): boolean;
  /** Called once, when the client disconnects or the server stops. */
  onClose(listener: () => void): void;
}

export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  /** The raw body (webhooks verify signatures over it); read at most `maxBodyBytes`. */
  readonly body: Buffer;
}

export type RouteHandler = (req: RouteRequest) => RouteResponse | Promise<RouteResponse>;

export interface RouteOptions {
  /** The largest body this route reads; a bigger one is answered 413 without calling the handler. Default: the server's. */
  readonly maxBodyBytes?: number | undefined;
  /** Told when a request was answered 413 without reaching the handler (metrics). */
  readonly onBodyTooLarge?: ((req: { readonly path: string; readonly headers: IncomingMessage['headers'] }) => void) | undefined;
}

interface Route extends RouteOptions {
  readonly handler: RouteHandler;
}

/** The body bound of routes that name none (1 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 1 << 20;

export interface HttpServerOptions {
  /** Address to listen on (`0.0.0.0` in a pod, `127.0.0.1` in tests). */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly maxBodyBytes?: number | undefined;
  readonly log: Logger;
}

/**
 * The agent's one HTTP server. Plug-ins register routes (`GET /metrics`, `POST /hooks/github`,
 * `GET /` for the page) by method and exact path, or by a path prefix ending in `/`. The agent
 * registers `/healthz` (the process serves) and `/readyz` (the Fleet watch is synced).
 */
export class HttpServer {
  private readonly routes = new Map<string, Route>();
  private readonly prefixes: Array<{ method: string; prefix: string; route: Route }> = [];
  private server: Server | undefined;

  constructor(private readonly options: HttpServerOptions) {}

  /** Registers a handler; `path` ending in `/` matches every path under it. A second registration of the same route throws. */
  route(method: string, path: string, handler: RouteHandler, options: RouteOptions = {}): void {
    const m = method.toUpperCase();
    const route: Route = { ...options, handler };
    if (path.endsWith('/') && path !== '/') {
      if (this.prefixes.some((p) => p.method === m && p.prefix === path)) throw new Error(`route ${m} ${path} is registered already`);
      this.prefixes.push({ method: m, prefix: path, route });
      this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
      return;
    }
    const key = `${m} ${path}`;
    if (this.routes.has(key)) throw new Error(`route ${key} is registered already`);
    this.routes.set(key, route);
  }

  async start(): Promise<{ url: string; port: number }> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return { url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`, port };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private find(method: string, path: string): Route | undefined {
    return this.routes.get(`${method} ${path}`) ?? this.prefixes.find((p) => p.method === method && path.startsWith(p.prefix))?.route;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://agent');
    const method = (req.method ?? 'GET').toUpperCase();
    const route = this.find(method === 'HEAD' ? 'GET' : method, url.pathname);
    try {
      if (!route) {
        const known = [...this.routes.keys()].some((k) => k.endsWith(` ${url.pathname}`));
        return send(res, { status: known ? 405 : 404, body: known ? 'method not allowed\n' : 'not found\n' });
      }
      const max = route.maxBodyBytes ?? this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      const body = await readBody(req, max);
      if (body === undefined) {
        route.onBodyTooLarge?.({ path: url.pathname, headers: req.headers });
        return refuseBody(req, res, max);
      }
      send(res, await route.handler({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body }), method === 'HEAD');
    } catch (e) {
      this.options.log.error({ path: url.pathname, error: (e as Error).message }, 'http handler failed');
      if (!res.headersSent) send(res, { status: 500, body: 'internal error\n' });
    }
  }
}

function send(res: ServerResponse, r: RouteResponse, headOnly = false): void {
  if (r.stream && !headOnly) return openStream(res, r);
  const isText = typeof r.body === 'string' || r.body === undefined || Buffer.isBuffer(r.body);
  const text = r.body === undefined ? '' : isText ? (r.body as string | Buffer) : `${JSON.stringify(r.body, null, 2)}\n`;
  res.writeHead(r.status ?? 200, { 'Content-Type': isText ? 'text/plain; charset=utf-8' : 'application/json', ...r.headers });
  res.end(headOnly ? undefined : text);
}

function openStream(res: ServerResponse, r: RouteResponse): void {
  res.writeHead(r.status ?? 200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', ...r.headers });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  r.stream!({
    write: (chunk) => !res.destroyed && !res.writableEnded && (res.write(chunk), true),
    onClose: (listener) => void res.once('close', listener),
  });
}

/**
 * The request body, or undefined as soon as it is known to exceed `max` bytes: at once from a
 * Content-Length that says so, else when the bytes read pass it (chunked bodies). Never holds
 * more than `max` bytes.
 */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (value: Buffer | undefined) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.pause();
        return done(undefined);
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(Buffer.concat(chunks));
    const onError = (e: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      reject(e);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** 413 for a body over the bound; the connection closes after the answer, so the rest is never read. */
function refuseBody(req: IncomingMessage, res: ServerResponse, max: number): void {
  res.once('finish', () => req.socket.destroy());
  send(res, { status: 413, headers: { connection: 'close' }, body: `request body too large (at most ${max} bytes)\n` });
}
