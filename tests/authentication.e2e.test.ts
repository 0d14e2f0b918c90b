/**
 * Identity at the edge: only a valid bearer token from the configured issuer, for our
 * audience, unexpired and properly signed, gets in; every other request gets the same 401
 * with no data. Subgraphs accept only the gateway's own signed token, each only for the call
 * it was signed for (the social care subgraph is reached through a proxy that records what
 * the gateway sends, as someone on the network between them could).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { SUBGRAPH_NAMES } from '../subgraphs/registry';
import type { RunningSystem } from '../system/start-system';
import { graphql, resetUpstreamCounters, startTestSystem, upstreamCounts } from './support/system';

let system: RunningSystem;
let proxy: CapturingProxy;
const QUERY = `{ children(first: 1) { totalCount } }`;

beforeAll(async () => {
  proxy = await startCapturingProxy();
  system = await startTestSystem({
    children: 200,
    gatewaySubgraphUrls: { 'social-care': proxy.url },
  });
  proxy.target = system.urls.subgraphs['social-care'];
});

afterAll(async () => {
  await system?.close();
  await new Promise((resolve) => proxy?.server.close(resolve));
});

interface CapturedCall {
  authorization: string;
  body: string;
}

interface CapturingProxy {
  url: string;
  server: Server;
  target: string;
  calls: CapturedCall[];
}

/** Passes requests on to `target` unchanged, keeping each one's Authorization and body. */
async function startCapturingProxy(): Promise<CapturingProxy> {
  const proxy: CapturingProxy = { url: '', server: createServer(), target: '', calls: [] };
  proxy.server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const authorization = req.headers.authorization ?? '';
      if (req.method === 'POST') proxy.calls.push({ authorization, body });
      const headers: Record<string, string> = {};
      if (req.headers['content-type']) headers['Content-Type'] = req.headers['content-type'];
      if (authorization) headers.Authorization = authorization;
      const target = new URL(req.url ?? '/', proxy.target).toString();
      fetch(target, { method: req.method, headers, body: req.method === 'POST' ? body : undefined })
        .then(async (response) => {
          res.writeHead(response.status, {
            'Content-Type': response.headers.get('content-type') ?? 'application/json',
          });
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch(() => {
          res.writeHead(502).end();
        });
    });
  });
  await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.server.address() as AddressInfo;
  proxy.url = `http://127.0.0.1:${port}/graphql`;
  return proxy;
}

/** A token as the development issuer would sign it, with the claims and times given. */
async function devToken(
  options: { audience?: string; issuer?: string; expiresAt?: number; sub?: string } = {},
) {
  const { key, issuer, audience } = system.devIssuer;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: ['virtual-school-head'], la: '340' })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setSubject(options.sub ?? 'S100001')
    .setIssuer(options.issuer ?? issuer)
    .setAudience(options.audience ?? audience)
    .setIssuedAt(now - 60)
    .setExpirationTime(options.expiresAt ?? now + 300)
    .sign(key.privateKey);
}

function expectRefused(result: Awaited<ReturnType<typeof graphql>>) {
  expect(result.status).toBe(401);
  expect(result.data).toBeUndefined();
  expect(result.errors).toEqual([
    { message: 'Authentication required.', extensions: { code: 'UNAUTHENTICATED' } },
  ]);
}

