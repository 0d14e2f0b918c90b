/**
 * CLA Graph's gateway beside the gateways a council could pick instead, in the same run, over
 * the same subgraphs and the same supergraph:
 *
 *   - `cla-graph`: our gateway as `startSystem` runs it (bearer token verified, hardening, cost
 *     analysis, rate limits raised, the access log written, a signed identity to each subgraph);
 *   - `apollo`: a bare `@apollo/gateway` (Apollo Server 5 on express, no security layer of its
 *     own) whose data source signs each subgraph call for the Virtual School Head, as the
 *     subgraphs require (a token per call, over the exact body, `InternalTokenSigner.sign`);
 *   - `hive`: Hive Gateway (`@graphql-hive/gateway-runtime`) over the same supergraph SDL,
 *     signing each subgraph call the same way in an `onFetch` plugin.
 *
 * The bare gateways ignore the caller's token and sign for one fixed caller: they show what
 * federation costs with no security layer, so the gap to ours is the layer's price.
 *
 * Load: autocannon in its own process (`peers-load.ts`), `CONNECTIONS` connections, a warm-up
 * then a measured run, for the child profile (`examples/child-profile.graphql`'s selection, a
 * different current child per request) and a page of 100 children with that selection
 * (`after:` cycling through the first five pages' cursors, fetched through our gateway).
 * The simulators' request counters are reset after the warm-up and read after the run, so each
 * run has its upstream requests per response; a gateway that needs fewer than the others is
 * flagged (it answered something else, or de-duplicated), not celebrated. Before the load, a
 * sample of answers is checked equal across the three.
 *
 * Writes `bench/results/peers.json`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Fetcher } from '@apollo/utils.fetcher';
import { expressMiddleware } from '@as-integrations/express4';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
// Installed with @graphql-hive/gateway-runtime (its HTTP executor); the transport package that
// wraps it, @graphql-mesh/transport-http, is not, so the bench builds that transport itself.
import { buildHTTPExecutor, type AsyncFetchFn } from '@graphql-tools/executor-http';
import express from 'express';
import { knownRoles } from '../identity/caller';
import type { InternalIdentity } from '../identity/internal-token';
import { listen } from '../lib/http/http-server';
import { SUPERGRAPH_FILE } from '../schema/subgraphs';
import { ANY_FREE_PORTS, startSystem, type RunningSystem } from '../system/start-system';
import {
  graphql,
  resetUpstreamCounters,
  totalsOf,
  upstreamStats,
  type GraphQLResult,
  type UpstreamTotals,
} from '../system/system-client';
import type { PeersLoadJob, PeersLoadResult } from './peers-load';
import { startProfile, summariseProfile, writeProfile } from './cpu-profile';
import { machine, out, quietLogs, round, runMain, table, writeResults } from './support';
import { profileFragment } from './upstream-requests';

const SEED = 1;
const CHILDREN = 600;
const AS_OF = '2026-02-10';
const PERSONA = 'vsh';
const CONNECTIONS = 8;
const SECONDS = 8;
const PAGE = 100;
/** Warm-up requests per run (about 2 s each on 2 cores), and the measured run's rate estimate. */
const WARM_UP_REQUESTS: Record<'profile' | 'page', number> = { profile: 80, page: 16 };
/** Pages of 100 start every 10 children (44 distinct pages for seed 1's 537 current children). */
const PAGE_STEP = 10;
/** Fewer upstream requests per response than both other gateways, by more than this, is flagged. */
const FLAG_TOLERANCE = 0.02;
/**
 * One caller sends all the load, so the per-caller rate limit and in-flight cap are raised,
 * and the cost limit so a page of 100 full profiles is allowed whatever it is set to; nothing
 * else about our gateway is changed.
 */
const GATEWAY_ENV = {
  MAX_COST: '1000000',
  RATE_LIMIT_PER_MINUTE: '100000000',
  RATE_LIMIT_BURST: '1000000',
  MAX_IN_FLIGHT: '1000',
};

/**
 * `PEERS_BENCH_PROFILE=<dir>`: a V8 CPU profile of this process (the gateways, subgraphs and
 * simulators all run in it; the load is in its own process) for each gateway and operation,
 * warm-up included, written there and summed up: CPU per response and where it went. The
 * figures of a profiled run are not the bench's.
 */
const PROFILE_DIR = process.env.PEERS_BENCH_PROFILE;
const DATABASE_URL = process.env.PEERS_BENCH_DATABASE_URL;

