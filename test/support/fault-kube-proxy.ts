// A TLS-terminating pass-through in front of a private control plane's kube-apiserver, for the
// fault-injection suite: `drover` is given a kubeconfig that points here, every request goes on
// unchanged to the real apiserver (as the admin user), and the test sees each request before it
// is forwarded. A hook may hold a request (await something, such as a SIGKILL of Drover or of the
// apiserver) and then pass it on or drop it (the client's connection is cut, as a dying server
// would). That gives the exact moments "after the dry-runs, before the first write" and "after the
// writes, before the inventory store" from outside the process, with no test seam in product code.
// The serving certificate is the plane's own (SANs 127.0.0.1/localhost), so the client trusts it
// with the plane's CA. Every answered request is logged (method, path, status) for the audit.
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ControlPlane } from './control-plane.js';
import { listenOnLoopback } from './loopback-listen.js';

export interface KubeRequestInfo {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** `dryRun=All` was asked. */
  readonly dryRun: boolean;
  /** A write that stores something: POST, PUT, PATCH or DELETE without dryRun. */
  readonly write: boolean;
  /** From the path: the resource's plural, namespace and name (undefined for collections and discovery). */
  readonly resource?: string | undefined;
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
}

export interface LoggedKubeRequest extends KubeRequestInfo {
  /** The apiserver's status, or 0 when no answer reached the client (dropped, upstream died). */
  status: number;
}

/** `pass` forwards the request; `drop` cuts the client's connection without forwarding it. */
export type KubeHookDecision = 'pass' | 'drop';
export type KubeHook = (info: KubeRequestInfo) => KubeHookDecision | Promise<KubeHookDecision> | undefined;

export interface FaultKubeProxy {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** The plane's admin kubeconfig with this proxy as the server, written to `<plane dir>/proxy-<port>.kubeconfig`. */
  readonly kubeconfigPath: string;
  readonly log: LoggedKubeRequest[];
  /** Replaces the hook (undefined: pass everything). */
  setHook(hook: KubeHook | undefined): void;
  close(): Promise<void>;
}

export async function startFaultKubeProxy(plane: ControlPlane, options: { hook?: KubeHook } = {}): Promise<FaultKubeProxy> {
  const pki = join(plane.dir, 'pki');
  const read = (f: string) => readFileSync(join(pki, f), 'utf8');
  const ca = read('ca.crt');
  const upstream = new URL(plane.server);
  const agent = new Agent({ ca, cert: read('admin.crt'), key: read('admin.key'), keepAlive: true, maxSockets: 64 });
  const log: LoggedKubeRequest[] = [];
  let hook = options.hook;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://proxy');
    const info = describe(req.method ?? 'GET', url);
    const entry: LoggedKubeRequest = { ...info, status: 0 };
    log.push(entry);
    const decision = (await hook?.(info)) ?? 'pass';
    if (decision === 'drop') {
      req.socket.destroy();
      return;
    }
    const headers = { ...req.headers };
    delete headers.host;
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (up) => {
      entry.status = up.statusCode ?? 0;
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.on('error', () => req.socket.destroy());
      up.on('aborted', () => req.socket.destroy());
    });
    // The apiserver died (or was never there): the client loses its connection, as it would
    // talking to the apiserver directly; it gets no made-up HTTP answer.
    out.on('error', () => req.socket.destroy());
    req.pipe(out);
  };

  const server: Server = createServer({ cert: read('apiserver.crt'), key: read('apiserver.key') }, (req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  const listener = await listenOnLoopback(server);
  const port = listener.port;
  const proxyServer = `https://127.0.0.1:${port}`;
  const kubeconfigPath = join(plane.dir, `proxy-${port}.kubeconfig`);
  writeFileSync(kubeconfigPath, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'proxy',
    clusters: [{ name: 'proxy', cluster: { server: proxyServer, 'certificate-authority-data': Buffer.from(ca).toString('base64') } }],
    users: [{ name: 'admin', user: { 'client-certificate-data': Buffer.from(read('admin.crt')).toString('base64'), 'client-key-data': Buffer.from(read('admin.key')).toString('base64') } }],
    contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'admin' } }],
  }), { mode: 0o600 });

  return {
    server: proxyServer,
    kubeconfigPath,
    log,
    setHook: (h) => {
      hook = h;
    },
    async close() {
      agent.destroy();
      await listener.close();
    },
  };
}

/** `/api/v1/namespaces/x/configmaps/y`, `/apis/g/v/namespaces/x/plural/name`, cluster-scoped forms. */
function describe(method: string, url: URL): KubeRequestInfo {
  const dryRun = url.searchParams.get('dryRun') === 'All';
  const parts = url.pathname.split('/').filter(Boolean);
  const rest = parts[0] === 'api' ? parts.slice(2) : parts[0] === 'apis' ? parts.slice(3) : [];
  let namespace: string | undefined;
  let resource: string | undefined;
  let name: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    resource = rest[2];
    name = rest[3];
  } else {
    resource = rest[0];
    name = rest[1];
  }
  const write = !dryRun && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);
  return { method, path: url.pathname, query: url.searchParams, dryRun, write, resource, namespace, name };
}
