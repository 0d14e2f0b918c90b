/**
 * The production topology on this machine (`npm run start:services`): every part its own OS
 * process, started from its own entry point exactly as a deployment starts it, and wired by
 * environment variables only. The three simulated council systems
 * (`simulators/<system>/main.ts`), each subgraph (`subgraphs/<name>/main.ts`) and one or more
 * gateway replicas (`gateway/main.ts`) over one PostgreSQL (DATABASE_URL) and, when
 * REDIS_URL is set, one Redis. The development token issuer stands in for the council's
 * identity provider and runs in this process, as the provider runs outside CLA Graph.
 *
 * Keys are shared as production shares them: every gateway replica signs subgraph tokens
 * with the same GATEWAY_SIGNING_KEY, and the subgraphs fetch its public half from
 * GATEWAY_JWKS_URL (the first replica here; the load balancer's address in a deployment).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { createDevIssuerApp } from '../identity/dev-issuer/app';
import {
  generateDevIssuerKey,
  loadOrCreateDevIssuerKey,
  type DevIssuerKey,
} from '../identity/dev-issuer/signing-key';
import { personaTokens } from '../identity/dev-issuer/tokens';
import { DEFAULT_AUDIENCE } from '../gateway/config';
import { listen } from '../lib/http/http-server';
import type { SimulatorName } from '../simulators/start-all';
import { generateWorld } from '../simulators/seed/generate';
import type { PersonaName, World } from '../simulators/seed/world';
import { databaseConfig } from '../stores/config';
import { openStores } from '../stores/open-stores';
import { syntheticVirtualSchools } from '../stores/virtual-school-directory/synthetic-seed';
import { SUBGRAPHS, subgraphUrlVariable, type SubgraphName } from '../subgraphs/registry';
import { DEFAULT_PORTS } from './start-system';
import { ALERT_WORKER_DEFAULT_PORT } from '../events/worker-config';
import { EXCHANGE_SYNC_DEFAULT_PORT } from '../exchange/config';
import { exchangeForSystem } from '../exchange/system';

const ROOT = path.resolve(__dirname, '..');

/** Where each simulator's entry point is, and the variable its API key is in. */
const SIMULATORS: Record<SimulatorName, { entry: string; keyVar: string; urlVar: string }> = {
  socialCare: {
    entry: 'simulators/social-care/main.ts',
    keyVar: 'SOCIAL_CARE_API_KEY',
    urlVar: 'SOCIAL_CARE_URL',
  },
  education: {
    entry: 'simulators/education/main.ts',
    keyVar: 'EDUCATION_API_KEY',
    urlVar: 'EDUCATION_URL',
  },
  finance: {
    entry: 'simulators/finance/main.ts',
    keyVar: 'FINANCE_API_KEY',
    urlVar: 'FINANCE_URL',
  },
};

/** Ports of the second and later gateway replicas: 4021, 4022... (the first is on 4000). */
const REPLICA_PORT_BASE = 4020;

export interface ServicesOptions {
  seed: number;
  children: number;
  asOf: string;
  /** Gateway processes over the same subgraphs, database and Redis. */
  replicas: number;
  /** The default ports (`npm run start:services`) or any free ones (tests). */
  ports: 'default' | 'free';
  /** Where the development issuer's key lives; `memory://` keeps nothing. */
  dataDir: string;
  /**
   * The environment every process starts from: DATABASE_URL (required), DATABASE_SCHEMA,
   * REDIS_URL and any documented setting (RATE_LIMIT_BURST, SHUTDOWN_TIMEOUT_MS...), each read
   * by the service's own schema. The wiring (ports, URLs, keys, authority) is added on top.
   */
  env: NodeJS.ProcessEnv;
  /** Each process's output goes to `<logDir>/<name>.log`; inherited (this terminal) when unset. */
  logDir?: string;
}

export interface ServiceProcess {
  name: string;
  /** Its base URL (the gateway's GraphQL endpoint is `${url}/graphql`). */
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) when the process has ended. */
  exited: Promise<number | string>;
}

export interface RunningServices {
  world: World;
  /** One per replica, in order. */
  gateways: ServiceProcess[];
  subgraphs: Record<SubgraphName, ServiceProcess>;
  /** The alert pipeline's worker (`events/main.ts`). */
  alertWorker: ServiceProcess;
  /** The exchange's register sync (`exchange/main.ts`), when EXCHANGE_PARTNERS is set. */
  exchangeSync?: ServiceProcess;
  simulators: Record<SimulatorName, ServiceProcess>;
  /** Every process, in start order. */
  processes: ServiceProcess[];
  issuer: string;
  simulatorKeys: Record<SimulatorName, string>;
  devIssuer: { key: DevIssuerKey; issuer: string; audience: string };
  tokenFor(persona: PersonaName): Promise<string>;
  /** SIGTERM to each process (gateways, then subgraphs, then simulators), waiting for each to drain and exit. */
  close(): Promise<void>;
}

const newKey = (): string => randomBytes(24).toString('base64url');

