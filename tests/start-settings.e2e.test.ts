/**
 * `npm start` honours the README's configuration table: the environment it is given reaches
 * the gateway and the subgraphs through their own schemas (`SystemOptions.env`, which
 * scripts/start.ts passes `process.env` as), while the wiring it owns (URLs, keys, issuer)
 * stays its own.
 */
import type { RunningSystem } from '../system/start-system';
import { graphql, startTestSystem } from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem({
    // No subgraphTimeoutMs: the environment's SUBGRAPH_TIMEOUT_MS must win over the default.
    subgraphTimeoutMs: undefined,
    env: {
      RATE_LIMIT_BURST: '3',
      RATE_LIMIT_PER_MINUTE: '1',
      MAX_COST: '4321',
      MAX_DEPTH: '9',
      SUBGRAPH_TIMEOUT_MS: '7000',
      REPORTING_SUBGRAPH_TIMEOUT_MS: '61000',
      SCOPE_TIMEOUT_MS: '1500',
      REPORT_CACHE_TTL_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '2500',
      // Wiring `npm start` owns: ignored.
      OIDC_ISSUER: 'https://elsewhere.example/',
      SOCIAL_CARE_SUBGRAPH_URL: 'http://127.0.0.1:1/graphql',
    },
  });
});

afterAll(async () => {
  await system?.close();
});

it('gives the gateway every documented setting it was started with', () => {
  const { gateway } = system.settings;
  expect(gateway.hardening.rateLimit).toMatchObject({ burst: 3, perMinute: 1 });
  expect(gateway.hardening.limits).toMatchObject({ maxCost: 4321, maxDepth: 9 });
  expect(gateway.subgraphTimeoutMs).toBe(7000);
  expect(gateway.subgraphTimeoutOverridesMs.reporting).toBe(61000);
  expect(gateway.shutdownTimeoutMs).toBe(2500);
});

it('gives the subgraphs theirs', () => {
  const { subgraphs } = system.settings;
  for (const config of Object.values(subgraphs)) expect(config.scope.timeoutMs).toBe(1500);
  expect(subgraphs.reporting).toMatchObject({ cacheTtlMs: 0 });
});

it('keeps its own wiring over the environment', () => {
  const { gateway } = system.settings;
  expect(gateway.oidc.issuer).toBe(system.devIssuer.issuer);
  expect(gateway.subgraphUrls['social-care']).toBe(system.urls.subgraphs['social-care']);
});

it('refuses the fourth request of a burst of three (RATE_LIMIT_BURST=3)', async () => {
  const token = await system.tokenFor('teacher');
  const statuses: number[] = [];
  for (let i = 0; i < 4; i += 1)
    statuses.push((await graphql(system.urls.gateway, token, '{ __typename }')).status);
  expect(statuses).toEqual([200, 200, 200, 429]);
});