function reportProfile(
  profile: Parameters<typeof summariseProfile>[0],
  name: string,
  responses: number,
): void {
  const file = writeProfile(PROFILE_DIR!, name, profile);
  const summary = summariseProfile(profile, path.join(__dirname, '..'), 14);
  const idle = summary.areas.find((area) => area.area === '(idle)')?.ms ?? 0;
  const busy = summary.totalMs - idle;
  out(
    `  profile ${name}: ${round(busy / Math.max(1, responses), 2)} ms CPU per response (${file})`,
  );
  for (const area of summary.areas.filter((a) => a.area !== '(idle)')) {
    out(`    ${area.area}: ${round(area.ms / Math.max(1, responses), 3)} ms/response`);
  }
}

const PROFILE = profileFragment();
const OPERATIONS = {
  profile: `query PeersChild($id: ID!) { child(id: $id) { ...profile } }\n${PROFILE}`,
  page: `query PeersPage($after: String) {
  children(first: ${PAGE}, after: $after) {
    edges { node { ...profile } }
    pageInfo { hasNextPage endCursor }
  }
}
${PROFILE}`,
} as const;
type Operation = keyof typeof OPERATIONS;

const GATEWAYS = ['cla-graph', 'apollo', 'hive'] as const;
type GatewayName = (typeof GATEWAYS)[number];

interface Peer {
  name: GatewayName;
  url: string;
  close: () => Promise<void>;
}

interface EdgePage {
  children: {
    edges: Array<{ cursor: string; node: { id: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** The client request a subgraph call is made for (its id), in both peers. */
const clientRequest = new AsyncLocalStorage<string>();

/** Runs each client request in its own context, so its subgraph calls share one request id. */
function perClientRequest(listener: RequestListener): RequestListener {
  return (request, response) => clientRequest.run(randomUUID(), () => listener(request, response));
}

/** Signs one subgraph call's token over its exact body, for the fixed caller. */
type SignCall = (subgraph: string, body: string) => Promise<string>;

/** The composed supergraph with each subgraph's URL replaced by the one running. */
function supergraphSdl(urls: Record<string, string>): string {
  return readFileSync(SUPERGRAPH_FILE, 'utf8').replace(
    /@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g,
    (_match, name: string) => {
      const url = urls[name];
      if (!url) throw new Error(`no running subgraph named ${name}`);
      return `@join__graph(name: "${name}", url: "${url}")`;
    },
  );
}

function signerFor(system: RunningSystem): SignCall {
  const persona = system.world.personas.find((p) => p.name === PERSONA);
  if (!persona) throw new Error(`no ${PERSONA} persona`);
  const caller = {
    sub: persona.sub,
    roles: knownRoles(persona.roles),
    la: persona.la,
    urns: [],
    clientId: null,
  };
  return (subgraph, body) => {
    // One request id for every subgraph call of one client request, as our gateway passes
    // on: the subgraphs bind social care's sealed scope facts to it, so without it a peer
    // would make the scope look-ups ours saves and the comparison would not be like for like.
    const requestId = clientRequest.getStore() ?? randomUUID();
    const identity: InternalIdentity = { caller, requestId, purpose: null };
    return system.gatewaySigner.sign(identity, subgraph, body);
  };
}

async function startApollo(sdl: string, sign: SignCall): Promise<Peer> {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: sdl,
    buildService: ({ name, url }) => {
      const fetcher: Fetcher = async (fetchUrl, init) => {
        const body = init?.body;
        if (typeof body !== 'string') throw new Error('a subgraph call without a string body');
        const token = await sign(name, body);
        const response = await fetch(fetchUrl, {
          method: init?.method,
          headers: { ...init?.headers, authorization: `Bearer ${token}` },
          body,
        });
        return response as unknown as Awaited<ReturnType<Fetcher>>;
      };
      return new RemoteGraphQLDataSource({ url, fetcher });
    },
  });
  const server = new ApolloServer({
    gateway,
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await server.start();
  const app = express();
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(server));
  const running = await listen(perClientRequest(app as unknown as RequestListener), 0);
  return {
    name: 'apollo',
    url: `${running.url}/graphql`,
    close: async () => {
      await running.close(1_000);
      await server.stop();
    },
  };
}

async function startHive(sdl: string, urls: Record<string, string>, sign: SignCall): Promise<Peer> {
  const subgraphByUrl = new Map(Object.entries(urls).map(([name, url]) => [url, name]));
  const runtime = createGatewayRuntime({
    supergraph: sdl,
    logging: 'warn',
    // What `@graphql-mesh/transport-http` does for a plain HTTP subgraph (that package is not
    // installed with the runtime): Hive's HTTP executor, on the runtime's fetch so the onFetch
    // plugin below signs every call, with Hive's defaults otherwise.
    transports: {
      http: {
        getSubgraphExecutor: (payload) =>
          buildHTTPExecutor({
            endpoint: payload.transportEntry.location,
            ...payload.transportEntry.options,
            getDisposeReason: payload.getDisposeReason,
            fetch: payload.fetch as AsyncFetchFn,
          }),
      },
    },
    plugins: () => [
      {
        async onFetch({ url, options, setOptions }) {
          const subgraph = subgraphByUrl.get(url);
          if (!subgraph) return;
          const body = options.body;
          if (typeof body !== 'string') throw new Error('a subgraph call without a string body');
          const headers = Object.fromEntries(new Headers(options.headers as HeadersInit));
          headers.authorization = `Bearer ${await sign(subgraph, body)}`;
          setOptions({ ...options, headers });
        },
      },
    ],
  });
  const running = await listen(perClientRequest(runtime as unknown as RequestListener), 0);
  return {
    name: 'hive',
    url: `${running.url}/graphql`,
    close: async () => {
      await running.close(1_000);
      await runtime.dispose();
    },
  };
}

/** One load run in its own process; the counters are reset once its warm-up is over. */
function runLoad(
  system: RunningSystem,
  job: PeersLoadJob,
): Promise<{ result: PeersLoadResult; upstream: UpstreamTotals }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'peers-load.ts'), JSON.stringify(job)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    let result: PeersLoadResult | undefined;
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { phase: string; result?: PeersLoadResult };
      if (message.phase === 'warm') {
        resetUpstreamCounters(system).then(
          () => child.stdin.write('go\n'),
          (error: unknown) => {
            child.kill();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      } else if (message.phase === 'done') result = message.result;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0 || !result) {
        reject(new Error(`load process exited ${code}`));
        return;
      }
      const measured = result;
      upstreamStats(system).then(
        (stats) => resolve({ result: measured, upstream: totalsOf(stats) }),
        reject,
      );
    });
  });
}

