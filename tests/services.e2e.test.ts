/**
 * The production topology, every part its own OS process (`npm run start:services`): the
 * simulators, each subgraph, two gateway replicas, over the machine's real PostgreSQL (a fresh
 * schema per run) and Redis (a fresh key prefix per run), as CI has them. Started once for the
 * file; the replica tests stop the replicas, so they run last and in order.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { mintPersonaToken } from '../identity/dev-issuer/tokens';
import { openDatabase, type Database } from '../stores/database';
import { postgresTestUrl, uniqueSchema } from '../stores/testing/databases';
import type { PersonaName } from '../simulators/seed/world';
import { startServices, type RunningServices } from '../system/start-services';
import { SUBGRAPHS } from '../subgraphs/registry';
import { EXAMPLE_OPERATIONS, expectAnsweredWithData, runExample } from './support/examples';
import { graphql, TEST_AS_OF, type GraphQLResult } from './support/system';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN = randomBytes(4).toString('hex');
const SCHEMA = uniqueSchema();
const KEY_PREFIX = `cla-test:${RUN}:`;
/** Each caller's burst; the bucket refills one request a minute, so nothing refills mid-test. */
const BURST = 40;
/**
 * Requests each replica works on at once. The drain test fills a replica exactly, so a probe
 * answered 503 proves every request is in flight (parsed, being worked on) before the signal.
 */
const MAX_IN_FLIGHT = 10;

/** No PostgreSQL: the store tests' helper has already failed under CI, and says so elsewhere. */
const withServers = postgresTestUrl ? describe : describe.skip;

let services: RunningServices;
let db: Database;

beforeAll(async () => {
  if (!postgresTestUrl) return;
  services = await startServices({
    seed: 1,
    children: 600,
    asOf: TEST_AS_OF,
    replicas: 2,
    ports: 'free',
    dataDir: 'memory://',
    logDir: path.join(tmpdir(), `cla-graph-services-${RUN}`),
    env: {
      ...process.env,
      DATABASE_URL: postgresTestUrl,
      DATABASE_SCHEMA: SCHEMA,
      REDIS_URL,
      RATE_LIMIT_KEY_PREFIX: `${KEY_PREFIX}rate-limit:`,
      SEEN_TOKEN_KEY_PREFIX: `${KEY_PREFIX}seen-jti:`,
      RATE_LIMIT_BURST: String(BURST),
      RATE_LIMIT_PER_MINUTE: '1',
      MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
      SUBGRAPH_TIMEOUT_MS: '20000',
      SHUTDOWN_TIMEOUT_MS: '20000',
    },
  });
  db = await openDatabase({ url: postgresTestUrl, schema: SCHEMA });
}, 180_000);

