// A real git smart-HTTP server for tests: Debian git's `git http-backend` (CGI) behind a small Node
// HTTP bridge, serving the bare repositories under `root` (`<url>/<name>.git`), with optional basic
// auth. Clone, fetch and push (http.receivepack) work for native git (protocol v0/v1/v2, gzip
// request bodies) and isomorphic-git (v1).
import { execFile, spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitServerOptions {
  /** Directory holding the bare repositories; a new temp dir (removed on stop) when unset. */
  root?: string;
  /** Require HTTP basic auth with these credentials for every request. */
  auth?: { username: string; password: string };
  /** Called after each request, e.g. to assert which protocol features a client used. */
  onRequest?: (info: GitRequestInfo) => void;
  /**
   * Fault injection, asked once per request: hold the response (`stall`, for `ms` or until the
   * server stops) or cut the connection (`drop`) once `afterBytes` bytes of its body went out.
   * `afterBytes: 0` stalls right after the headers.
   */
  fault?: (info: GitRequestInfo) => GitFault | undefined;
  /** Listen on this port (a restarted server keeps its URL); a free one when unset. */
  port?: number;
}

export interface GitFault {
  readonly action: 'stall' | 'drop';
  readonly afterBytes: number;
  /** How long a stall lasts; forever (until stop) when unset. */
  readonly ms?: number | undefined;
}

export interface GitRequestInfo {
  method: string;
  path: string;
  query: string;
  status: number;
  user?: string;
  contentEncoding?: string;
  gitProtocol?: string;
  /** Response body bytes sent (pack data included), known when the request finished. */
  bytes?: number;
}

export interface GitServer {
  /** http://127.0.0.1:<port>, without a trailing slash. */
  readonly url: string;
  readonly root: string;
  stop(): Promise<void>;
}

export async function startGitServer(opts: GitServerOptions = {}): Promise<GitServer> {
  const backend = await findHttpBackend();
  const ownRoot = opts.root === undefined;
  const root = opts.root ?? (await mkdtemp(join(tmpdir(), 'drover-git-')));
  const server = createServer((req, res) => {
    handleRequest(backend, root, opts, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`git http bridge: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('git server: no listening address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    root,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownRoot) await rm(root, { recursive: true, force: true });
    },
  };
}

async function findHttpBackend(): Promise<string> {
  const execPath = await new Promise<string>((resolve, reject) => {
    execFile('git', ['--exec-path'], (err, stdout) => {
      if (err) reject(new Error(`git is required for the test git server (apt-get install git): ${err.message}`));
      else resolve(stdout.trim());
    });
  });
  const backend = join(execPath, 'git-http-backend');
  await access(backend).catch(() => {
    throw new Error(`${backend} not found: the test git server needs git's http-backend (apt-get install git)`);
  });
  return backend;
}

async function handleRequest(backend: string, root: string, opts: GitServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = decodeURIComponent(url.pathname);
  const info: GitRequestInfo = {
    method: req.method ?? 'GET',
    path,
    query: url.search.slice(1),
    status: 0,
    ...header(req, 'content-encoding', 'contentEncoding'),
    ...header(req, 'git-protocol', 'gitProtocol'),
  };
  const sent = { bytes: 0 };
  res.once('finish', () => opts.onRequest?.({ ...info, status: res.statusCode, bytes: sent.bytes }));

  let user: string | undefined;
  if (opts.auth) {
    user = checkBasicAuth(req.headers.authorization, opts.auth);
    if (user === undefined) {
      req.resume();
      res.writeHead(401, { 'www-authenticate': 'Basic realm="drover test git"', 'content-type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    info.user = user;
  }
  if (path.split('/').includes('..')) {
    req.resume();
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path\n');
    return;
  }

  const child = spawn(backend, [], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      // Allow push without REMOTE_USER, and keep the user's and system's git config out.
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.receivepack',
      GIT_CONFIG_VALUE_0: 'true',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
      REQUEST_METHOD: info.method,
      PATH_INFO: path,
      QUERY_STRING: info.query,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      ...(user !== undefined ? { REMOTE_USER: user, AUTH_TYPE: 'Basic' } : {}),
      ...(req.headers['content-type'] ? { CONTENT_TYPE: req.headers['content-type'] } : {}),
      ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      // git http-backend gunzips the body itself when told the request was gzipped.
      ...(info.contentEncoding ? { HTTP_CONTENT_ENCODING: info.contentEncoding } : {}),
      // Protocol v2 is negotiated through this header (GIT_PROTOCOL inside git).
      ...(info.gitProtocol ? { HTTP_GIT_PROTOCOL: info.gitProtocol } : {}),
    },
  });
  child.stdin.on('error', () => undefined); // the backend may exit before reading everything
  req.pipe(child.stdin);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-4000); });
  res.once('close', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  await pipeCgiResponse(child.stdout, res, opts.fault?.(info), sent);
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('close', (c) => resolve(c));
  });
  if (!res.headersSent) {
    res.writeHead(502, { 'content-type': 'text/plain' }).end(`git http-backend exited ${code} without a response: ${stderr}\n`);
  }
}

