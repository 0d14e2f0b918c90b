/**
 * The child profile's throughput with one gateway worker and with one per core
 * (`GATEWAY_WORKERS`, `gateway/cluster.ts`), every part its own process as in production:
 * the three simulators (`simulators/<system>/main.ts`), every subgraph
 * (`subgraphs/<name>/main.ts`) and the gateway (`gateway/main.ts`), on the machine's
 * PostgreSQL (`TEST_DATABASE_URL`, a schema of its own, dropped after). The development issuer
 * runs in this process (it only serves its key set, fetched once). The load comes from
 * `bench/load-generator.ts` in a process of its own: `CONCURRENCY` clients in a closed loop,
 * each asking `examples/child-profile.graphql`'s selection as the Virtual School Head, request
 * after request about a different child.
 *
 *   npx tsx bench/gateway-workers.ts           # BENCH_WORKERS=1,2 BENCH_CONCURRENCY=8,32 BENCH_SECONDS=15
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { DEFAULT_AUDIENCE } from '../gateway/config';
import { createDevIssuerApp } from '../identity/dev-issuer/app';
import { generateDevIssuerKey } from '../identity/dev-issuer/signing-key';
import { mintPersonaToken } from '../identity/dev-issuer/tokens';
import { listen } from '../lib/http/http-server';
import { generateWorld } from '../simulators/seed/generate';
import { openStores } from '../stores/open-stores';
import { syntheticVirtualSchools } from '../stores/virtual-school-directory/synthetic-seed';
import { SUBGRAPHS, subgraphUrlVariable } from '../subgraphs/registry';
import type { LoadJob, LoadResult } from './load-generator';
import { machine, out, percentile, round, runMain, table, writeResults } from './support';
import { profileFragment } from './upstream-requests';

const ROOT = path.join(__dirname, '..');
const SEED = 1;
const CHILDREN = 600;
const AS_OF = '2026-02-10';
const list = (value: string | undefined, fallback: number[]): number[] =>
  value ? value.split(',').map(Number) : fallback;
const WORKERS = list(process.env.BENCH_WORKERS, [1, 2]);
const CONCURRENCY = list(process.env.BENCH_CONCURRENCY, [8, 32]);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARM_UP_SECONDS = 3;
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `bench_workers_${process.pid}`;
const QUERY = `query BenchProfile($id: ID!) { child(id: $id) { ...profile } }\n${profileFragment()}`;
const SIMULATORS = [
  { name: 'social-care', keyVar: 'SOCIAL_CARE_API_KEY', urlVar: 'SOCIAL_CARE_URL' },
  { name: 'education', keyVar: 'EDUCATION_API_KEY', urlVar: 'EDUCATION_URL' },
  { name: 'finance', keyVar: 'FINANCE_API_KEY', urlVar: 'FINANCE_URL' },
] as const;

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  return port;
}

/** A service as its own Node process (through tsx, as `npm start` runs TypeScript). */
function startProcess(entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: its process exited (${child.exitCode})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} not ready within ${timeoutMs / 1000} s`);
}

function runLoadProcess(job: LoadJob): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'load-generator.ts'), JSON.stringify(job)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(text) as LoadResult) : reject(new Error(`load ${code}`)),
    );
  });
}

interface Row {
  workers: number;
  concurrency: number;
  requests: number;
  errors: number;
  firstError: string | null;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const world = generateWorld({ seed: SEED, children: CHILDREN, asOf: AS_OF });
  const processes: ChildProcess[] = [];
  const closers: Array<() => Promise<void>> = [];
  try {
    // Migrate and seed the grants once, as the deployment's migration step would.
    const stores = await openStores({ databaseUrl: DATABASE_URL, dataDir: '', schema: SCHEMA });
    await stores.needToKnow.seedIfEmpty(world.needToKnow.map((grant) => ({ ...grant })));
    // Synthetic contacts for every authority in the code list (no real person or number).
    await stores.virtualSchoolDirectory.seedIfEmpty(syntheticVirtualSchools(world.asOf));
    await stores.close();
    closers.push(async () => {
      const pool = new Pool({ connectionString: DATABASE_URL });
      await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
      await pool.end();
    });

    const issuerKey = await generateDevIssuerKey();
    const holder: { app?: ReturnType<typeof createDevIssuerApp> } = {};
    const issuerServer = await listen((req, res) => holder.app?.(req, res), 0);
    holder.app = createDevIssuerApp(issuerKey, issuerServer.url);
    closers.push(() => issuerServer.close());
    const issuer = issuerServer.url;

    const upstreamEnv: NodeJS.ProcessEnv = {};
    for (const simulator of SIMULATORS) {
      const port = await freePort();
      const key = randomBytes(24).toString('base64url');
      const child = startProcess(`simulators/${simulator.name}/main.ts`, {
        PORT: String(port),
        [simulator.keyVar]: key,
        SEED: String(SEED),
        CHILDREN: String(CHILDREN),
        AS_OF,
      });
      processes.push(child);
      upstreamEnv[simulator.urlVar] = `http://127.0.0.1:${port}`;
      upstreamEnv[simulator.keyVar] = key;
      await waitFor(`http://127.0.0.1:${port}/health`, child);
    }

    const gatewayPort = await freePort();
    const database = { DATABASE_URL, DATABASE_SCHEMA: SCHEMA };
    const subgraphEnv: NodeJS.ProcessEnv = {};
    for (const subgraph of SUBGRAPHS) {
      const port = await freePort();
      const child = startProcess(`subgraphs/${subgraph.name}/main.ts`, {
        ...upstreamEnv,
        ...database,
        PORT: String(port),
        AS_OF,
        LA_CODE: world.la.code,
        LA_NAME: world.la.name,
        GATEWAY_JWKS_URL: `http://127.0.0.1:${gatewayPort}/.well-known/jwks.json`,
      });
      processes.push(child);
      subgraphEnv[subgraphUrlVariable(subgraph.name)] = `http://127.0.0.1:${port}/graphql`;
      await waitFor(`http://127.0.0.1:${port}/health/live`, child);
    }

    const vsh = world.personas.find((persona) => persona.name === 'vsh');
    if (!vsh) throw new Error('no vsh persona');
    const token = await mintPersonaToken(issuerKey, vsh, {
      issuer,
      audience: DEFAULT_AUDIENCE,
      expiresIn: '2h',
    });
    const variables = world.socialCare.children.map((child) => ({ id: child.CHILD }));

    const rows: Row[] = [];
    for (const workers of WORKERS) {
      const gateway = startProcess('gateway/main.ts', {
        ...subgraphEnv,
        ...database,
        PORT: String(gatewayPort),
        GATEWAY_WORKERS: String(workers),
        OIDC_ISSUER: issuer,
        OIDC_AUDIENCE: DEFAULT_AUDIENCE,
        OIDC_JWKS_URL: `${issuer}/.well-known/jwks.json`,
        // One caller drives all the load: the per-caller rate limit and the profile's cost
        // estimate are not what this measures.
        RATE_LIMIT_PER_MINUTE: '100000000',
        RATE_LIMIT_BURST: '1000000',
        MAX_IN_FLIGHT: '1000',
      });
      await waitFor(`http://127.0.0.1:${gatewayPort}/health/ready`, gateway);
      try {
        for (const concurrency of CONCURRENCY) {
          const result = await runLoadProcess({
            url: `http://127.0.0.1:${gatewayPort}/graphql`,
            token,
            query: QUERY,
            variables,
            concurrency,
            warmUpMs: WARM_UP_SECONDS * 1000,
            durationMs: SECONDS * 1000,
          });
          const sorted = [...result.latenciesMs].sort((a, b) => a - b);
          const row: Row = {
            workers,
            concurrency,
            requests: result.requests,
            errors: result.errors,
            firstError: result.firstError,
            requestsPerSecond: round(result.requests / (result.elapsedMs / 1000), 1),
            p50Ms: round(percentile(sorted, 50), 1),
            p99Ms: round(percentile(sorted, 99), 1),
          };
          rows.push(row);
          out(`workers ${workers}, concurrency ${concurrency}: ${row.requestsPerSecond} req/s`);
        }
      } finally {
        await stopProcess(gateway);
      }
    }

    const baseline = (concurrency: number) =>
      rows.find((row) => row.workers === WORKERS[0] && row.concurrency === concurrency);
    const withRatio = rows.map((row) => ({
      ...row,
      ratio: round(row.requestsPerSecond / (baseline(row.concurrency)?.requestsPerSecond ?? 1), 2),
    }));
    const file = await writeResults('gateway-workers', {
      machine: machine(),
      setup: {
        seed: SEED,
        children: CHILDREN,
        asOf: AS_OF,
        persona: 'vsh',
        query: 'examples/child-profile.graphql child(id:) selection, a different child per request',
        secondsPerRun: SECONDS,
        warmUpSeconds: WARM_UP_SECONDS,
        cores: os.availableParallelism(),
      },
      results: withRatio,
    });
    out();
    out(
      table(
        ['workers', 'concurrency', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms', 'ratio'],
        withRatio.map((row) => [
          row.workers,
          row.concurrency,
          row.requests,
          row.errors,
          row.requestsPerSecond,
          row.p50Ms,
          row.p99Ms,
          row.ratio,
        ]),
        0,
      ),
    );
    const failed = withRatio.find((row) => row.errors > 0);
    if (failed) out(`errors: first was ${failed.firstError}`);
    out(`written ${path.relative(process.cwd(), file)}`);
  } finally {
    await Promise.all(processes.map(stopProcess));
    for (const close of closers.reverse()) await close();
  }
}

if (require.main === module) runMain(main, 600_000);
