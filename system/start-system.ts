/**
 * The whole CLA Graph system in one process, for `npm start`, the end-to-end tests and the
 * benchmarks: the three simulated council systems over one seeded world, CLA Graph's own
 * database (embedded PGlite unless DATABASE_URL), the development token issuer, every
 * subgraph of the registry and the gateway. Each part is the same code its own entry point runs; only the
 * wiring (ports, keys, the shared store) lives here.
 */
import { randomBytes } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { createInternalTokenVerifier, InternalTokenSigner } from '../identity/internal-token';
import { createDevIssuerApp } from '../identity/dev-issuer/app';
import {
  generateDevIssuerKey,
  loadOrCreateDevIssuerKey,
  type DevIssuerKey,
} from '../identity/dev-issuer/signing-key';
import { personaTokens } from '../identity/dev-issuer/tokens';
import { DEFAULT_AUDIENCE, loadGatewayConfig, type GatewayConfig } from '../gateway/config';
import { createGateway } from '../gateway/server';
import { listen, type RunningServer } from '../lib/http/http-server';
import type { FaultConfig } from '../simulators/contracts/common';
import { generateWorld } from '../simulators/seed/generate';
import type { PersonaName, World } from '../simulators/seed/world';
import {
  startSimulators,
  type RunningSimulators,
  type SimulatorName,
} from '../simulators/start-all';
import { openStores, type Stores } from '../stores/open-stores';
import { syntheticVirtualSchools } from '../stores/virtual-school-directory/synthetic-seed';
import {
  perSubgraph,
  SUBGRAPHS,
  subgraphUrlVariable,
  type SubgraphName,
} from '../subgraphs/registry';
import type { SubgraphConfig } from '../subgraphs/descriptor';
import { loadAlertSettings } from '../events/config';
import { createAlertPipeline, type AlertPipeline } from '../events/pipeline';
import { loadWebhookConfig } from '../events/webhooks/config';
import { loadScopeConfig } from '../lib/authz/subgraph-security';
import { exchangeForSystem } from '../exchange/system';
import type { RegisterSync } from '../exchange/register-sync';
import type { PlacedPupilPush } from '../exchange/placed-pupil-push';
import type { Authority } from '../simulators/seed/authorities';

export interface SystemPorts {
  gateway: number;
  issuer: number;
  subgraphs: Record<SubgraphName, number>;
  simulators: Record<SimulatorName, number>;
}

/** The ports `npm start` uses (each subgraph's default); tests pass 0 everywhere (any free port). */
export const DEFAULT_PORTS: SystemPorts = {
  gateway: 4000,
  issuer: 4010,
  subgraphs: perSubgraph((subgraph) => subgraph.defaultPort),
  simulators: { socialCare: 4101, education: 4102, finance: 4103 },
};

export const ANY_FREE_PORTS: SystemPorts = {
  gateway: 0,
  issuer: 0,
  subgraphs: perSubgraph(() => 0),
  simulators: { socialCare: 0, education: 0, finance: 0 },
};

export interface SystemOptions {
  seed: number;
  children: number;
  /** The date the world is as of and the subgraphs count from. */
  asOf: string;
  ports: SystemPorts;
  host?: string;
  /** Real PostgreSQL when set; embedded PGlite under `dataDir` otherwise. */
  databaseUrl?: string;
  /** The database owner's connection: migrates and grants as it (see stores/README.md). */
  databaseMigrationUrl?: string;
  /** Where the embedded database and the development issuer's key live; `memory://` keeps nothing. */
  dataDir: string;
  /** A Postgres schema to run in (tests on a shared server). */
  databaseSchema?: string;
  faults?: Partial<Record<SimulatorName, Partial<FaultConfig>>>;
  /** Longest wait for a subgraph call at the gateway. */
  subgraphTimeoutMs?: number;
  /**
   * The environment `npm start` was given: every setting the gateway's and the subgraphs' own
   * schemas read (MAX_COST, RATE_LIMIT_*, SUBGRAPH_TIMEOUT_MS, <SYSTEM>_TIMEOUT_MS, REDIS_URL...),
   * parsed by those schemas. The wiring this function owns (URLs, keys, issuer, authority) wins.
   */
  env?: NodeJS.ProcessEnv;
  /** More gateway settings (its environment variables, e.g. MAX_COST or RATE_LIMIT_BURST); wins over `env`. */
  gatewayEnv?: NodeJS.ProcessEnv;
  /**
   * Point the gateway at another address for a subgraph (resilience tests: a dead or silent
   * one; a proxy that records what the gateway sends).
   */
  gatewaySubgraphUrls?: Partial<Record<SubgraphName, string>>;
  /**
   * Run the alert pipeline's loops (change feeds, daily sweep, webhooks): `npm start` does.
   * When false it is built but idle, and tests drive it (`alerts.worker.runOnce()`).
   */
  alerts?: boolean;
  /** The authority the generated world is (default Knowsley, 340). */
  la?: Authority;
  /**
   * A world built beforehand instead of generating one (the two-authority test builds both
   * worlds so that one authority's schools are where the other's children are placed).
   */
  world?: World;
  /** This API's audience in callers' tokens (default `api://cla-graph`). */
  audience?: string;
  /**
   * Run the exchange's register sync on its interval (EXCHANGE_PARTNERS in `env`): `npm start`
   * does. When false it is built but idle, and tests drive it (`exchange.runOnce()`).
   */
  exchange?: boolean;
}

