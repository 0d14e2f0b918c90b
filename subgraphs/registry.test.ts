/**
 * The registry is the one list of subgraphs: each has its folder, its SDL there, a port of its
 * own, and the gateway's configuration, the all-in-one system and the README's table all say
 * the same as the registry.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadGatewayConfig } from '../gateway/config';
import { SCHEMA_DIR, SUBGRAPHS_DIR } from '../schema/subgraphs';
import { DEFAULT_PORTS, gatewaySubgraphEnv } from '../system/start-system';
import { README_FILE, readmeSubgraphCells, subgraphTableCells } from './readme-table';
import {
  defaultSubgraphUrl,
  perSubgraph,
  SUBGRAPH_NAMES,
  SUBGRAPHS,
  subgraphTimeoutVariable,
  subgraphUrlVariable,
} from './registry';

const IDENTITY = {
  OIDC_ISSUER: 'https://login.example.test/tenant/v2.0',
  OIDC_AUDIENCE: 'api://cla-graph',
  OIDC_JWKS_URL: 'https://login.example.test/tenant/discovery/v2.0/keys',
};

/** What every subgraph's configuration needs to load (its secrets have no defaults). */
const SUBGRAPH_ENV = {
  NODE_ENV: 'development',
  LA_CODE: '340',
  SOCIAL_CARE_API_KEY: 'social-care-key-for-tests',
  EDUCATION_API_KEY: 'education-key-for-tests',
  FINANCE_API_KEY: 'finance-key-for-tests',
};

describe('the subgraph registry', () => {
  it('names each subgraph once, each on a port of its own', () => {
    expect(new Set(SUBGRAPH_NAMES).size).toBe(SUBGRAPHS.length);
    const ports = SUBGRAPHS.map((subgraph) => subgraph.defaultPort);
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports).not.toContain(DEFAULT_PORTS.gateway);
    expect(ports).not.toContain(DEFAULT_PORTS.issuer);
  });

  it.each(SUBGRAPH_NAMES)('%s: its folder holds its descriptor and its SDL', (name) => {
    const subgraph = SUBGRAPHS.find((candidate) => candidate.name === name)!;
    const folder = path.join(SUBGRAPHS_DIR, name);
    expect(existsSync(path.join(folder, 'index.ts'))).toBe(true);
    expect(subgraph.sdlFile).toBe(path.join(folder, `${name}.graphql`));
    expect(readFileSync(subgraph.sdlFile, 'utf8')).toMatch(/extend schema\s+@link/);
  });

  it('leaves no SDL outside the registry (every subgraph folder with an SDL is listed)', () => {
    const folders = readdirSync(SUBGRAPHS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .filter((name) => existsSync(path.join(SUBGRAPHS_DIR, name, `${name}.graphql`)));
    expect([...folders].sort()).toEqual([...SUBGRAPH_NAMES].sort());
    // schema/ keeps only the composed supergraph.
    const schemaSdl = readdirSync(SCHEMA_DIR).filter((file) => file.endsWith('.graphql'));
    expect(schemaSdl).toEqual(['supergraph.graphql']);
  });

  it.each(SUBGRAPH_NAMES)('%s: listens on its default port unless PORT says otherwise', (name) => {
    const subgraph = SUBGRAPHS.find((candidate) => candidate.name === name)!;
    expect(subgraph.loadConfig(SUBGRAPH_ENV).port).toBe(subgraph.defaultPort);
    expect(subgraph.loadConfig({ ...SUBGRAPH_ENV, PORT: '5999' }).port).toBe(5999);
  });

  it('gives the gateway one URL variable per subgraph, defaulting to its port', () => {
    const config = loadGatewayConfig(IDENTITY);
    expect(config.subgraphUrls).toEqual(perSubgraph((subgraph) => defaultSubgraphUrl(subgraph)));
    const elsewhere = Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [subgraphUrlVariable(name), `https://${name}.example.test/g`]),
    );
    expect(loadGatewayConfig({ ...IDENTITY, ...elsewhere }).subgraphUrls).toEqual(
      perSubgraph(({ name }) => `https://${name}.example.test/g`),
    );
    expect(() =>
      loadGatewayConfig({ ...IDENTITY, [subgraphUrlVariable('finance')]: 'not a url' }),
    ).toThrow(/FINANCE_SUBGRAPH_URL/);
  });

  it('gives a subgraph with a deadline of its own its variable at the gateway', () => {
    expect(loadGatewayConfig(IDENTITY).subgraphTimeoutOverridesMs).toEqual({ reporting: 60_000 });
    const withOwn = SUBGRAPHS.filter((subgraph) => subgraph.gatewayTimeoutMs !== undefined);
    expect(withOwn.map(({ name }) => subgraphTimeoutVariable(name))).toEqual([
      'REPORTING_SUBGRAPH_TIMEOUT_MS',
    ]);
    expect(
      loadGatewayConfig({ ...IDENTITY, REPORTING_SUBGRAPH_TIMEOUT_MS: '90000' })
        .subgraphTimeoutOverridesMs,
    ).toEqual({ reporting: 90_000 });
  });

  it('starts every subgraph on its default port with `npm start`', () => {
    expect(DEFAULT_PORTS.subgraphs).toEqual(perSubgraph((subgraph) => subgraph.defaultPort));
  });

  it('points the gateway at any subgraph the system options name, not only finance', () => {
    const running = perSubgraph(({ name }) => `http://127.0.0.1:1/${name}`);
    for (const name of SUBGRAPH_NAMES) {
      const env = gatewaySubgraphEnv(running, { [name]: 'http://proxy.test/graphql' });
      expect(env[subgraphUrlVariable(name)]).toBe('http://proxy.test/graphql');
      for (const other of SUBGRAPH_NAMES.filter((candidate) => candidate !== name)) {
        expect(env[subgraphUrlVariable(other)]).toBe(running[other]);
      }
    }
  });

  it("matches the README's table of subgraphs (run `npm run compose` if not)", () => {
    expect(readmeSubgraphCells(readFileSync(README_FILE, 'utf8'))).toEqual(subgraphTableCells());
  });
});
