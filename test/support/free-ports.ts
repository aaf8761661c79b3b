// Free TCP ports on the loopback interface: listen on port 0 (all at once, so they differ), read
// the ports the kernel chose, close. Another process may grab one before our server binds it;
// the control plane retries its start when a bind fails.
import { createServer, type Server } from 'node:net';

export async function findFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return servers.map((s) => {
      const addr = s.address();
      if (addr === null || typeof addr === 'string') throw new Error('could not read a listening port');
      return addr.port;
    });
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}
