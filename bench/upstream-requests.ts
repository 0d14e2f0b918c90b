/**
 * Upstream requests and wall time of the full child profile through the gateway.
 *
 * Starts the whole system in-process (seed 1, 600 children, as of 2026-02-10, in-memory
 * store, loopback on free ports) and, as the Virtual School Head, asks for the selection of
 * `examples/child-profile.graphql` (read from that file, so the two cannot drift apart):
 *
 *   - `child(id:)` of one child;
 *   - `children(first: N) { edges { node { ...profile } } }` for N = 1 and 100;
 *   - N = 600: every current child in pages of 500 (`first: 500`, then `after:` the end
 *     cursor until `hasNextPage` is false). Seed 1 has 537 current children of its 600, so
 *     that is two requests (500 + 37);
 *   - and every one of the 600 (ceased too, `filter: { includeCeased: true }`), pages of 500.
 *
 * For each: one warm-up, then 5 measured runs. Before every run the simulators' request
 * counters are reset; after it they are read (`GET /_sim/stats`), so a run's count is exactly
 * the requests the social care, education and finance systems served for it. Wall time is
 * from sending the first page to reading the last response (median of the 5). The gateway runs
 * as configured by default except for its cost limit, raised so a page of 500 is allowed.
 *
 * Writes `bench/results/upstream-requests.json`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kind, parse, print, type FieldNode, type OperationDefinitionNode } from 'graphql';
import type { SimulatorName } from '../simulators/start-all';
import { ANY_FREE_PORTS, startSystem } from '../system/start-system';
import {
  graphql,
  resetUpstreamCounters,
  sameTotals,
  SIMULATORS,
  totalsOf,
  upstreamStats,
  type UpstreamTotals,
} from '../system/system-client';
import {
  machine,
  out,
  quietLogs,
  round,
  runMain,
  summarise,
  table,
  writeResults,
  type Summary,
} from './support';

const SEED = 1;
const CHILDREN = 600;
const AS_OF = '2026-02-10';
const PERSONA = 'vsh';
const WARM_UPS = 1;
const RUNS = 5;
const PAGE = 500;
/**
 * The gateway's worst-case cost limit (MAX_COST, default 100,000) refuses a page of more than
 * 184 full profiles (the profile is estimated at 541 per child). Pages of 500 are what this
 * bench measures, so it raises the limit; nothing else about the gateway is changed.
 */
const GATEWAY_ENV = { MAX_COST: '1000000' };

/** The selection `examples/child-profile.graphql` asks of `child(id:)`, as a fragment on Child. */
export function profileFragment(): string {
  const file = path.join(__dirname, '..', 'examples', 'child-profile.graphql');
  const document = parse(readFileSync(file, 'utf8'));
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  const child = operation?.selectionSet.selections.find(
    (selection): selection is FieldNode =>
      selection.kind === Kind.FIELD && selection.name.value === 'child',
  );
  if (!child?.selectionSet) throw new Error(`${file}: no child(id:) selection found`);
  return `fragment profile on Child ${print(child.selectionSet)}`;
}

const PROFILE = profileFragment();

const CHILD_QUERY = `query BenchChild($id: ID!) { child(id: $id) { ...profile } }
${PROFILE}`;

const CHILDREN_QUERY = `query BenchChildren($first: Int!, $after: String, $filter: ChildFilter) {
  children(first: $first, after: $after, filter: $filter) {
    edges { node { ...profile } }
    pageInfo { hasNextPage endCursor }
  }
}
${PROFILE}`;

type Counts = UpstreamTotals;

interface Scenario {
  name: string;
  description: string;
  /** Runs the scenario's request(s); answers how many children came back. */
  run: (ask: Ask) => Promise<number>;
}

/** One GraphQL request through the gateway; fails the bench on any error in the answer. */
type Ask = (query: string, variables: Record<string, unknown>) => Promise<Record<string, unknown>>;