describe('the gateway', () => {
  it('answers a valid token', async () => {
    const result = await graphql(system.urls.gateway, await devToken(), QUERY);
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });

  it('refuses a request with no token', async () => {
    expectRefused(await graphql(system.urls.gateway, null, QUERY));
  });

  it('refuses an expired token', async () => {
    expectRefused(
      await graphql(
        system.urls.gateway,
        await devToken({ expiresAt: Math.floor(Date.now() / 1000) - 120 }),
        QUERY,
      ),
    );
  });

  it('refuses a token for another audience', async () => {
    expectRefused(
      await graphql(system.urls.gateway, await devToken({ audience: 'api://someone-else' }), QUERY),
    );
  });

  it('refuses a token from another issuer', async () => {
    expectRefused(
      await graphql(
        system.urls.gateway,
        await devToken({ issuer: 'https://login.example.test/' }),
        QUERY,
      ),
    );
  });

  it('refuses a token signed with another key, even with the right kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ roles: ['virtual-school-head'], la: '340' })
      .setProtectedHeader({ alg: 'ES256', kid: system.devIssuer.key.kid })
      .setSubject('S100001')
      .setIssuer(system.devIssuer.issuer)
      .setAudience(system.devIssuer.audience)
      .setExpirationTime('5m')
      .sign(privateKey);
    expectRefused(await graphql(system.urls.gateway, forged, QUERY));
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const unsigned = new UnsecuredJWT({ roles: ['virtual-school-head'], la: '340' })
      .setSubject('S100001')
      .setIssuer(system.devIssuer.issuer)
      .setAudience(system.devIssuer.audience)
      .setExpirationTime('5m')
      .encode();
    expectRefused(await graphql(system.urls.gateway, unsigned, QUERY));
  });

  it('refuses an HMAC token (algorithm confusion)', async () => {
    const hmac = await new SignJWT({ roles: ['virtual-school-head'], la: '340' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('S100001')
      .setIssuer(system.devIssuer.issuer)
      .setAudience(system.devIssuer.audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JSON.stringify(system.devIssuer.key.publicJwk)));
    expectRefused(await graphql(system.urls.gateway, hmac, QUERY));
  });

  it('refuses a malformed Authorization header', async () => {
    const response = await fetch(system.urls.gateway, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Basic dXNlcjpwYXNz' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(response.status).toBe(401);
  });
});

describe('each subgraph, called directly', () => {
  const SUBGRAPH_QUERY = `{ _service { sdl } }`;

  it.each(SUBGRAPH_NAMES)('%s refuses a request without the gateway token', async (name) => {
    expectRefused(await graphql(system.urls.subgraphs[name], null, SUBGRAPH_QUERY));
  });

  it.each(SUBGRAPH_NAMES)(
    '%s refuses a valid caller token that the gateway did not sign',
    async (name) => {
      expectRefused(await graphql(system.urls.subgraphs[name], await devToken(), SUBGRAPH_QUERY));
    },
  );
});

describe('claims', () => {
  it('refuses a token with no authority code (a misconfigured claims mapping)', async () => {
    const { key, issuer, audience } = system.devIssuer;
    const token = await new SignJWT({ roles: ['designated-teacher'], urn: ['100001'] })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setSubject('E100001')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(key.privateKey);
    expectRefused(await graphql(system.urls.gateway, token, QUERY));
  });
});

describe('a gateway token captured on its way to a subgraph', () => {
  /** What the captured call asked: a count. */
  const COUNT = /* GraphQL */ `
    query ($first: Int!) {
      children(first: $first) {
        totalCount
      }
    }
  `;
  /** What the replay asks instead: every child’s name and date of birth. */
  const EVERYTHING = /* GraphQL */ `
    {
      children(first: 500) {
        edges {
          node {
            id
            name {
              displayName
            }
            dateOfBirth
          }
        }
      }
    }
  `;
  const post = (authorization: string, body: string) =>
    fetch(system.urls.subgraphs['social-care'], {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: authorization },
      body,
    });
  const tokenOf = (call: CapturedCall) => decodeJwt(call.authorization.replace(/^Bearer /, ''));

  it('is bound to its body and used once: replayed with another query or the same one, it reads nothing', async () => {
    proxy.calls.length = 0;
    const answer = await graphql<{ children: { totalCount: number } }>(
      system.urls.gateway,
      await devToken(),
      COUNT,
      { first: 1 },
    );
    // The gateway's own call was accepted.
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.children.totalCount).toBeGreaterThan(0);
    expect(proxy.calls).toHaveLength(1);
    const captured = proxy.calls[0]!;
    expect(tokenOf(captured)).toMatchObject({
      aud: 'social-care',
      jti: expect.any(String),
      body_sha256: expect.any(String),
    });

    await resetUpstreamCounters(system);
    const replays = [
      // Another query altogether.
      JSON.stringify({ query: EVERYTHING }),
      // The captured body with one variable changed.
      captured.body.replace('"first":1', '"first":500'),
      // The captured body as it was.
      captured.body,
    ];
    expect(replays[1]).not.toBe(captured.body);
    for (const body of replays) {
      const response = await post(captured.authorization, body);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        errors: [{ message: 'Authentication required.', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    // Refused before any work: not one upstream request (not even a scope look-up).
    expect(await upstreamCounts(system)).toEqual({ socialCare: 0, education: 0, finance: 0 });
  });

  it('is signed afresh for every call, so the gateway never sends one twice', async () => {
    proxy.calls.length = 0;
    const token = await devToken();
    for (const first of [1, 1, 2]) {
      const answer = await graphql(system.urls.gateway, token, COUNT, { first });
      expect(answer.errors).toBeUndefined();
    }
    const ids = proxy.calls.map((call) => tokenOf(call).jti);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  });
});