interface Row {
  operation: Operation;
  gateway: GatewayName;
  load: PeersLoadResult;
  upstream: UpstreamTotals;
  /** Upstream requests per response (the measured run leaves no request in flight). */
  upstreamPerResponse: number;
  /** Throughput over the bare Apollo Gateway's for the same operation (null when it was not run). */
  ratioToApollo: number | null;
  /** Fewer upstream requests per response than both others: it answered less, or de-duplicated. */
  flagged: boolean;
  /** More than both others (not a fault of the answer; a less frugal query plan). */
  moreUpstream: boolean;
}

async function main(): Promise<void> {
  quietLogs();
  const system = await startSystem({
    seed: SEED,
    children: CHILDREN,
    asOf: AS_OF,
    ports: ANY_FREE_PORTS,
    dataDir: 'memory://',
    // `PEERS_BENCH_DATABASE_URL`: CLA Graph's tables (the access log ours writes on every
    // request) on that PostgreSQL, in a schema of this run's own, as in production; the
    // embedded PGlite (one WebAssembly thread) otherwise.
    ...(DATABASE_URL
      ? { databaseUrl: DATABASE_URL, databaseSchema: `peers_${randomUUID().slice(0, 8)}` }
      : {}),
    gatewayEnv: GATEWAY_ENV,
    alerts: false,
  });
  const peers: Peer[] = [];
  try {
    const token = await system.tokenFor(PERSONA);
    const sign = signerFor(system);
    const urls = system.urls.subgraphs as Record<string, string>;
    const sdl = supergraphSdl(urls);
    peers.push({ name: 'cla-graph', url: system.urls.gateway, close: async () => {} });
    peers.push(await startApollo(sdl, sign));
    peers.push(await startHive(sdl, urls, sign));

    // Every current child's id and cursor (its position in the list), in pages of 500.
    const edges: Array<{ cursor: string; node: { id: string } }> = [];
    for (let after: string | null = null; ;) {
      const page: GraphQLResult<EdgePage> = await graphql<EdgePage>(
        system.urls.gateway,
        token,
        `
          query PeersIds($after: String) {
            children(first: 500, after: $after) {
              edges {
                cursor
                node {
                  id
                }
              }
              pageInfo {
                hasNextPage
                endCursor
              }
            }
          }
        `,
        { after },
      );
      const children = page.data?.children;
      if (!children)
        throw new Error(`listing children: ${page.errors?.[0]?.message ?? page.status}`);
      edges.push(...children.edges);
      if (!children.pageInfo.hasNextPage) break;
      after = children.pageInfo.endCursor;
    }
    const ids = edges.map((edge) => edge.node.id);
    if (ids.length < PAGE + PAGE_STEP) throw new Error(`only ${ids.length} current children`);
    // Full pages of 100 starting every PAGE_STEP children: more distinct pages than connections.
    const cursors: Array<string | null> = [null];
    for (let start = PAGE_STEP; start + PAGE <= ids.length; start += PAGE_STEP)
      cursors.push(edges[start - 1]!.cursor);
    const variables: Record<Operation, Array<Record<string, unknown>>> = {
      profile: ids.map((id) => ({ id })),
      page: cursors.map((after) => ({ after })),
    };

    // The same answers from all three, for a sample of children and pages.
    const sample: Array<{ operation: Operation; variables: Record<string, unknown> }> = [
      ...[0, 1, Math.floor(ids.length / 2), ids.length - 1].map((i) => ({
        operation: 'profile' as const,
        variables: variables.profile[i]!,
      })),
      ...[0, 1, cursors.length - 1].map((i) => ({
        operation: 'page' as const,
        variables: variables.page[i]!,
      })),
    ];
    const mismatches: string[] = [];
    for (const { operation, variables: vars } of sample) {
      const answers = await Promise.all(
        peers.map(async (peer) => {
          const result = await graphql(peer.url, token, OPERATIONS[operation], vars);
          if (result.status !== 200 || result.errors?.length || !result.data) {
            throw new Error(
              `${peer.name} answered ${operation} with ${result.status}, ` +
                `${result.errors?.[0]?.message ?? 'no data'}`,
            );
          }
          return JSON.stringify(result.data);
        }),
      );
      peers.forEach((peer, i) => {
        if (answers[i] !== answers[0])
          mismatches.push(`${operation} ${JSON.stringify(vars)}: ${peer.name} differs`);
      });
    }
    out(
      `sample of ${sample.length} answers: ${mismatches.length === 0 ? 'equal across all three' : 'DIFFERENT'}`,
    );

    // Every gateway warmed on both operations before any is measured: the subgraphs and
    // simulators they share are then as warm for the first measured as for the last (without
    // this, whichever gateway went first paid for warming them).
    for (const peer of peers) {
      for (const [operation, rounds] of [
        ['profile', 5],
        ['page', 1],
      ] as const) {
        for (let pass = 0; pass < rounds; pass++) {
          await Promise.all(
            Array.from({ length: CONNECTIONS }, (_, i) =>
              graphql(
                peer.url,
                token,
                OPERATIONS[operation],
                variables[operation][(pass * CONNECTIONS + i) % variables[operation].length],
              ),
            ),
          );
        }
      }
    }

    // `npx tsx bench/peers.ts cla-graph profile`: only those (e.g. under --cpu-prof).
    const only = process.argv.slice(2);
    const chosen = (name: string, all: readonly string[]) =>
      !only.some((arg) => all.includes(arg)) || only.includes(name);
    const rows: Array<Omit<Row, 'ratioToApollo' | 'flagged' | 'moreUpstream'>> = [];
    for (const operation of Object.keys(OPERATIONS) as Operation[]) {
      if (!chosen(operation, Object.keys(OPERATIONS))) continue;
      // The order reversed for the second operation, so neither gateway always goes first.
      const order = operation === 'profile' ? peers : [...peers].reverse();
      for (const peer of order) {
        if (!chosen(peer.name, GATEWAYS)) continue;
        const profiling = PROFILE_DIR ? await startProfile() : null;
        const { result, upstream } = await runLoad(system, {
          url: peer.url,
          token,
          query: OPERATIONS[operation],
          variables: variables[operation],
          connections: CONNECTIONS,
          warmUpRequests: WARM_UP_REQUESTS[operation],
          seconds: SECONDS,
        });
        if (profiling && PROFILE_DIR) {
          reportProfile(
            await profiling.stop(),
            `${operation}-${peer.name}`,
            WARM_UP_REQUESTS[operation] + result.responses,
          );
        }
        const row = {
          operation,
          gateway: peer.name,
          load: result,
          upstream,
          upstreamPerResponse: round(upstream.total / Math.max(1, result.responses), 2),
        };
        rows.push(row);
        out(
          `  ${operation} via ${peer.name}: ${result.requestsPerSecond} req/s, p50 ` +
            `${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ` +
            `${row.upstreamPerResponse} upstream/response`,
        );
      }
    }

    // In the table, the gateways in the same order for both operations.
    rows.sort((a, b) => GATEWAYS.indexOf(a.gateway) - GATEWAYS.indexOf(b.gateway));
    rows.sort((a, b) => (a.operation === b.operation ? 0 : a.operation === 'profile' ? -1 : 1));
    const results: Row[] = rows.map((row) => {
      const sameOperation = rows.filter((other) => other.operation === row.operation);
      const apollo = sameOperation.find((other) => other.gateway === 'apollo');
      const others = sameOperation
        .filter((other) => other.gateway !== row.gateway)
        .map((other) => other.upstreamPerResponse);
      return {
        ...row,
        ratioToApollo: apollo
          ? round(row.load.requestsPerSecond / apollo.load.requestsPerSecond, 2)
          : null,
        flagged:
          others.length > 0 && row.upstreamPerResponse < Math.min(...others) * (1 - FLAG_TOLERANCE),
        moreUpstream:
          others.length > 0 && row.upstreamPerResponse > Math.max(...others) * (1 + FLAG_TOLERANCE),
      };
    });

    const file = await writeResults('peers', {
      bench: 'peers',
      generatedAt: new Date().toISOString(),
      machine: machine(),
      world: { seed: SEED, children: CHILDREN, currentChildren: ids.length, asOf: AS_OF },
      method: {
        persona: PERSONA,
        gateways: {
          'cla-graph': 'our gateway as startSystem runs it, gatewayEnv raised as below',
          apollo: `@apollo/gateway ${packageVersion('@apollo/gateway')} on @apollo/server ${packageVersion('@apollo/server')} (express), no security layer; each subgraph call signed for ${PERSONA}`,
          hive: `@graphql-hive/gateway-runtime ${packageVersion('@graphql-hive/gateway-runtime')}, no security layer; each subgraph call signed for ${PERSONA} (onFetch)`,
        },
        gatewayEnv: GATEWAY_ENV,
        load: `autocannon ${packageVersion('autocannon')} in its own process, ${CONNECTIONS} connections, a warm-up of ${WARM_UP_REQUESTS.profile} (profile) or ${WARM_UP_REQUESTS.page} (page) requests then about ${SECONDS} s measured (the warm-up's rate times ${SECONDS} s of requests), one run per gateway and operation`,
        operations: {
          profile: `child(id:) with examples/child-profile.graphql's selection, cycling through the ${ids.length} current children`,
          page: `children(first: ${PAGE}, after:) with the same selection per child, cycling through the ${cursors.length} full pages starting every ${PAGE_STEP} children`,
        },
        upstream:
          'simulator request counters reset after the warm-up, read after the measured run (a fixed number of requests, none left in flight); per response',
        flag: `upstream requests per response more than ${FLAG_TOLERANCE * 100}% below both other gateways' for the operation (FEWER UPSTREAM), or above both (more upstream)`,
      },
      sampleAnswersEqual: mismatches.length === 0,
      mismatches,
      results,
    });

    out();
    out(
      `Peers, ${CONNECTIONS} connections, about ${SECONDS} s each after a warm-up ` +
        `(seed ${SEED}, ${CHILDREN} children, as ${PERSONA})`,
    );
    out();
    out(
      table(
        [
          'operation',
          'gateway',
          'responses',
          'req/s',
          'p50 ms',
          'p99 ms',
          'errors',
          'upstream/resp',
          'x apollo',
          'flag',
        ],
        results.map((row) => [
          row.operation,
          row.gateway,
          row.load.responses,
          row.load.requestsPerSecond,
          row.load.latencyMs.p50,
          row.load.latencyMs.p99,
          row.load.non2xx + row.load.errors + row.load.graphqlErrors,
          row.upstreamPerResponse,
          row.ratioToApollo ?? '',
          row.flagged ? 'FEWER UPSTREAM' : row.moreUpstream ? 'more upstream' : '',
        ]),
        2,
      ),
    );
    for (const row of results.filter((r) => r.load.firstError))
      out(`  ${row.operation} via ${row.gateway}: first error ${row.load.firstError}`);
    for (const row of results.filter((r) => r.load.sent !== r.load.responses))
      out(
        `  ${row.operation} via ${row.gateway}: ${row.load.sent} sent, ${row.load.responses} answered`,
      );
    if (mismatches.length > 0) out(`answers differ: ${mismatches.join('; ')}`);
    out(`written ${path.relative(process.cwd(), file)}`);
  } finally {
    for (const peer of peers.reverse()) await peer.close();
    await system.close();
  }
}

function packageVersion(name: string): string {
  // Read from node_modules: some packages do not export their package.json.
  const file = path.join(__dirname, '..', 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

if (require.main === module) runMain(main);
