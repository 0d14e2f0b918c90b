/**
 * Starting and stopping an HTTP server the same way for every service: listen on a port
 * (0 = any free one), time out slow clients, and on close end idle keep-alive sockets so
 * shutdown does not wait for them.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RunningServer {
  url: string;
  port: number;
  server: http.Server;
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then ends every socket. */
  close(graceMs?: number): Promise<void>;
}

export interface ServerTimeouts {
  /** Whole request, headers and body. */
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
}

export async function listen(
  handler: http.RequestListener,
  port: number,
  host = '127.0.0.1',
  timeouts: ServerTimeouts = {},
): Promise<RunningServer> {
  // Node checks the request and header timeouts on this interval (default 30 s, which would
  // let a slow client hold a connection up to 30 s past either timeout).
  const server = http.createServer({ connectionsCheckingInterval: 1_000 }, handler);
  server.requestTimeout = timeouts.requestTimeoutMs ?? 30_000;
  server.headersTimeout = timeouts.headersTimeoutMs ?? 10_000;
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs ?? 5_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  let closing: Promise<void> | undefined;
  return {
    server,
    port: address.port,
    url: `http://${shownHost}:${address.port}`,
    close(graceMs = 5_000) {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        const timer = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        timer.unref();
      });
      return closing;
    },
  };
}