export async function startServices(options: ServicesOptions): Promise<RunningServices> {
  const database = databaseConfig(options.env);
  if (!database.databaseUrl) {
    throw new Error(
      'DATABASE_URL is required: the processes share one PostgreSQL (the embedded database ' +
        'belongs to one process; `npm start` runs the whole system in one process on it).',
    );
  }
  const world = generateWorld({
    seed: options.seed,
    children: options.children,
    asOf: options.asOf,
  });
  // Migrate and seed once, before any service starts (a deploy step), so no two race to do it.
  const stores = await openStores({ ...database, dataDir: '' });
  try {
    await stores.needToKnow.seedIfEmpty(world.needToKnow.map((grant) => ({ ...grant })));
    // Synthetic contacts for every authority in the code list (no real person or number).
    await stores.virtualSchoolDirectory.seedIfEmpty(syntheticVirtualSchools(world.asOf));
  } finally {
    await stores.close();
  }

  const processes: ServiceProcess[] = [];
  let stopIssuer = async (): Promise<void> => {};
  // Gateways first (they drain while the subgraphs still answer), then subgraphs, simulators.
  const stopAll = async () => {
    const stage = (kind: (name: string) => boolean) =>
      Promise.all(processes.filter(({ name }) => kind(name)).map((p) => stopProcess(p)));
    await stage((name) => name.startsWith('gateway-'));
    await stage((name) => name.endsWith('-subgraph'));
    await stage(() => true);
    await stopIssuer();
  };
  const port = (fixed: number) => (options.ports === 'free' ? freePort() : Promise.resolve(fixed));
  try {
    const issuerKey =
      options.dataDir === 'memory://'
        ? await generateDevIssuerKey()
        : await loadOrCreateDevIssuerKey(options.dataDir);
    const issuerPort = await port(DEFAULT_PORTS.issuer);
    const issuer = `http://127.0.0.1:${issuerPort}`;
    // Partners' registers (EXCHANGE_PARTNERS): our client at this issuer unless another is named.
    const exchange = exchangeForSystem(options.env, world.la.code);
    // With the seeded personas, so the gateway's development explorer can sign in as each.
    const issuerServer = await listen(
      createDevIssuerApp(
        issuerKey,
        issuer,
        { personas: world.personas, audience: DEFAULT_AUDIENCE },
        exchange.issuerClients,
      ),
      issuerPort,
    );
    stopIssuer = () => issuerServer.close(1_000);

    // METRICS_PORT is one port: each gateway replica gets its own from it (below), no other
    // process inherits it, so no two processes try to bind the same port.
    const { METRICS_PORT: metricsPort, ...inherited } = options.env;
    const start = (name: string, entry: string, url: string, env: NodeJS.ProcessEnv) => {
      const started = spawnService(name, entry, url, { ...inherited, ...env }, options.logDir);
      processes.push(started);
      return started;
    };

    const simulatorKeys = { socialCare: newKey(), education: newKey(), finance: newKey() };
    const simulators = {} as Record<SimulatorName, ServiceProcess>;
    for (const name of Object.keys(SIMULATORS) as SimulatorName[]) {
      const simulatorPort = await port(DEFAULT_PORTS.simulators[name]);
      simulators[name] = start(
        // Named by its folder, as the subgraphs are: social-care-simulator.
        `${path.basename(path.dirname(SIMULATORS[name].entry))}-simulator`,
        SIMULATORS[name].entry,
        `http://127.0.0.1:${simulatorPort}`,
        {
          PORT: String(simulatorPort),
          HOST: '127.0.0.1',
          [SIMULATORS[name].keyVar]: simulatorKeys[name],
          SEED: String(options.seed),
          CHILDREN: String(options.children),
          AS_OF: options.asOf,
        },
      );
    }

    const subgraphPorts = {} as Record<SubgraphName, number>;
    for (const descriptor of SUBGRAPHS)
      subgraphPorts[descriptor.name] = await port(descriptor.defaultPort);
    const gatewayPorts: number[] = [];
    for (let index = 0; index < options.replicas; index += 1)
      gatewayPorts.push(
        await port(index === 0 ? DEFAULT_PORTS.gateway : REPLICA_PORT_BASE + index),
      );

    // Development identity: the issuer and the gateway's keys are on this machine, over HTTP.
    const shared: NodeJS.ProcessEnv = {
      NODE_ENV: 'development',
      AS_OF: options.asOf,
      DATABASE_URL: database.databaseUrl,
      ...(database.schema ? { DATABASE_SCHEMA: database.schema } : {}),
      // One key for the alerts subgraph (secrets shown at registration) and the alert worker (signatures).
      WEBHOOK_SIGNING_KEY: options.env.WEBHOOK_SIGNING_KEY ?? randomBytes(32).toString('base64url'),
    };
    const gatewayKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const gateways = gatewayPorts.map((gatewayPort, index) =>
      start(`gateway-${index + 1}`, 'gateway/main.ts', `http://127.0.0.1:${gatewayPort}`, {
        ...shared,
        PORT: String(gatewayPort),
        HOST: '127.0.0.1',
        ...Object.fromEntries(
          SUBGRAPHS.map(({ name }) => [
            subgraphUrlVariable(name),
            `http://127.0.0.1:${subgraphPorts[name]}/graphql`,
          ]),
        ),
        OIDC_ISSUER: issuer,
        OIDC_AUDIENCE: DEFAULT_AUDIENCE,
        OIDC_JWKS_URL: `${issuer}/.well-known/jwks.json`,
        GATEWAY_SIGNING_KEY: gatewayKey,
        ...(metricsPort ? { METRICS_PORT: String(Number(metricsPort) + index) } : {}),
      }),
    );

    const subgraphs = {} as Record<SubgraphName, ServiceProcess>;
    for (const descriptor of SUBGRAPHS) {
      subgraphs[descriptor.name] = start(
        `${descriptor.name}-subgraph`,
        `subgraphs/${descriptor.name}/main.ts`,
        `http://127.0.0.1:${subgraphPorts[descriptor.name]}`,
        {
          ...shared,
          PORT: String(subgraphPorts[descriptor.name]),
          LA_CODE: world.la.code,
          LA_NAME: world.la.name,
          GATEWAY_JWKS_URL: `${gateways[0]!.url}/.well-known/jwks.json`,
          ...Object.fromEntries(
            (Object.keys(SIMULATORS) as SimulatorName[]).flatMap((name) => [
              [SIMULATORS[name].urlVar, simulators[name].url],
              [SIMULATORS[name].keyVar, simulatorKeys[name]],
            ]),
          ),
        },
      );
    }

    // The alert pipeline (change feeds, daily sweep, webhooks): one worker, reading the council
    // systems with the subgraphs' read-only keys.
    const alertWorkerPort = await port(ALERT_WORKER_DEFAULT_PORT);
    const alertWorker = start(
      'alert-worker',
      'events/main.ts',
      `http://127.0.0.1:${alertWorkerPort}`,
      {
        ...shared,
        PORT: String(alertWorkerPort),
        LA_CODE: world.la.code,
        ...Object.fromEntries(
          (['socialCare', 'education'] as const).flatMap((name) => [
            [SIMULATORS[name].urlVar, simulators[name].url],
            [SIMULATORS[name].keyVar, simulatorKeys[name]],
          ]),
        ),
      },
    );

    // The exchange's register sync, when there are partners to read.
    let exchangeSync: ServiceProcess | undefined;
    const client = exchange.settings.client;
    if (exchange.settings.partners.length > 0 && client) {
      const exchangePort = await port(EXCHANGE_SYNC_DEFAULT_PORT);
      exchangeSync = start(
        'exchange-sync',
        'exchange/main.ts',
        `http://127.0.0.1:${exchangePort}`,
        {
          ...shared,
          PORT: String(exchangePort),
          EXCHANGE_CLIENT_ID: client.clientId,
          EXCHANGE_CLIENT_SECRET: client.clientSecret,
          EXCHANGE_TOKEN_URL: exchange.issuerClients ? `${issuer}/oauth2/token` : client.tokenUrl,
        },
      );
    }

    await Promise.all(
      processes.map((service) =>
        waitUntilUp(service, service.name.endsWith('-simulator') ? '/health' : '/health/live'),
      ),
    );

    const devIssuer = { key: issuerKey, issuer, audience: DEFAULT_AUDIENCE };
    return {
      world,
      gateways,
      subgraphs,
      simulators,
      alertWorker,
      exchangeSync,
      processes,
      issuer,
      simulatorKeys,
      devIssuer,
      tokenFor: personaTokens(issuerKey, world.personas, devIssuer),
      close: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function spawnService(
  name: string,
  entry: string,
  url: string,
  env: NodeJS.ProcessEnv,
  logDir: string | undefined,
): ServiceProcess {
  let output: 'inherit' | number = 'inherit';
  if (logDir) {
    mkdirSync(logDir, { recursive: true });
    output = openSync(path.join(logDir, `${name}.log`), 'a');
  }
  // `node --import tsx`, not the tsx CLI: the pid is the service itself, so a signal reaches it.
  // Same process group as this launcher, so a terminal's Ctrl-C or hang-up reaches every
  // service (each drains on its own) and none is left running without the launcher.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env,
    stdio: ['ignore', output, output],
  });
  if (typeof output === 'number') closeSync(output);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { name, url, child, exited };
}

/** SIGTERM, then the service's own drain; SIGKILL if it is still there after `graceMs`. */
async function stopProcess(service: ServiceProcess, graceMs = 20_000): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), graceMs);
  await service.exited;
  clearTimeout(timer);
}

/** Polls the service's health endpoint until it answers 200; fails if the process ends first. */
async function waitUntilUp(service: ServiceProcess, healthPath: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  let ended: number | string | undefined;
  void service.exited.then((code) => (ended = code));
  while (Date.now() < deadline) {
    if (ended !== undefined) throw new Error(`${service.name} exited (${ended}) while starting`);
    try {
      const response = await fetch(`${service.url}${healthPath}`, {
        signal: AbortSignal.timeout(1_000),
      });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.name} did not come up within ${timeoutMs} ms`);
}

/** A port free now (the OS picks it; the service binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