export interface RunningSystem {
  world: World;
  urls: {
    gateway: string;
    issuer: string;
    subgraphs: Record<SubgraphName, string>;
    simulators: Record<SimulatorName, string>;
  };
  /** The simulators' credentials (tests read their counters). */
  simulatorKeys: Record<SimulatorName, string>;
  stores: Stores;
  /** The key the subgraphs trust (tests start a second gateway with it). */
  signer: InternalTokenSigner;
  /** A development token for one of the seeded personas. */
  tokenFor(persona: PersonaName): Promise<string>;
  /** The key the gateway signs subgraph tokens with (tests that play the query planner). */
  gatewaySigner: InternalTokenSigner;
  /** A development token for any claims (tests of roles and odd callers). */
  devIssuer: { key: DevIssuerKey; issuer: string; audience: string };
  /** The settings each part was built with, as its own schema parsed them (tests of `env`). */
  settings: { gateway: GatewayConfig; subgraphs: Record<SubgraphName, SubgraphConfig> };
  /** The alert pipeline: its worker (feeds, sweep) and webhook dispatcher. */
  alerts: AlertPipeline;
  /** The exchange's sync of partner authorities' registers (idle without partners). */
  exchange: RegisterSync;
  /** The exchange's sending side: what we share about our children at partners' schools. */
  placedPupilPush: PlacedPupilPush;
  close(): Promise<void>;
}

