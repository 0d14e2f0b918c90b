/** Listen on a port (0 = any free one) and close for real: keep-alive and hung sockets too. */
import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RunningServer {
  /** e.g. "http://127.0.0.1:4101" */
  url: string;
  port: number;
  host: string;
  /** Stop accepting, destroy every open socket, resolve when the server has closed. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export function startServer(
  app: RequestListener,
  port = 0,
  host = '127.0.0.1',
): Promise<RunningServer> {
  const server = createServer(app);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      resolve({ url: `http://${urlHost(host)}:${bound}`, port: bound, host, close });
    });
  });
}