/** Reads the CGI header block (up to a blank line), sends it as the HTTP status and headers, streams the rest. */
function pipeCgiResponse(stdout: NodeJS.ReadableStream, res: ServerResponse, fault: GitFault | undefined, counter: { bytes: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    let headersDone = false;
    let sent = 0;
    let faulted = false;
    let held: Buffer[] = [];
    let stalling = false;
    let ended = false;
    const finish = () => {
      if (headersDone) res.end();
      resolve();
    };
    const write = (chunk: Buffer) => {
      if (stalling) {
        held.push(chunk);
        return;
      }
      if (fault && !faulted && sent + chunk.length > fault.afterBytes) {
        faulted = true;
        const first = chunk.subarray(0, fault.afterBytes - sent);
        if (first.length) res.write(first);
        if (fault.action === 'drop') {
          res.socket?.destroy();
          resolve();
          return;
        }
        held = [chunk.subarray(first.length)];
        stalling = true;
        stdout.pause();
        if (fault.ms !== undefined) {
          setTimeout(() => {
            stalling = false;
            for (const c of held) res.write(c);
            held = [];
            stdout.resume();
            if (ended) finish();
          }, fault.ms);
        }
        return;
      }
      if (faulted && fault?.action === 'drop') return;
      sent += chunk.length;
      counter.bytes += chunk.length;
      if (!res.write(chunk)) {
        stdout.pause();
        res.once('drain', () => stdout.resume());
      }
    };
    stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf('\r\n\r\n');
      const lf = head.indexOf('\n\n');
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? { at: crlf, len: 4 } : lf >= 0 ? { at: lf, len: 2 } : undefined;
      if (!end) return;
      headersDone = true;
      const { status, headers } = parseCgiHeaders(head.subarray(0, end.at).toString('latin1'));
      res.writeHead(status, headers);
      if (fault?.afterBytes === 0) res.flushHeaders();
      const rest = head.subarray(end.at + end.len);
      if (rest.length > 0) write(rest);
    });
    stdout.once('end', () => {
      ended = true;
      if (faulted && fault?.action === 'drop') return;
      // A stalled response finishes when the stall ends; an endless one never does.
      if (!stalling) finish();
    });
    stdout.once('error', reject);
  });
}

function parseCgiHeaders(block: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}

function checkBasicAuth(header: string | undefined, auth: { username: string; password: string }): string | undefined {
  const m = header?.match(/^Basic\s+(\S+)$/i);
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const expected = `${auth.username}:${auth.password}`;
  const a = Buffer.from(decoded);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? auth.username : undefined;
}

function header<K extends string>(req: IncomingMessage, name: string, key: K): Partial<Record<K, string>> {
  const value = req.headers[name];
  return typeof value === 'string' ? ({ [key]: value } as Partial<Record<K, string>>) : {};
}
