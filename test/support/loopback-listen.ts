import type { Server, Socket } from 'node:net';

/** A server listening on an ephemeral 127.0.0.1 port that can be closed with its open connections. */
export interface LoopbackListener {
  readonly port: number;
  /** Destroys every open connection (keep-alive ones included), then closes the server. */
  close(): Promise<void>;
}

/** Starts `server` on 127.0.0.1 with a port of the system's choosing, tracking its connections. */
export async function listenOnLoopback(server: Server): Promise<LoopbackListener> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
