/**
 * The gateway's readiness from its subgraphs' answers (real HTTP servers standing in for them):
 * each subgraph's state, each council system's worst report, and when the gateway is ready.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readiness } from './readiness';

const servers: http.Server[] = [];

/** A stand-in subgraph whose readiness answers `status` with `body`. */
async function subgraph(status: number, body: unknown): Promise<string> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

/** An address nothing listens on. */
async function nobody(): Promise<string> {
  const url = await subgraph(200, {});
  const server = servers.pop()!;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return url;
}

afterEach(async () => {
  await Promise.all(
    servers
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

const up = { state: 'up', breaker: 'closed' };

describe('gateway readiness', () => {
  it('is ready when every subgraph is and every system is up', async () => {
    const report = await readiness({
      a: await subgraph(200, { status: 'ready', systems: { finance: up } }),
      b: await subgraph(200, { status: 'ready', systems: { education: up } }),
    });
    expect(report).toEqual({
      status: 'ready',
      subgraphs: { a: { state: 'up' }, b: { state: 'up' } },
      systems: { finance: up, education: up },
    });
  });

  it('takes the worst report of a system, and is degraded (still serving) for it', async () => {
    const report = await readiness({
      a: await subgraph(200, { systems: { finance: up } }),
      b: await subgraph(503, { systems: { finance: { state: 'down', breaker: 'open' } } }),
      c: await subgraph(200, { systems: { finance: { state: 'degraded', breaker: 'half-open' } } }),
    });
    expect(report.status).toBe('degraded');
    expect(report.subgraphs.b).toEqual({ state: 'degraded' });
    expect(report.systems.finance).toEqual({ state: 'down', breaker: 'open' });
  });

  it('is not ready when a subgraph does not answer', async () => {
    const report = await readiness({
      a: await subgraph(200, { systems: {} }),
      b: await nobody(),
    });
    expect(report.status).toBe('not ready');
    expect(report.subgraphs).toEqual({ a: { state: 'up' }, b: { state: 'down' } });
  });

  it('passes on nothing but well-formed names and states (no URL, no free text)', async () => {
    const report = await readiness({
      a: await subgraph(200, {
        systems: {
          'http://10.0.0.1:8080': up,
          finance: { state: 'up', breaker: 'closed', url: 'http://10.0.0.1' },
          education: { state: 'on fire', breaker: 'closed' },
        },
      }),
    });
    expect(report.systems).toEqual({ finance: up });
    expect(JSON.stringify(report)).not.toContain('10.0.0.1');
  });
});