interface ConnectionData {
  children: {
    edges: Array<{ node: { id: string } | null }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

async function pageThrough(
  ask: Ask,
  pageSize: number,
  filter: Record<string, unknown> | null,
  allPages: boolean,
): Promise<{ children: number; pages: number }> {
  let after: string | null = null;
  let children = 0;
  let pages = 0;
  for (;;) {
    const data = (await ask(CHILDREN_QUERY, {
      first: pageSize,
      after,
      filter,
    })) as unknown as ConnectionData;
    pages += 1;
    children += data.children.edges.filter((edge) => edge.node !== null).length;
    if (!allPages || !data.children.pageInfo.hasNextPage) break;
    after = data.children.pageInfo.endCursor;
  }
  return { children, pages };
}

interface ScenarioResult {
  scenario: string;
  description: string;
  requestsToGateway: number;
  children: number;
  upstream: Counts;
  /** Per system, by route: what the counts above are made of (first measured run). */
  upstreamByRoute: Record<SimulatorName, Record<string, number>>;
  /** The warm-up (first, cold) run's counts, in case they differ. */
  upstreamWarmUp: Counts[];
  /** True when every measured run cost the same upstream requests. */
  upstreamStable: boolean;
  upstreamPerRun: Counts[];
  wallMs: Summary;
  /** Size of the answers' `data` as JSON, all pages of one run. */
  responseBytes: number;
}

async function main(): Promise<void> {
  quietLogs();
  const started = performance.now();
  const system = await startSystem({
    seed: SEED,
    children: CHILDREN,
    asOf: AS_OF,
    ports: ANY_FREE_PORTS,
    dataDir: 'memory://',
    gatewayEnv: GATEWAY_ENV,
  });
  try {
    const startupMs = performance.now() - started;
    const token = await system.tokenFor(PERSONA);
    // The answers of the current run (sized after its timer stops).
    let answers: unknown[] = [];
    const ask: Ask = async (query, variables) => {
      const result = await graphql(system.urls.gateway, token, query, variables);
      answers.push(result.data);
      if (result.status !== 200 || result.errors?.length || !result.data) {
        const first = result.errors?.[0];
        throw new Error(
          `gateway answered ${result.status} with ${result.errors?.length ?? 0} error(s); first: ` +
            `${first?.message ?? 'none'} at ${JSON.stringify(first?.path ?? null)}`,
        );
      }
      return result.data;
    };

    // The first child the list returns: current and in the VSH's scope.
    const first = (await ask(CHILDREN_QUERY, { first: 1 })) as unknown as ConnectionData;
    const childId = first.children.edges[0]?.node?.id;
    if (!childId) throw new Error('no child to profile');

    const scenarios: Scenario[] = [
      {
        name: 'child(id:)',
        description: `child(id: "${childId}") { ...profile }`,
        run: async (run) => {
          await run(CHILD_QUERY, { id: childId });
          return 1;
        },
      },
      ...[1, 100].map((n) => ({
        name: `children(first: ${n})`,
        description: `children(first: ${n}) { edges { node { ...profile } } }`,
        run: async (run: Ask) => (await pageThrough(run, n, null, false)).children,
      })),
      {
        name: 'N=600: all current, pages of 500',
        description:
          'children(first: 500), then children(first: 500, after: endCursor) while hasNextPage ' +
          '(every current child; seed 1 has 537)',
        run: async (run) => (await pageThrough(run, PAGE, null, true)).children,
      },
      {
        name: 'N=600: all incl. ceased, pages of 500',
        description:
          'the same with filter: { includeCeased: true } (all 600 children of the world)',
        run: async (run) => (await pageThrough(run, PAGE, { includeCeased: true }, true)).children,
      },
    ];

    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      const warmUps: Counts[] = [];
      const perRun: Counts[] = [];
      const wall: number[] = [];
      let byRoute: ScenarioResult['upstreamByRoute'] | undefined;
      let children = 0;
      let gatewayRequests = 0;
      let bytes = 0;
      for (let i = 0; i < WARM_UPS + RUNS; i++) {
        await resetUpstreamCounters(system);
        answers = [];
        const t0 = performance.now();
        children = await scenario.run(ask);
        const elapsed = performance.now() - t0;
        const stats = await upstreamStats(system);
        const counts = totalsOf(stats);
        if (i < WARM_UPS) {
          warmUps.push(counts);
          continue;
        }
        perRun.push(counts);
        wall.push(elapsed);
        gatewayRequests = answers.length;
        bytes = answers.reduce<number>(
          (sum, data) => sum + Buffer.byteLength(JSON.stringify(data)),
          0,
        );
        byRoute ??= Object.fromEntries(
          SIMULATORS.map((name) => [name, stats[name].byRoute]),
        ) as ScenarioResult['upstreamByRoute'];
      }
      const result: ScenarioResult = {
        scenario: scenario.name,
        description: scenario.description,
        requestsToGateway: gatewayRequests,
        children,
        upstream: perRun[0]!,
        upstreamByRoute: byRoute!,
        upstreamWarmUp: warmUps,
        upstreamStable: perRun.every((counts) => sameTotals(counts, perRun[0]!)),
        upstreamPerRun: perRun,
        wallMs: summarise(wall),
        responseBytes: bytes,
      };
      results.push(result);
      out(
        `  ${scenario.name}: ${children} children, ${result.upstream.total} upstream requests, ` +
          `median ${result.wallMs.median} ms`,
      );
    }

    const report = {
      bench: 'upstream-requests',
      generatedAt: new Date().toISOString(),
      machine: machine(),
      world: {
        seed: SEED,
        children: CHILDREN,
        currentChildren: results.find((r) => r.scenario.includes('all current'))?.children,
        asOf: AS_OF,
      },
      method: {
        persona: PERSONA,
        through: 'the gateway (HTTP, loopback), full system in one process',
        selection: 'examples/child-profile.graphql (the child(id:) selection, as a fragment)',
        gatewayEnv: GATEWAY_ENV,
        warmUps: WARM_UPS,
        measuredRuns: RUNS,
        upstream:
          'simulator request counters reset before each run and read after it; warm-up counted separately',
        wallTime:
          'first request sent to last response read, all pages of a run in sequence; median of the measured runs',
      },
      startupMs: round(startupMs),
      scenarios: results,
    };
    const file = await writeResults('upstream-requests', report);

    out();
    out(
      `Upstream requests per query, full child profile as ${PERSONA} ` +
        `(seed ${SEED}, ${CHILDREN} children, as of ${AS_OF}; ${RUNS} runs after ${WARM_UPS} warm-up)`,
    );
    out();
    out(
      table(
        [
          'query',
          'children',
          'gw req',
          'social care',
          'education',
          'finance',
          'upstream',
          'stable',
          'median ms',
          'min–max ms',
        ],
        results.map((r) => [
          r.scenario,
          r.children,
          r.requestsToGateway,
          r.upstream.socialCare,
          r.upstream.education,
          r.upstream.finance,
          r.upstream.total,
          r.upstreamStable ? 'yes' : 'NO',
          r.wallMs.median,
          `${r.wallMs.min}–${r.wallMs.max}`,
        ]),
      ),
    );
    out();
    out(`written ${path.relative(process.cwd(), file)}`);
  } finally {
    await system.close();
  }
}

if (require.main === module) runMain(main);