const newKey = (): string => randomBytes(24).toString('base64url');

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const host = options.host ?? '127.0.0.1';
  const world =
    options.world ??
    generateWorld({
      seed: options.seed,
      children: options.children,
      asOf: options.asOf,
      ...(options.la ? { la: options.la } : {}),
    });
  const audience = options.audience ?? DEFAULT_AUDIENCE;
  // The exchange's settings; our issuer's client-credentials client when the env names none.
  const exchange = exchangeForSystem(options.env ?? {}, world.la.code);
  const closers: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  try {
    const stores = await openStores({
      databaseUrl: options.databaseUrl,
      migrationUrl: options.databaseMigrationUrl,
      dataDir: options.dataDir,
      schema: options.databaseSchema,
    });
    closers.push(() => stores.close());
    await stores.needToKnow.seedIfEmpty(world.needToKnow.map((grant) => ({ ...grant })));
    // Synthetic contacts for every authority in the code list (no real person or number).
    await stores.virtualSchoolDirectory.seedIfEmpty(syntheticVirtualSchools(world.asOf));

    const simulatorKeys = { socialCare: newKey(), education: newKey(), finance: newKey() };
    const simulators: RunningSimulators = await startSimulators({
      world,
      keys: simulatorKeys,
      ports: options.ports.simulators,
      host,
      faults: options.faults,
    });
    closers.push(() => simulators.close());

    const issuerKey =
      options.dataDir === 'memory://'
        ? await generateDevIssuerKey()
        : await loadOrCreateDevIssuerKey(options.dataDir);
    const issuerServer = await listenLate(
      // The seeded personas' tokens, for the gateway's development explorer.
      (url) =>
        createDevIssuerApp(
          issuerKey,
          url,
          { personas: world.personas, audience },
          exchange.issuerClients,
        ),
      options.ports.issuer,
      host,
    );
    closers.push(() => issuerServer.close());
    const issuer = issuerServer.url;

    const signer = await InternalTokenSigner.generate();
    const upstreamEnv: NodeJS.ProcessEnv = {
      NODE_ENV: 'development',
      AS_OF: options.asOf,
      LA_CODE: world.la.code,
      LA_NAME: world.la.name,
      SOCIAL_CARE_URL: simulators.urls.socialCare,
      SOCIAL_CARE_API_KEY: simulatorKeys.socialCare,
      EDUCATION_URL: simulators.urls.education,
      EDUCATION_API_KEY: simulatorKeys.education,
      FINANCE_URL: simulators.urls.finance,
      FINANCE_API_KEY: simulatorKeys.finance,
    };
    const subgraphUrls = {} as Record<SubgraphName, string>;
    const subgraphSettings = {} as Record<SubgraphName, SubgraphConfig>;
    for (const descriptor of SUBGRAPHS) {
      const config = descriptor.loadConfig({ ...options.env, ...upstreamEnv });
      subgraphSettings[descriptor.name] = config;
      const subgraph = await descriptor.create(config, {
        // The gateway's keys, handed over in process; the one shared store.
        verifyIdentity: createInternalTokenVerifier({
          audience: descriptor.name,
          jwks: signer.jwks,
        }),
        needToKnow: stores.needToKnow,
        stores,
      });
      const running = await listen(subgraph.app, options.ports.subgraphs[descriptor.name], host);
      closers.push(async () => {
        await running.close(1_000);
        await subgraph.stop();
      });
      subgraphUrls[descriptor.name] = `${running.url}/graphql`;
    }

    const gatewayConfig = loadGatewayConfig({
      ...options.env,
      NODE_ENV: 'development',
      ...gatewaySubgraphEnv(subgraphUrls, options.gatewaySubgraphUrls),
      // Every identity setting explicit: the gateway assumes none (the development issuer).
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: audience,
      OIDC_JWKS_URL: `${issuer}/.well-known/jwks.json`,
      SUBGRAPH_TIMEOUT_MS: String(
        options.subgraphTimeoutMs ?? options.env?.SUBGRAPH_TIMEOUT_MS ?? 10_000,
      ),
      ...options.gatewayEnv,
    });
    const gateway = await createGateway(gatewayConfig, { signer, accessLog: stores.audit });
    const gatewayServer = await listen(
      gateway.app,
      options.ports.gateway,
      host,
      gatewayConfig.serverTimeouts,
    );
    closers.push(async () => {
      await gatewayServer.close(1_000);
      await gateway.stop();
    });

    // The subgraphs' settings: the same WEBHOOK_SIGNING_KEY (or the one this process generated)
    // derives the secrets the alerts subgraph shows and the dispatcher signs with.
    const alertEnv = { ...options.env, ...upstreamEnv };
    const alerts = createAlertPipeline(
      {
        alerts: loadAlertSettings(alertEnv),
        webhooks: loadWebhookConfig(alertEnv),
        upstream: loadScopeConfig(alertEnv),
        asOf: options.asOf,
      },
      stores,
    );
    closers.push(() => alerts.stop());
    if (options.alerts !== false) alerts.start();

    const registerSync = exchange.sync(issuer, stores.partnerRegisters);
    closers.push(() => registerSync.stop());
    if (options.exchange !== false) registerSync.start();

    const devIssuer = { key: issuerKey, issuer, audience };
    return {
      alerts,
      exchange: registerSync,
      placedPupilPush: exchange.push(issuer),
      world,
      urls: {
        gateway: `${gatewayServer.url}/graphql`,
        issuer,
        subgraphs: subgraphUrls,
        simulators: simulators.urls,
      },
      simulatorKeys,
      stores,
      devIssuer,
      settings: { gateway: gatewayConfig, subgraphs: subgraphSettings },
      gatewaySigner: signer,
      signer,
      tokenFor: personaTokens(issuerKey, world.personas, devIssuer),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * The gateway's `<NAME>_SUBGRAPH_URL` for every subgraph: where it runs, unless `overrides`
 * (`SystemOptions.gatewaySubgraphUrls`) points the gateway elsewhere.
 */
export function gatewaySubgraphEnv(
  running: Record<SubgraphName, string>,
  overrides: Partial<Record<SubgraphName, string>> = {},
): NodeJS.ProcessEnv {
  return Object.fromEntries(
    SUBGRAPHS.map(({ name }) => [subgraphUrlVariable(name), overrides[name] ?? running[name]]),
  );
}

/** Listen first, then build the app (the issuer needs its own URL, known only once listening). */
async function listenLate(
  build: (url: string) => RequestListener,
  port: number,
  host: string,
): Promise<RunningServer> {
  const holder: { handler?: RequestListener } = {};
  const server = await listen((req, res) => holder.handler?.(req, res), port, host);
  holder.handler = build(server.url);
  return server;
}
