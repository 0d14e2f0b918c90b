/**
 * When a part fails, the rest of the answer survives: a council system erroring or a
 * subgraph that accepts a connection and never answers cost the fields that depend on them
 * (null, with a safe UPSTREAM_UNAVAILABLE error naming no URL), within the configured
 * deadline, and everything else is returned.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { RunningSystem } from '../system/start-system';
import { clientFor, setFaults, startTestSystem } from './support/system';

const PROFILE = /* GraphQL */ `
  query ($id: ID!) {
    child(id: $id) {
      id
      name {
        displayName
      }
      education {
        yearGroup
      }
      pupilPremiumPlus {
        allocated {
          pence
        }
      }
    }
  }
`;

type Profile = {
  child: {
    id: string;
    name: { displayName: string };
    education: unknown;
    pupilPremiumPlus: unknown;
  } | null;
};

describe('a council system that fails', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startTestSystem({ children: 200 });
  });

  afterAll(async () => {
    await system?.close();
  });

  it('reports the gateway live and ready while every subgraph is', async () => {
    const base = system.urls.gateway.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as {
      status: string;
      subgraphs: Record<string, { state: string }>;
    };
    expect(body.status).toBe('ready');
    expect(Object.values(body.subgraphs).every(({ state }) => state === 'up')).toBe(true);
  });

  it('costs only the fields it serves; the rest of the profile is kept', async () => {
    await setFaults(system, 'education', { errorRate: 1 });
    try {
      const asVsh = await clientFor(system, 'vsh');
      const result = await asVsh<Profile>(PROFILE, { id: '1000001' });
      expect(result.status).toBe(200);
      expect(result.data?.child?.name.displayName).toBeTruthy();
      expect(result.data?.child?.pupilPremiumPlus).not.toBeNull();
      expect(result.data?.child?.education).toBeNull();
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(JSON.stringify(result.errors)).not.toMatch(/127\.0\.0\.1|localhost|http:/);
    } finally {
      await setFaults(system, 'education', { errorRate: 0 });
    }
  });
});

describe('a subgraph that accepts a connection and never answers', () => {
  let system: RunningSystem;
  let silent: net.Server;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    silent = net.createServer((socket) => {
      sockets.add(socket); // accept, read, never answer
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    system = await startTestSystem({
      children: 200,
      subgraphTimeoutMs: 700,
      gatewaySubgraphUrls: { finance: `http://127.0.0.1:${port}/graphql` },
    });
  });

  afterAll(async () => {
    await system?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('makes the gateway not ready, naming the subgraph', async () => {
    const base = system.urls.gateway.replace(/\/graphql$/, '');
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { subgraphs: Record<string, { state: string }> };
    expect(body.subgraphs.finance).toEqual({ state: 'down' });
    expect(body.subgraphs['social-care']).toEqual({ state: 'up' });
  });

  it('is given up on at the deadline; the other subgraphs’ data is returned', async () => {
    const asVsh = await clientFor(system, 'vsh');
    const result = await asVsh<Profile>(PROFILE, { id: '1000001' });
    expect(result.status).toBe(200);
    expect(result.data?.child?.name.displayName).toBeTruthy();
    expect(result.data?.child?.pupilPremiumPlus).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(JSON.stringify(result.errors)).not.toMatch(/127\.0\.0\.1|localhost|http:/);
  });
});