afterAll(async () => {
  await services?.close();
  if (db) {
    await db.exec(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await db.close();
  }
  if (postgresTestUrl) {
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    await redis.connect();
    const keys = await redis.keys(`${KEY_PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
}, 120_000);

const gatewayUrl = (replica: number) => `${services.gateways[replica]!.url}/graphql`;

/** A token for `persona` with a caller of its own (its own rate-limit bucket). */
async function freshCaller(persona: PersonaName, name: string): Promise<string> {
  const base = services.world.personas.find((candidate) => candidate.name === persona);
  if (!base) throw new Error(`No persona ${persona}`);
  return mintPersonaToken(
    services.devIssuer.key,
    { ...base, sub: `${name}-${RUN}` },
    services.devIssuer,
  );
}

const PROFILE = /* GraphQL */ `
  query Profile($id: ID!) {
    child(id: $id) {
      id
      name {
        displayName
      }
      education {
        currentSchool {
          name
        }
      }
    }
  }
`;

const childIds = (count: number) =>
  services.world.socialCare.children.slice(0, count).map((child) => child.CHILD);

/** The request ids the access log holds events for, among `ids`. */
async function auditedRequests(ids: readonly string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ request_id: string }>(
    'SELECT DISTINCT request_id FROM access_audit_event WHERE request_id = ANY($1)',
    [ids],
  );
  return new Set(rows.map((row) => row.request_id));
}

async function setLatency(latencyMs: number): Promise<void> {
  for (const name of ['socialCare', 'education'] as const) {
    const response = await fetch(`${services.simulators[name].url}/_sim/faults`, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${services.simulatorKeys[name]}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ latencyMs }),
    });
    expect(response.ok).toBe(true);
  }
}

const answeredWithData = (result: GraphQLResult) =>
  result.status === 200 &&
  result.errors === undefined &&
  Object.values(result.data ?? {}).some((value) => value !== null);

withServers('the production topology, one process per part', () => {
  it('runs every part as its own process', () => {
    const pids = new Set(services.processes.map((service) => service.child.pid));
    // Three simulators, every subgraph, two gateway replicas and the alert worker.
    expect(pids.size).toBe(3 + SUBGRAPHS.length + 2 + 1);
    expect(pids.has(process.pid)).toBe(false);
  });

  it('runs the alert worker on its own, ready: its database and both council systems answer', async () => {
    const ready = await fetch(`${services.alertWorker.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
  });

  it.each(EXAMPLE_OPERATIONS)('%s answers with data and no errors', async (file) => {
    // Alternate replicas: either answers every example.
    const replica = EXAMPLE_OPERATIONS.indexOf(file) % 2;
    expectAnsweredWithData(
      await runExample(file, gatewayUrl(replica), (persona) => services.tokenFor(persona)),
    );
  });
});

withServers('two gateway replicas over one PostgreSQL and one Redis', () => {
  it('share one rate limit: a burst split across them is refused as one', async () => {
    const token = await freshCaller('teacher', 'burst');
    const ask = (replica: number) => graphql(gatewayUrl(replica), token, '{ __typename }');
    // The whole burst, half through each replica (a few at a time, within MAX_IN_FLIGHT):
    // each replica alone would still have half of it left.
    const statuses: number[] = [];
    for (let wave = 0; wave < BURST; wave += 8) {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => ask(i % 2)));
      statuses.push(...results.map((result) => result.status));
    }
    expect(statuses).toEqual(Array(BURST).fill(200));
    const after = await Promise.all([ask(0), ask(1)]);
    expect(after.map((result) => result.status)).toEqual([429, 429]);
  });

  it('write every event from both into the one access log', async () => {
    const token = await freshCaller('vsh', 'both');
    const [first, second] = await Promise.all(
      [0, 1].map((replica) =>
        graphql(gatewayUrl(replica), token, PROFILE, { id: childIds(2)[replica] }),
      ),
    );
    const ids = [first!, second!].map((result) => {
      expect(answeredWithData(result)).toBe(true);
      return result.headers.get('x-request-id') as string;
    });
    expect(await auditedRequests(ids)).toEqual(new Set(ids));
    const { rows } = await db.query<{ request_id: string; child_id: string }>(
      'SELECT request_id, child_id FROM access_audit_event WHERE request_id = ANY($1)',
      [ids],
    );
    expect(rows.map((row) => row.child_id).sort()).toEqual(childIds(2).sort());
  });

  /** Waits until `replica` sheds a probe: MAX_IN_FLIGHT requests are being worked on. */
  /**
   * Probes the replica until it refuses one (503: every slot is taken by the requests in
   * flight). Fails, saying what it saw, if the requests in flight all ended first.
   */
  async function untilFull(replica: number, inFlight: Array<Promise<GraphQLResult>>) {
    const probe = await freshCaller('teacher', 'probe');
    let settled = false;
    const all = Promise.allSettled(inFlight).then((outcomes) => {
      settled = true;
      return outcomes;
    });
    const seen: number[] = [];
    while (!settled) {
      const result = await graphql(gatewayUrl(replica), probe, '{ __typename }');
      if (result.status === 503) return;
      seen.push(result.status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const outcomes = (await all).map((o) =>
      o.status === 'fulfilled' ? o.value.status : String(o.reason),
    );
    throw new Error(
      `the replica was never full: probes ${seen.join(',')}; requests ended ${outcomes.join(',')}`,
    );
  }

  it('a replica sent SIGTERM under load drains its requests in flight and loses no audit record', async () => {
    const replica = services.gateways[1]!;
    const token = await freshCaller('vsh', 'drain');
    // Slow council systems keep the requests in flight while the signal arrives.
    await setLatency(1_500);
    try {
      const inFlight = childIds(MAX_IN_FLIGHT).map((id) =>
        graphql(gatewayUrl(1), token, PROFILE, { id }),
      );
      await untilFull(1, inFlight);
      replica.child.kill('SIGTERM');
      const results = await Promise.all(inFlight);
      for (const result of results) expect(answeredWithData(result)).toBe(true);
      const ids = results.map((result) => result.headers.get('x-request-id') as string);
      expect(await auditedRequests(ids)).toEqual(new Set(ids));
      expect(await replica.exited).toBe(0);
      // The drain is proven; the slow council systems only slowed what follows (seconds).
      await setLatency(0);
      // Gone: the load balancer sends new requests to the other replica.
      await expect(graphql(gatewayUrl(1), token, PROFILE, { id: '1000001' })).rejects.toThrow();
      expect(
        answeredWithData(await graphql(gatewayUrl(0), token, PROFILE, { id: '1000001' })),
      ).toBe(true);
    } finally {
      await setLatency(0);
    }
  });

  it('a replica killed with SIGKILL loses no record of a request a client was answered with data for', async () => {
    const replica = services.gateways[0]!;
    const token = await freshCaller('vsh', 'kill');
    await setLatency(150);
    try {
      // A stream of requests; the replica dies the moment the first answer arrives.
      let killed = false;
      const requests = childIds(30).map(async (id, index) => {
        await new Promise((resolve) => setTimeout(resolve, index * 60));
        try {
          const result = await graphql(gatewayUrl(0), token, PROFILE, { id });
          if (!killed) {
            killed = true;
            replica.child.kill('SIGKILL');
          }
          return result;
        } catch {
          return null; // the connection died with the process: no answer, nothing promised
        }
      });
      const results = await Promise.all(requests);
      const answered = results.filter(
        (result): result is GraphQLResult => result !== null && answeredWithData(result),
      );
      expect(answered.length).toBeGreaterThan(0);
      const ids = answered.map((result) => result.headers.get('x-request-id') as string);
      expect(await auditedRequests(ids)).toEqual(new Set(ids));
      expect(await replica.exited).toBe('SIGKILL');
    } finally {
      await setLatency(0);
    }
  });
});
