// A small HTTP proxy in front of a forge (Gitea, or the GitHub/GitLab stand-ins) for the
// fault-injection suite: every request is shown to a rule that may answer in the forge's place
// (500, 429 with Retry-After, 401), hang (never answer, until the proxy closes), carry the
// request out and then lose the answer (`lost`: the forge did it, the client cannot know), or
// pass it on untouched. Forge-agnostic: it knows nothing of the API behind it.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-listen.js';

export type HttpFault =
  | { readonly kind: 'answer'; readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
  | { readonly kind: 'hang' }
  | { readonly kind: 'lost' };

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  /** What the client got: the forge's status, the injected one, or 0 (hang, lost). */
  status: number;
  readonly injected: boolean;
}

export interface FaultHttpProxy {
  /** http://127.0.0.1:<port> — the forge's base URL with the proxy's origin. */
  readonly url: string;
  readonly requests: ProxiedRequest[];
  /** The rule asked for each request; undefined passes it on. */
  setRule(rule: ((req: { method: string; path: string }) => HttpFault | undefined) | undefined): void;
  close(): Promise<void>;
}

export async function startFaultHttpProxy(target: string): Promise<FaultHttpProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  let rule: ((req: { method: string; path: string }) => HttpFault | undefined) | undefined;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const fault = rule?.({ method, path });
    if (fault?.kind === 'answer') {
      req.resume();
      requests.push({ method, path, status: fault.status, injected: true });
      const body = fault.body === undefined ? '' : JSON.stringify(fault.body);
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(body);
      return;
    }
    if (fault?.kind === 'hang') {
      req.resume();
      requests.push({ method, path, status: 0, injected: true });
      return; // the socket stays open until the client gives up or the proxy closes
    }
    const entry: ProxiedRequest = { method, path, status: 0, injected: fault?.kind === 'lost' };
    requests.push(entry);
    const headers = { ...req.headers, host: upstream.host };
    const out = request({ host: upstream.hostname, port: upstream.port, method, path, headers }, (up) => {
      if (fault?.kind === 'lost') {
        // Carried out by the forge; the answer never reaches the client.
        up.resume();
        up.once('end', () => req.socket.destroy());
        return;
      }
      entry.status = up.statusCode ?? 0;
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => req.socket.destroy());
    req.pipe(out);
  };

  const server: Server = createServer(handle);
  const listener = await listenOnLoopback(server);
  const port = listener.port;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, '')}`,
    requests,
    setRule: (r) => {
      rule = r;
    },
    close: () => listener.close(),
  };
}
