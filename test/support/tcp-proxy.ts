// A TCP forwarder on loopback that a test can take down and bring back, to make a real
// component (the kube-apiserver, Gitea) unreachable without stopping it: down closes the
// listening socket and cuts every open connection (connections are then refused), up listens
// again on the same port. Bytes pass through untouched (TLS included).
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** `127.0.0.1:<port>` */
  readonly address: string;
  readonly port: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let port = 0;
  let server: Server | undefined;
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(target.port, target.host);
        sockets.add(client);
        sockets.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });
  const down = async (): Promise<void> => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    sockets.clear();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  await listen();
  return {
    address: `127.0.0.1:${port}`,
    port,
    down,
    up: async () => {
      if (!server) await listen();
    },
    close: down,
  };
}
