/**
 * Identity at the edge: only a valid bearer token from the configured issuer, for our
 * audience, unexpired and properly signed, gets in; every other request gets the same 401
 * with no data. Subgraphs accept only the gateway's own signed token.
 */
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { SUBGRAPH_NAMES } from '../schema/subgraphs';
import type { RunningSystem } from '../system/start-system';
import { graphql, startTestSystem } from './support/system';

let system: RunningSystem;
const QUERY = `{ children(first: 1) { totalCount } }`;

beforeAll(async () => {
  system = await startTestSystem({ children: 200 });
});

afterAll(async () => {
  await system?.close();
});

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
