import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

/** How long git's HTTP requests may take; each limit stands on its own. */
export interface GitTimeouts {
  /** TCP (and TLS) connection establishment. */
  readonly connectMs: number;
  /** Longest silence from the server: before the response headers and between body chunks. */
  readonly idleMs: number;
  /** One whole request, body included (a big pack on a slow link needs room). */
  readonly totalMs: number;
}

/**
 * Defaults: 15 s to connect, 120 s of silence (a server packing a big repository may think a
 * while before the first byte), 10 min per request. Node's global agent would instead drop a
 * socket after 5 s of silence, which failed big fetches and made a stall look like a missing ref.
 */
export function defaultGitTimeouts(): GitTimeouts {
  return { connectMs: 15_000, idleMs: 120_000, totalMs: 600_000 };
}

/** Code of the errors this module throws; the source stage classifies them as unreachable (transient). */
export const GIT_TIMEOUT_CODE = 'ETIMEDOUT';

function timeoutError(message: string): Error {
  return Object.assign(new Error(message), { code: GIT_TIMEOUT_CODE, name: 'TimeoutError' });
}

/**
 * Wraps isomorphic-git's HTTP client with connect, idle and total timeouts of its own. Requests
 * go through keep-alive agents whose sockets have no inactivity timeout of their own (the idle
 * limit here replaces it) and whose connections must be established within `connectMs`. The
 * response body is read through an iterator that fails with a `TimeoutError` (code ETIMEDOUT)
 * after `idleMs` without a chunk or past the total deadline, so a stall mid-pack is a transient
 * network failure, never a truncated answer.
 */
export interface TimedHttpClient extends HttpClient {
  /**
   * The last timeout or network failure seen while reading a response since the previous call,
   * then forgets it. isomorphic-git reads some bodies through a reader that takes an error for
   * the end of the stream ("empty response"), so the caller asks here what really happened.
   */
  takeFault(): Error | undefined;
}

export function withGitTimeouts(http: HttpClient, timeouts: GitTimeouts): TimedHttpClient {
  const agents = { http: connectLimitedAgent(HttpAgent, timeouts.connectMs), https: connectLimitedAgent(HttpsAgent, timeouts.connectMs) };
  let fault: Error | undefined;
  const note = (e: Error): Error => (fault = e);
  return {
    takeFault() {
      const f = fault;
      fault = undefined;
      return f;
    },
    async request(req: GitHttpRequest): Promise<GitHttpResponse> {
      const deadline = Date.now() + timeouts.totalMs;
      const controller = new AbortController();
      const outer = req.signal as AbortSignal | undefined;
      if (outer) outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
      const agent = req.url.toLowerCase().startsWith('https:') ? agents.https : agents.http;
      const res = await withTimer(
        http.request({ ...req, agent: req.agent ?? agent, signal: controller.signal }),
        Math.min(timeouts.idleMs, deadline - Date.now()),
        () => {
          const idle = timeouts.idleMs <= deadline - Date.now();
          controller.abort();
          return note(timeoutError(idle ? `no response from the server within ${seconds(timeouts.idleMs)}` : `request took longer than ${seconds(timeouts.totalMs)}`));
        },
      ).catch((e: unknown) => {
        throw note(e as Error);
      });
      if (!res.body) return res;
      return { ...res, body: timedBody(res.body, timeouts, deadline, () => controller.abort(), note) };
    },
  };
}

async function* timedBody(
  body: AsyncIterableIterator<Uint8Array>,
  timeouts: GitTimeouts,
  deadline: number,
  abort: () => void,
  note: (e: Error) => Error,
): AsyncIterableIterator<Uint8Array> {
  const it = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const left = deadline - Date.now();
      const next = await withTimer(it.next(), Math.min(timeouts.idleMs, left), () => {
        abort();
        return timeoutError(timeouts.idleMs <= left ? `the server went silent for ${seconds(timeouts.idleMs)} mid-response` : `request took longer than ${seconds(timeouts.totalMs)}`);
      }).catch((e: unknown) => {
        throw note(e as Error);
      });
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await it.return?.();
  }
}

function withTimer<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), Math.max(0, ms));
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

type AgentClass = typeof HttpAgent | typeof HttpsAgent;

/** A keep-alive agent whose new connections must connect within `connectMs`, with no socket inactivity timeout. */
function connectLimitedAgent(Base: AgentClass, connectMs: number): HttpAgent {
  const agent = new Base({ keepAlive: true, timeout: 0 } as AgentOptions);
  const create = agent.createConnection.bind(agent) as (options: object, cb?: (err: Error | null, socket: Socket) => void) => Socket;
  agent.createConnection = ((options: object, cb?: (err: Error | null, socket: Socket) => void) => {
    const socket = create(options, cb);
    const ready = Base === HttpsAgent ? 'secureConnect' : 'connect';
    const timer = setTimeout(() => socket.destroy(timeoutError(`could not connect within ${seconds(connectMs)}`)), connectMs);
    socket.once(ready, () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
    return socket;
  }) as typeof agent.createConnection;
  return agent;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
