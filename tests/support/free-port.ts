import net from 'node:net';

/**
 * A loopback port nobody listens on right now: the OS picks it, the probe closes it. For a server started
 * on it a moment later (redis-server) or for a URI that must be refused (nothing will listen).
 *
 * @example const uri = `http://127.0.0.1:${await freePort()}`; // connection refused
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
