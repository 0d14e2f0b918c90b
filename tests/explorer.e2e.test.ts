/**
 * The development explorer (issue 12, point 6) over HTTP: GraphiQL served by the gateway with
 * every asset from its own origin, a CSP of its own scoped to /explorer, persona tokens from
 * the development issuer that really open the graph, and no explorer at all in production.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { exportPKCS8, generateKeyPair } from 'jose';
import { loadGatewayConfig } from '../gateway/config';
import { EXPLORER_CSP } from '../gateway/explorer';
import { createGateway } from '../gateway/server';
import { listen } from '../lib/http/http-server';
import type { RunningSystem } from '../system/start-system';
import { gatewaySubgraphEnv } from '../system/start-system';
import { graphql, startTestSystem } from './support/system';

let system: RunningSystem;
let base: string;

beforeAll(async () => {
  system = await startTestSystem();
  base = system.urls.gateway.replace(/\/graphql$/, '');
});

afterAll(async () => {
  await system?.close();
});

/** Every `src` and `href` of an HTML page. */
const referencesIn = (html: string): string[] =>
  [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/g)].map((match) => match[1]!);

describe('the explorer in development', () => {
  let page: Response;
  let html: string;

  beforeAll(async () => {
    page = await fetch(`${base}/explorer`);
    html = await page.text();
  });

  it('is served at /explorer as GraphiQL', () => {
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<main id="graphiql">');
    expect(html).toContain('/explorer/assets/graphiql.min.js');
  });

  it('references nothing outside its own origin', () => {
    const references = referencesIn(html);
    expect(references.length).toBeGreaterThanOrEqual(6);
    for (const reference of references) expect(reference).toMatch(/^\/explorer\/assets\/[\w.-]+$/);
    expect(html).not.toMatch(/https?:\/\/|\/\/[a-z]/i);
  });

  it('serves every asset it references, from this origin, with the right type', async () => {
    for (const reference of referencesIn(html)) {
      const asset = await fetch(`${base}${reference}`);
      expect(asset.status).toBe(200);
      const body = await asset.text();
      expect(body.length).toBeGreaterThan(100);
      expect(asset.headers.get('content-type')).toMatch(
        reference.endsWith('.css') ? /^text\/css/ : /javascript/,
      );
      // A stylesheet that imports or loads from elsewhere would reach a CDN after all.
      if (reference.endsWith('.css'))
        expect(body).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//i);
    }
  });

  it('answers an asset it does not have with 404', async () => {
    expect((await fetch(`${base}/explorer/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}/explorer/assets/secrets.js`)).status).toBe(404);
  });

  it('has its own CSP: scripts and connections to this origin only, no eval', () => {
    const csp = page.headers.get('content-security-policy');
    expect(csp).toBe(EXPLORER_CSP);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it('leaves the API’s own CSP (nothing allowed) everywhere else', async () => {
    const response = await fetch(`${base}/health/live`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).not.toContain("script-src 'self'");
  });

  it('lists the seeded personas and gets a token for one that opens the graph', async () => {
    const listed = await fetch(`${base}/explorer/personas`);
    expect(listed.status).toBe(200);
    const { personas } = (await listed.json()) as { personas: Array<{ name: string }> };
    expect(personas.map((persona) => persona.name)).toEqual(
      system.world.personas.map((persona) => persona.name),
    );

    const minted = await fetch(`${base}/explorer/personas/vsh/token`, { method: 'POST' });
    expect(minted.status).toBe(200);
    expect(minted.headers.get('cache-control')).toBe('no-store');
    const { token } = (await minted.json()) as { token: string };
    const result = await graphql<{ children: { totalCount: number } }>(
      system.urls.gateway,
      token,
      /* GraphQL */ `
        {
          children(first: 1) {
            totalCount
          }
        }
      `,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.children.totalCount).toBeGreaterThan(0);
  });

  it('runs its page script: signs in as the first persona, then GraphiQL queries with its token', async () => {
    // The page's own script, with the browser's globals stubbed: fetch goes to this gateway,
    // GraphiQL's fetcher is a plain POST, and rendering hands us the props GraphiQL would get.
    const elements = new Map<
      string,
      { textContent: string; value: string; disabled: boolean; children: unknown[] }
    >();
    const element = (id: string) => {
      if (!elements.has(id)) {
        const made = {
          textContent: '',
          value: '',
          disabled: true,
          children: [] as unknown[],
          appendChild(child: unknown) {
            made.children.push(child);
          },
          addEventListener() {},
        };
        elements.set(id, made);
      }
      return elements.get(id)!;
    };
    let rendered: { fetcher: (params: unknown, options?: unknown) => Promise<unknown> } | undefined;
    const sent: string[] = [];
    const browserFetch = (url: string, init: RequestInit = {}) => {
      sent.push(`${init.method ?? 'GET'} ${url}`);
      return fetch(`${base}${url}`, init);
    };
    const GraphiQL = Object.assign(() => null, {
      createFetcher:
        ({ url }: { url: string }) =>
        async (params: unknown, options: { headers?: Record<string, string> } = {}) =>
          (
            await browserFetch(url, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', ...options.headers },
              body: JSON.stringify(params),
            })
          ).json(),
    });
    const script = readFileSync(
      path.join(__dirname, '..', 'gateway', 'explorer', 'page', 'explorer.js'),
      'utf8',
    );
    const renderedNow = new Promise<void>((resolve) => {
      vm.runInNewContext(script, {
        document: { getElementById: element },
        fetch: browserFetch,
        Option: function Option(text: string, value: string) {
          return { text, value };
        },
        GraphiQL,
        React: { createElement: (_type: unknown, props: typeof rendered) => props },
        ReactDOM: {
          createRoot: () => ({
            render(props: typeof rendered) {
              rendered = props;
              resolve();
            },
          }),
        },
        Object,
        Promise,
        encodeURIComponent,
        Error,
      });
    });
    await renderedNow;
    expect(sent).toEqual(['GET /explorer/personas', 'POST /explorer/personas/vsh/token']);
    expect(element('persona-status').textContent).toBe('signed in as vsh');
    const answer = (await rendered!.fetcher({
      query: '{ children(first: 1) { totalCount } }',
    })) as {
      data?: { children: { totalCount: number } };
    };
    expect(answer.data?.children.totalCount).toBeGreaterThan(0);
  });

  it('refuses a persona that does not exist, and a name that is not a persona’s', async () => {
    expect((await fetch(`${base}/explorer/personas/nobody/token`, { method: 'POST' })).status).toBe(
      404,
    );
    expect(
      (await fetch(`${base}/explorer/personas/..%2F.well-known/token`, { method: 'POST' })).status,
    ).toBe(404);
  });
});

describe('the explorer outside development', () => {
  it('is not served by a production gateway', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const config = loadGatewayConfig(
      {
        NODE_ENV: 'production',
        ...gatewaySubgraphEnv(system.urls.subgraphs),
        OIDC_ISSUER: system.devIssuer.issuer,
        OIDC_AUDIENCE: system.devIssuer.audience,
        OIDC_JWKS_URL: `${system.devIssuer.issuer}/.well-known/jwks.json`,
        GATEWAY_SIGNING_KEY: await exportPKCS8(privateKey),
      },
      { allowLocalIdentity: true },
    );
    expect(config.explorer).toBe(false);
    const gateway = await createGateway(config, {
      signer: system.signer,
      accessLog: system.stores.audit,
    });
    const running = await listen(gateway.app, 0, '127.0.0.1', config.serverTimeouts);
    try {
      for (const path of ['/explorer', '/explorer/assets/graphiql.min.js', '/explorer/personas']) {
        expect((await fetch(`${running.url}${path}`)).status).toBe(404);
      }
    } finally {
      await running.close(500);
      await gateway.stop();
    }
  });

  it('cannot be switched on in production', () => {
    expect(() =>
      loadGatewayConfig({
        NODE_ENV: 'production',
        EXPLORER_ENABLED: 'true',
        OIDC_ISSUER: 'https://login.example.org/tenant/v2.0',
        OIDC_AUDIENCE: 'api://cla-graph',
        OIDC_JWKS_URL: 'https://login.example.org/tenant/keys',
        GATEWAY_SIGNING_KEY: 'unused',
      }),
    ).toThrow('EXPLORER_ENABLED');
  });

  it('is off unless NODE_ENV says development or test, or EXPLORER_ENABLED says so', () => {
    const identity = {
      OIDC_ISSUER: 'https://login.example.org/tenant/v2.0',
      OIDC_AUDIENCE: 'api://cla-graph',
      OIDC_JWKS_URL: 'https://login.example.org/tenant/keys',
    };
    expect(loadGatewayConfig({ ...identity }).explorer).toBe(false);
    expect(loadGatewayConfig({ ...identity, NODE_ENV: 'test' }).explorer).toBe(true);
    expect(loadGatewayConfig({ ...identity, EXPLORER_ENABLED: 'true' }).explorer).toBe(true);
    expect(
      loadGatewayConfig({ ...identity, NODE_ENV: 'test', EXPLORER_ENABLED: 'false' }).explorer,
    ).toBe(false);
  });
});
