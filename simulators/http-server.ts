/** Starting and stopping the simulators' plain node:http servers the same way. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListeningServer {
  /** `http://<host>:<port>` as bound (IPv6 hosts in brackets). */
  url: string;
  /** Drops open connections (keep-alive included) and stops listening. */
  close(): Promise<void>;
}

/** Listens on `port` (0: the OS picks one) and `host`; rejects when the port is taken. */
export async function listen(server: Server, port: number, host: string): Promise<ListeningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
