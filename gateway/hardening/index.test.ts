/**
 * createHardening puts every control in its place: an Express app and an Apollo Server wired
 * as server.ts wires them (headers first, the per-caller limits after authentication, the
 * capped body parser, the final handlers last), over a tiny schema.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express4';
import express from 'express';
import { buildSchema } from 'graphql';
import type { Caller } from '../../identity/caller';
import { listen, type RunningServer } from '../../lib/http/http-server';
import { createHardening, type Hardening, type HardeningConfig } from './index';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    child(id: ID!): Child
    children(first: Int): [Child!]!
    fail: String
  }
  type Child {
    id: ID!
    friend: Child
  }
`);
const rootValue = {
  child: ({ id }: { id: string }) => ({ id, friend: null }),
  children: () => [],
  fail: () => {
    throw new Error('connect ECONNREFUSED 10.1.2.3:5432');
  },
};

const dir = mkdtempSync(join(tmpdir(), 'hardening-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (overrides: Partial<HardeningConfig> = {}): HardeningConfig => ({
  limits: { maxDepth: 3, maxAliases: 5, maxDirectives: 5, maxTokens: 200, maxCost: 100 },
  maxBodyBytes: 2048,
  rateLimit: {
    perMinute: 60,
    burst: 5,
    keyPrefix: `cla-graph:test:hardening:${randomUUID()}:`,
    onStoreFailure: 'local',
  },
  maxInFlight: 10,
  ...overrides,
});

interface Running {
  url: string;
  stop(): Promise<void>;
}

/** The app as server.ts wires it (the test's own caller stands in for `authenticate`). */
function wire(hardening: Hardening, server: ApolloServer): express.Express {
  const app = express();
  app.use(hardening.headers);
  app.use(
    '/graphql',
    (req, res, next) => {
      const caller: Caller = {
        sub: req.get('x-test-caller') ?? 'S-HARDENING',
        roles: ['virtual-school-head'],
        la: '340',
        urns: [],
        clientId: null,
      };
      res.locals.identity = { caller, requestId: randomUUID(), purpose: null };
      next();
    },
    ...hardening.perCaller,
    hardening.jsonBody,
    expressMiddleware(server),
  );
  app.use(hardening.finalHandlers);
  return app;
}

async function start(hardeningConfig: HardeningConfig, production = true): Promise<Running> {
  const hardening = await createHardening(hardeningConfig, { production });
  const server = new ApolloServer({
    schema,
    rootValue,
    ...hardening.apollo,
    introspection: !production,
    plugins: hardening.plugins,
  });
  await server.start();
  let http: RunningServer;
  try {
    http = await listen(wire(hardening, server), 0);
  } catch (error) {
    // A wiring that fails must not leave the server running (Jest would never exit).
    await server.stop();
    await hardening.close();
    throw error;
  }
  return {
    url: `${http.url}/graphql`,
    async stop() {
      await http.close(0);
      await server.stop();
      await hardening.close();
    },
  };
}

/** Each call a caller of its own unless named, so only the rate-limit test meets the limit. */
async function ask(url: string, query: string, caller: string = randomUUID()) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-test-caller': caller },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
  return {
    status: response.status,
    headers: response.headers,
    body,
    codes: (body.errors ?? []).map((error) => error.extensions?.code),
  };
}

describe('createHardening (in memory, production)', () => {
  let gateway: Running;
  beforeAll(async () => {
    gateway = await start(config());
  });
  afterAll(() => gateway?.stop());

  it('runs an ordinary query, with the security headers and the rate-limit headers', async () => {
    const result = await ask(gateway.url, '{ child(id: "1") { id } }', 'S-OK');
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ data: { child: { id: '1' } } });
    expect(result.headers.get('cache-control')).toBe('no-store');
    expect(result.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(result.headers.get('ratelimit-limit')).toBe('5');
  });

  it('refuses depth with the validation rules and cost with the plugin (400 QUERY_TOO_COMPLEX)', async () => {
    const deep = await ask(
      gateway.url,
      '{ child(id: "1") { friend { friend { friend { id } } } } }',
    );
    expect([deep.status, deep.codes]).toEqual([400, ['QUERY_TOO_COMPLEX']]);
    const costly = await ask(gateway.url, '{ children(first: 200) { id } }');
    expect([costly.status, costly.codes]).toEqual([400, ['QUERY_TOO_COMPLEX']]);
  });

  it('refuses too many tokens in the parser', async () => {
    const many = `{ ${Array.from({ length: 80 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const result = await ask(gateway.url, many);
    expect(result.codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect(result.body.errors?.[0]?.message).toBe('The query has too many tokens.');
  });

  it('masks with the production formatError: no schema names, no internals', async () => {
    const unknown = await ask(gateway.url, '{ chlid(id: "1") { id } }');
    expect(unknown.codes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(unknown.body.errors?.[0]?.message).toBe('The query is not valid for this API.');
    const failed = await ask(gateway.url, '{ fail }');
    expect(failed.body.errors).toEqual([
      {
        message: 'Internal server error.',
        path: ['fail'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
  });

  it('caps the body and answers unknown paths with JSON', async () => {
    const big = await ask(gateway.url, `{ child(id: "${'1'.repeat(3000)}") { id } }`);
    expect([big.status, big.codes]).toEqual([413, ['PAYLOAD_TOO_LARGE']]);
    const nowhere = await fetch(gateway.url.replace('/graphql', '/nowhere'));
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get('x-frame-options')).toBe('DENY');
  });

  it('offers no automatic persisted queries', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-test-caller': randomUUID() },
      body: JSON.stringify({
        extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
      }),
    });
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });

  it('rate-limits per caller after authentication', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1)
      statuses.push((await ask(gateway.url, '{ child(id: "1") { id } }', 'S-RL')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await ask(gateway.url, '{ child(id: "1") { id } }', 'S-RL-OTHER')).status).toBe(200);
  });
});

describe('createHardening with a safelist and the in-flight cap', () => {
  it('runs only the registered operations', async () => {
    const file = join(dir, 'safelist.json');
    writeFileSync(file, JSON.stringify(['{ child(id: "1") { id } }']));
    const gateway = await start(config({ safelistFile: file }));
    try {
      expect((await ask(gateway.url, '{child(id:"1"){id}}')).status).toBe(200);
      const adHoc = await ask(gateway.url, '{ child(id: "2") { id } }');
      expect([adHoc.status, adHoc.codes]).toEqual([400, ['OPERATION_NOT_ALLOWED']]);
    } finally {
      await gateway.stop();
    }
  });

  it('refuses to start with a bad safelist', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{');
    await expect(
      createHardening(config({ safelistFile: file }), { production: true }),
    ).rejects.toThrow(/SAFELIST_FILE/);
  });

  it('sheds load past maxInFlight', async () => {
    const gateway = await start(config({ maxInFlight: 0 }));
    try {
      const result = await ask(gateway.url, '{ child(id: "1") { id } }');
      expect([result.status, result.codes]).toEqual([503, ['OVERLOADED']]);
    } finally {
      await gateway.stop();
    }
  });
});

describe('createHardening with Redis', () => {
  it('refuses everything with 503 when Redis is unreachable and the policy is closed', async () => {
    const base = config();
    const gateway = await start(
      config({
        rateLimit: { ...base.rateLimit, redisUrl: 'redis://127.0.0.1:1', onStoreFailure: 'closed' },
      }),
    );
    try {
      const result = await ask(gateway.url, '{ child(id: "1") { id } }');
      expect([result.status, result.codes]).toEqual([503, ['OVERLOADED']]);
    } finally {
      await gateway.stop();
    }
  });
});
