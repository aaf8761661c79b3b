// A minimal HTTPS client for the control plane's own setup (readiness, CRD install, discovery),
// authenticated with the admin client certificate. Tests use @kubernetes/client-node instead.
import { Agent, request } from 'node:https';

export interface KubeEndpoint {
  readonly server: string;
  readonly caCert: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
}

export interface KubeRequest {
  method?: string;
  path: string;
  body?: string;
  contentType?: string;
  timeoutMs?: number;
}

const agents = new WeakMap<KubeEndpoint, Agent>();

function agentFor(ep: KubeEndpoint): Agent {
  let agent = agents.get(ep);
  if (!agent) {
    agent = new Agent({ ca: ep.caCert, cert: ep.clientCert, key: ep.clientKey, keepAlive: true, maxSockets: 8 });
    agents.set(ep, agent);
  }
  return agent;
}

/** Closes the keep-alive sockets of an endpoint, so a short-lived process can exit. */
export function closeKubeEndpoint(ep: KubeEndpoint): void {
  agents.get(ep)?.destroy();
  agents.delete(ep);
}

export function requestKube(ep: KubeEndpoint, req: KubeRequest): Promise<KubeResponse> {
  const url = new URL(req.path, ep.server);
  return new Promise((resolve, reject) => {
    const r = request(url, {
      method: req.method ?? 'GET',
      agent: agentFor(ep),
      headers: {
        accept: 'application/json',
        ...(req.body !== undefined ? { 'content-type': req.contentType ?? 'application/json', 'content-length': Buffer.byteLength(req.body) } : {}),
      },
      timeout: req.timeoutMs ?? 30_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error(`${req.method ?? 'GET'} ${url.pathname} timed out`)));
    r.on('error', reject);
    r.end(req.body);
  });
}
