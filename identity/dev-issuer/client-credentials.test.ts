import { createLocalJWKSet, jwtVerify } from 'jose';
import { listen, type RunningServer } from '../../lib/http/http-server';
import { createDevIssuerApp } from './app';
import { CLIENT_TOKEN_SECONDS } from './client-credentials';
import { generateDevIssuerKey, type DevIssuerKey } from './signing-key';

const CLIENT = {
  clientId: 'cla-graph-340',
  clientSecret: 'a-long-enough-test-secret',
  la: '340',
  audiences: ['api://cla-graph-359'],
};

let key: DevIssuerKey;
let withClients: RunningServer;
let withoutClients: RunningServer;

beforeAll(async () => {
  key = await generateDevIssuerKey();
  withClients = await listen(
    createDevIssuerApp(key, 'http://issuer.test', undefined, [CLIENT]),
    0,
    '127.0.0.1',
  );
  withoutClients = await listen(createDevIssuerApp(key, 'http://issuer.test'), 0, '127.0.0.1');
});

afterAll(async () => {
  await withClients.close(100);
  await withoutClients.close(100);
});

function ask(
  server: RunningServer,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

const basic = (id: string, secret: string) => ({
  Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
});

describe('the development issuer’s client-credentials grant', () => {
  it('gives a registered client a short token: itself, its authority, placing-authority only', async () => {
    const response = await ask(
      withClients,
      { grant_type: 'client_credentials', audience: 'api://cla-graph-359' },
      basic(CLIENT.clientId, CLIENT.clientSecret),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { access_token: string; expires_in: number };
    expect(body.expires_in).toBe(CLIENT_TOKEN_SECONDS);
    const { payload } = await jwtVerify(
      body.access_token,
      createLocalJWKSet({ keys: [key.publicJwk] }),
      {
        issuer: 'http://issuer.test',
        audience: 'api://cla-graph-359',
      },
    );
    expect(payload).toMatchObject({
      sub: 'cla-graph-340',
      azp: 'cla-graph-340',
      la: '340',
      roles: ['placing-authority'],
    });
    expect(payload.exp! - payload.iat!).toBe(CLIENT_TOKEN_SECONDS);
  });

  it.each([
    [
      'a wrong secret',
      {
        grant_type: 'client_credentials',
        audience: 'api://cla-graph-359',
        client_id: 'cla-graph-340',
        client_secret: 'wrong-wrong-wrong',
      },
      401,
      'invalid_client',
    ],
    [
      'an unknown client',
      {
        grant_type: 'client_credentials',
        audience: 'api://cla-graph-359',
        client_id: 'someone',
        client_secret: CLIENT.clientSecret,
      },
      401,
      'invalid_client',
    ],
    [
      'no credentials',
      { grant_type: 'client_credentials', audience: 'api://cla-graph-359' },
      401,
      'invalid_client',
    ],
    [
      'another grant',
      {
        grant_type: 'password',
        audience: 'api://cla-graph-359',
        client_id: 'cla-graph-340',
        client_secret: CLIENT.clientSecret,
      },
      400,
      'unsupported_grant_type',
    ],
    [
      'an audience not registered',
      {
        grant_type: 'client_credentials',
        audience: 'api://cla-graph-340',
        client_id: 'cla-graph-340',
        client_secret: CLIENT.clientSecret,
      },
      400,
      'invalid_target',
    ],
  ])('refuses %s', async (_what, form, status, error) => {
    const response = await ask(withClients, form);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error });
  });

  it('has no token endpoint when no client is registered', async () => {
    const response = await ask(
      withoutClients,
      { grant_type: 'client_credentials', audience: 'api://cla-graph-359' },
      basic(CLIENT.clientId, CLIENT.clientSecret),
    );
    expect(response.status).toBe(404);
    const discovery = (await (
      await fetch(`${withoutClients.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery.token_endpoint).toBeUndefined();
  });
});
