/**
 * Latency sensitivity of the full child profile (issue 16, point 5) and its upstream requests
 * per council system (the counting part of point 2).
 *
 * Starts the whole system in-process (seed 1, 600 children, as of 2026-02-10, in-memory store,
 * alerts off, loopback on free ports) and, as the Virtual School Head, asks the gateway for
 * `child(id:)` with the selection of `examples/child-profile.graphql` for `CHILDREN_PROFILED`
 * different current children, one after the other, under these conditions:
 *
 *   - no injected latency;
 *   - 20 ms and 100 ms added to every request of every simulator (`PUT /_sim/faults`);
 *   - 20 ms and 100 ms added to one simulator only (each of the three in turn).
 *
 * Each condition: one warm-up profile, then one profile per child. Before every profile the
 * simulators' counters are reset, after it they are read, so each profile has its exact
 * upstream requests per system. Wall time is request sent to answer read.
 *
 * The critical path, in "rounds" of upstream latency the profile waits for one after the other:
 *
 *   rounds(L)         = median over the children of (wall with L on every system − wall with
 *                       none, same child) / L
 *   rounds_s(L)       = the same with L on system s only: how many of s's requests are in
 *                       sequence on the profile's path (requests to s in parallel count once)
 *   ideal(L)          = max over s of rounds_s(100 ms), rounded to whole waits, × L: the wait
 *                       if the three systems' chains ran side by side (each system's own
 *                       sequence kept as it is)
 *   ratio to ideal    = median wall with L everywhere / ideal(L)   (target ≤ 1.5)
 *   ratio to slowest  = median wall with L everywhere / max over s of median wall with L on s
 *                       only ("close to the slowest system's")
 *
 * Also reported: the bound from the counters alone (max over s of requests_s × L, as if every
 * request to a system waited for the one before) and the end state (one request per
 * system, all in parallel: 1 × L). The gateway's query plan for the operation is captured
 * from a bare `@apollo/gateway` over the same supergraph (its `experimental_didResolveQueryPlan`
 * hook; subgraphs are never called) and summarised as its sequence of fetch stages.
 *
 * Writes `bench/results/latency.json`.
 */
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { SimulatorName } from '../simulators/start-all';
import { SUPERGRAPH_FILE } from '../schema/subgraphs';
import { loadSupergraphSdl } from '../gateway/supergraph';
import { ANY_FREE_PORTS, startSystem, type RunningSystem } from '../system/start-system';
import {
  graphql,
  resetUpstreamCounters,
  setFaults,
  SIMULATORS,
  totalsOf,
  upstreamStats,
  type UpstreamTotals,
} from '../system/system-client';
import { profileFragment } from './upstream-requests';
import {
  machine,
  median,
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
const CHILDREN_PROFILED = 20;
const LATENCIES = [20, 100] as const;
const TARGET_RATIO = 1.5;
const TIMELINE_LATENCY = 100;
const IDEAL_FROM_LATENCY = 100;

const CHILD_QUERY = `query LatencyChild($id: ID!) { child(id: $id) { ...profile } }
${profileFragment()}`;

const IDS_QUERY = `query LatencyIds($first: Int!) { children(first: $first) { edges { node { id } } } }`;

/** Which systems get the added latency: all three, one, or none. */
type Target = 'none' | 'all' | SimulatorName;

interface Condition {
  name: string;
  latencyMs: number;
  target: Target;
}

interface ConditionResult extends Condition {
  wallMs: Summary;
  /** Upstream requests per profile (the first measured profile) and whether every one cost the same. */
  upstream: UpstreamTotals;
  upstreamStable: boolean;
  upstreamMin: UpstreamTotals;
  upstreamMax: UpstreamTotals;
  /** Per system, the median over the children of their profile's requests. */
  upstreamMedian: UpstreamTotals;
  /** By system and route, summed over the measured profiles and divided by their number. */
  upstreamByRoutePerProfile: Record<SimulatorName, Record<string, number>>;
}

// ---- the query plan -------------------------------------------------------------------------

/** The parts of `@apollo/query-planner`'s plan nodes this bench reads. */
interface PlanNode {
  kind: string;
  serviceName?: string;
  nodes?: PlanNode[];
  node?: PlanNode;
  path?: Array<string | number>;
  ifClause?: PlanNode;
  elseClause?: PlanNode;
}

interface PlanSummary {
  /** The plan, one token per fetch: `Sequence[A, Parallel[B, C]]`. */
  shape: string;
  /** Fetches that wait for one another: the longest chain of fetches. */
  sequentialStages: number;
  /** Fetches per stage (stage 1 is the first fetch), each `subgraph @ path`. */
  stages: string[][];
  fetches: number;
}

/**
 * Plans the operation with a bare Apollo Gateway over the same supergraph and hands back its
 * plan. The data sources answer nothing (the plan is taken before execution would need them).
 */
async function queryPlanOf(query: string, variables: Record<string, unknown>): Promise<PlanNode> {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  let plan: PlanNode | undefined;
  const silent: GraphQLDataSource = { process: () => Promise.resolve({ data: null }) };
  const gateway = new ApolloGateway({
    supergraphSdl: loadSupergraphSdl(),
    buildService: () => silent,
    experimental_didResolveQueryPlan: ({ queryPlan }) => {
      plan = queryPlan.node as PlanNode | undefined;
    },
  });
  const server = new ApolloServer({ gateway, stopOnTerminationSignals: false });
  await server.start();
  try {
    await server.executeOperation({ query, variables });
  } finally {
    await server.stop();
  }
  if (!plan) throw new Error(`no query plan captured from ${SUPERGRAPH_FILE}`);
  return plan;
}

/** Walks the plan: each fetch's stage is one more than the last stage it waits for. */
function summarisePlan(root: PlanNode): PlanSummary {
  const stages: string[][] = [];
  let fetches = 0;
  // Answers the last stage the node occupies, given the stage it starts after.
  const walk = (node: PlanNode, after: number, at: string): { shape: string; end: number } => {
    switch (node.kind) {
      case 'Fetch': {
        const stage = after + 1;
        fetches += 1;
        (stages[stage - 1] ??= []).push(`${node.serviceName ?? '?'} @ ${at || 'root'}`);
        return { shape: node.serviceName ?? '?', end: stage };
      }
      case 'Flatten':
        return walk(node.node!, after, (node.path ?? []).join('.'));
      case 'Sequence': {
        let end = after;
        const parts: string[] = [];
        for (const child of node.nodes ?? []) {
          const step = walk(child, end, at);
          parts.push(step.shape);
          end = step.end;
        }
        return { shape: `Sequence[${parts.join(', ')}]`, end };
      }
      case 'Parallel': {
        const steps = (node.nodes ?? []).map((child) => walk(child, after, at));
        return {
          shape: `Parallel[${steps.map((s) => s.shape).join(', ')}]`,
          end: Math.max(after, ...steps.map((s) => s.end)),
        };
      }
      case 'Condition': {
        const branches = [node.ifClause, node.elseClause].filter((b): b is PlanNode => !!b);
        const steps = branches.map((branch) => walk(branch, after, at));
        return {
          shape: `Condition[${steps.map((s) => s.shape).join(' | ')}]`,
          end: Math.max(after, ...steps.map((s) => s.end)),
        };
      }
      default:
        return node.node ? walk(node.node, after, at) : { shape: node.kind, end: after };
    }
  };
  const { shape, end } = walk(root, 0, '');
  return { shape, sequentialStages: end, stages, fetches };
}

// ---- the timeline of one profile ------------------------------------------------------------

interface TimelineEntry {
  /** `gateway → <subgraph>` (fetch) or `<subgraph's client> → <system>` (node:http). */
  call: string;
  route: string;
  startMs: number;
  endMs: number;
}

/** The parts of an undici request the diagnostics channel hands over. */
interface UndiciRequest {
  origin: string | URL;
  method: string;
  path: string;
}

/** Ids and numbers out of a path: `/v1/schools/123456/designated-teacher` → `/v1/schools/:n/…`. */
const routeOf = (method: string, url: string): string =>
  `${method} ${url
    .split('?')[0]!
    .split('/')
    .map((part) => (/\d/.test(part) && !/^v\d+$/.test(part) ? ':id' : part))
    .join('/')}`;

/**
 * The longest chain of calls to `call` (or to any simulated system) in which each starts after
 * the one before it ended: the calls to that system the request waited for one after the other.
 * (Picking, each time, the call that ends first among those starting after the last one ended
 * gives the most calls that do not overlap.)
 */
function sequentialChain(entries: readonly TimelineEntry[], include: (call: string) => boolean) {
  const calls = entries.filter((entry) => include(entry.call)).sort((a, b) => a.endMs - b.endMs);
  let last = Number.NEGATIVE_INFINITY;
  const chain: string[] = [];
  for (const entry of calls) {
    if (entry.startMs >= last) {
      chain.push(`${entry.call} ${entry.route}`);
      last = entry.endMs;
    }
  }
  return chain;
}

/**
 * Records every HTTP call made in this process while `run` runs: the gateway's calls to the
 * subgraphs (fetch, undici's channels) and the subgraphs' calls to the simulated systems
 * (axios over node:http, its channels). Everything runs in one process, so this is the whole
 * call graph of the request, with times relative to its start.
 */
async function timeline(
  system: RunningSystem,
  run: () => Promise<unknown>,
): Promise<TimelineEntry[]> {
  const byPort = new Map<string, string>();
  for (const [name, url] of Object.entries(system.urls.simulators)) {
    byPort.set(new URL(url).port, name);
  }
  for (const [name, url] of Object.entries(system.urls.subgraphs)) {
    byPort.set(new URL(url).port, `subgraph ${name}`);
  }
  const t0 = performance.now();
  const now = () => round(performance.now() - t0, 1);
  const entries: TimelineEntry[] = [];
  const open = new Map<object, TimelineEntry>();
  const start = (key: object, port: string, route: string) => {
    const target = byPort.get(port);
    if (!target) return;
    const entry = { call: target, route, startMs: now(), endMs: Number.NaN };
    entries.push(entry);
    open.set(key, entry);
  };
  const end = (key: object) => {
    const entry = open.get(key);
    if (entry) entry.endMs = now();
    open.delete(key);
  };
  const onHttpStart = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    const host = String(request.getHeader('host') ?? '');
    start(request, host.split(':')[1] ?? '', routeOf(request.method, request.path));
  };
  const onHttpEnd = (message: unknown) => end((message as { request: object }).request);
  const onUndiciStart = (message: unknown) => {
    const request = (message as { request: UndiciRequest }).request;
    start(request, new URL(String(request.origin)).port, routeOf(request.method, request.path));
  };
  const onUndiciEnd = (message: unknown) => end((message as { request: object }).request);
  const channels: Array<[string, (message: unknown) => void]> = [
    ['http.client.request.start', onHttpStart],
    ['http.client.response.finish', onHttpEnd],
    ['undici:request:create', onUndiciStart],
    ['undici:request:trailers', onUndiciEnd],
  ];
  for (const [name, listener] of channels) diagnostics.subscribe(name, listener);
  try {
    await run();
  } finally {
    for (const [name, listener] of channels) diagnostics.unsubscribe(name, listener);
  }
  return entries.sort((a, b) => a.startMs - b.startMs);
}

// ---- the measurements -----------------------------------------------------------------------

async function applyLatency(system: RunningSystem, condition: Condition): Promise<void> {
  await Promise.all(
    SIMULATORS.map((name) =>
      setFaults(system, name, {
        latencyMs:
          condition.target === 'all' || condition.target === name ? condition.latencyMs : 0,
      }),
    ),
  );
}

const zeroTotals = (): UpstreamTotals => ({ socialCare: 0, education: 0, finance: 0, total: 0 });

function extreme(all: UpstreamTotals[], pick: (a: number, b: number) => number): UpstreamTotals {
  const result = zeroTotals();
  for (const key of [...SIMULATORS, 'total'] as const) {
    result[key] = all.map((t) => t[key]).reduce((a, b) => pick(a, b));
  }
  return result;
}

function medianTotals(all: UpstreamTotals[]): UpstreamTotals {
  const result = zeroTotals();
  for (const key of [...SIMULATORS, 'total'] as const) result[key] = median(all.map((t) => t[key]));
  return result;
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
    alerts: false,
    // Hundreds of profiles a minute, one caller: the rate limit is not what is measured.
    gatewayEnv: { RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_BURST: '1000000' },
  });
  try {
    const startupMs = performance.now() - started;
    const token = await system.tokenFor(PERSONA);
    const ask = async (query: string, variables: Record<string, unknown>) => {
      const result = await graphql(system.urls.gateway, token, query, variables);
      if (result.status !== 200 || result.errors?.length || !result.data) {
        const first = result.errors?.[0];
        throw new Error(
          `gateway answered ${result.status} with ${result.errors?.length ?? 0} error(s); first: ` +
            `${first?.message ?? 'none'} at ${JSON.stringify(first?.path ?? null)}`,
        );
      }
      return result.data;
    };

    const idsData = (await ask(IDS_QUERY, { first: CHILDREN_PROFILED })) as {
      children: { edges: Array<{ node: { id: string } | null }> };
    };
    const ids = idsData.children.edges.flatMap((edge) => (edge.node ? [edge.node.id] : []));
    if (ids.length < CHILDREN_PROFILED) throw new Error(`only ${ids.length} children to profile`);

    const plan = summarisePlan(await queryPlanOf(CHILD_QUERY, { id: ids[0] }));

    const conditions: Condition[] = [{ name: 'none', latencyMs: 0, target: 'none' }];
    for (const latencyMs of LATENCIES) {
      conditions.push({ name: `${latencyMs} ms, all systems`, latencyMs, target: 'all' });
      for (const name of SIMULATORS) {
        conditions.push({ name: `${latencyMs} ms, ${name} only`, latencyMs, target: name });
      }
    }

    const results: ConditionResult[] = [];
    let calls: TimelineEntry[] = [];
    try {
      for (const condition of conditions) {
        await applyLatency(system, condition);
        const wall: number[] = [];
        const counts: UpstreamTotals[] = [];
        const byRoute = Object.fromEntries(SIMULATORS.map((n) => [n, {}])) as Record<
          SimulatorName,
          Record<string, number>
        >;
        // The warm-up is the last child (not measured), then every child once.
        for (const [index, id] of [ids[ids.length - 1]!, ...ids].entries()) {
          await resetUpstreamCounters(system);
          const t0 = performance.now();
          await ask(CHILD_QUERY, { id });
          const elapsed = performance.now() - t0;
          const stats = await upstreamStats(system);
          if (index === 0) continue;
          wall.push(elapsed);
          counts.push(totalsOf(stats));
          for (const name of SIMULATORS) {
            for (const [route, n] of Object.entries(stats[name].byRoute)) {
              byRoute[name][route] = (byRoute[name][route] ?? 0) + n / ids.length;
            }
          }
        }
        const result: ConditionResult = {
          ...condition,
          wallMs: summarise(wall),
          upstream: counts[0]!,
          upstreamStable: counts.every((c) => SIMULATORS.every((n) => c[n] === counts[0]![n])),
          upstreamMin: extreme(counts, Math.min),
          upstreamMax: extreme(counts, Math.max),
          upstreamMedian: medianTotals(counts),
          upstreamByRoutePerProfile: byRoute,
        };
        results.push(result);
        out(
          `  ${condition.name}: median ${result.wallMs.median} ms, p95 ${result.wallMs.p95} ms, ` +
            `upstream ${result.upstream.total}`,
        );
      }
      // One profile's call graph at the largest latency, after a warm-up of the same child.
      await applyLatency(system, { name: 'timeline', latencyMs: TIMELINE_LATENCY, target: 'all' });
      await ask(CHILD_QUERY, { id: ids[0] });
      calls = await timeline(system, () => ask(CHILD_QUERY, { id: ids[0] }));
    } finally {
      await applyLatency(system, { name: 'none', latencyMs: 0, target: 'none' });
    }

    const find = (latencyMs: number, target: Target): ConditionResult =>
      results.find((r) => r.latencyMs === latencyMs && r.target === target)!;
    const base = find(0, 'none');
    const upstreamMedian = base.upstreamMedian;
    // Paired by child (each child is profiled once per condition, in the same order): the
    // children's profiles differ in work (schools, PP+ spend), so their differences are
    // steadier than the difference of two medians.
    const roundsOf = (r: ConditionResult) =>
      round(
        median(r.wallMs.samples.map((ms, i) => (ms - base.wallMs.samples[i]!) / r.latencyMs)),
        2,
      );
    const analysis = LATENCIES.map((latencyMs) => {
      const all = find(latencyMs, 'all');
      const perSystem = Object.fromEntries(
        SIMULATORS.map((name) => {
          const only = find(latencyMs, name);
          return [
            name,
            {
              requests: upstreamMedian[name],
              rounds: roundsOf(only),
              wallMsMedian: only.wallMs.median,
            },
          ];
        }),
      ) as Record<SimulatorName, { requests: number; rounds: number; wallMsMedian: number }>;
      const slowest = SIMULATORS.reduce((a, b) =>
        perSystem[a].wallMsMedian >= perSystem[b].wallMsMedian ? a : b,
      );
      // Whole rounds: a system's sequence is a count of waits, the fraction is noise.
      // Each system's own chain is measured at the largest latency (where processing time
      // blurs it least) and rounded: it is a count of waits, the fraction is noise.
      const maxSystemRounds = Math.max(
        1,
        ...SIMULATORS.map((n) => Math.round(roundsOf(find(IDEAL_FROM_LATENCY, n)))),
      );
      const idealMs = maxSystemRounds * latencyMs;
      const countBoundMs = Math.max(...SIMULATORS.map((n) => upstreamMedian[n])) * latencyMs;
      const ratio = round(all.wallMs.median / idealMs, 2);
      return {
        latencyMs,
        wallMs: { median: all.wallMs.median, p95: all.wallMs.p95 },
        rounds: roundsOf(all),
        sumOfSystemRounds: round(
          SIMULATORS.reduce((sum, n) => sum + perSystem[n].rounds, 0),
          2,
        ),
        perSystem,
        slowestSystem: slowest,
        idealRounds: maxSystemRounds,
        idealMs,
        ratioToIdeal: ratio,
        ratioToSlowestSystem: round(all.wallMs.median / perSystem[slowest].wallMsMedian, 2),
        countBoundMs,
        ratioToCountBound: round(all.wallMs.median / countBoundMs, 2),
        onePerSystemMs: latencyMs,
        ratioToOnePerSystem: round(all.wallMs.median / latencyMs, 2),
        targetMet: ratio <= TARGET_RATIO,
      };
    });

    const chain = sequentialChain(calls, (call) => !call.startsWith('subgraph'));
    const chainPerSystem = Object.fromEntries(
      SIMULATORS.map((name) => [name, sequentialChain(calls, (call) => call === name)]),
    ) as Record<SimulatorName, string[]>;

    const report = {
      bench: 'latency',
      generatedAt: new Date().toISOString(),
      machine: machine(),
      world: { seed: SEED, children: CHILDREN, asOf: AS_OF },
      method: {
        persona: PERSONA,
        through: 'the gateway (HTTP, loopback), full system in one process, alerts off',
        selection: 'examples/child-profile.graphql (the child(id:) selection, as a fragment)',
        children: CHILDREN_PROFILED,
        order: 'one warm-up, then each child once, sequentially; counters reset before each',
        latency:
          'PUT /_sim/faults { latencyMs } on the systems named; every API request waits that long',
        rounds: 'median over children of (wall at L - wall at 0, same child) / L',
        ideal: `max over systems of that system's rounds (${IDEAL_FROM_LATENCY} ms on it alone, rounded to whole) x L`,
        countBound: 'max over systems of requests per profile (median over the children) x L',
        target: `median wall at L on every system <= ${TARGET_RATIO} x ideal`,
      },
      startupMs: round(startupMs),
      upstreamPerProfile: {
        median: base.upstreamMedian,
        min: base.upstreamMin,
        max: base.upstreamMax,
        byRoute: base.upstreamByRoutePerProfile,
        stable: base.upstreamStable,
      },
      queryPlan: plan,
      timeline: {
        latencyMs: TIMELINE_LATENCY,
        child: 'the first of the children',
        calls,
        sequentialChain: chain,
        sequentialChainPerSystem: chainPerSystem,
      },
      conditions: results,
      analysis,
    };
    const file = await writeResults('latency', report);

    out();
    out(
      `Full child profile as ${PERSONA}, ${CHILDREN_PROFILED} children in sequence ` +
        `(seed ${SEED}, ${CHILDREN} children, as of ${AS_OF})`,
    );
    out();
    out(
      table(
        ['latency', 'median ms', 'p95 ms', 'social care', 'education', 'finance', 'rounds'],
        results.map((r) => [
          r.name,
          r.wallMs.median,
          r.wallMs.p95,
          ...SIMULATORS.map((n) =>
            r.upstreamStable
              ? r.upstream[n]
              : `${r.upstreamMedian[n]} (${r.upstreamMin[n]}–${r.upstreamMax[n]})`,
          ),
          r.latencyMs === 0 ? '' : roundsOf(r),
        ]),
      ),
    );
    out();
    out(
      table(
        [
          'L',
          'median ms',
          'p95 ms',
          'rounds',
          'ideal rounds',
          'ideal ms',
          'x ideal',
          'x slowest alone',
          'x count bound',
          'x 1 round',
          'target',
        ],
        analysis.map((a) => [
          `${a.latencyMs} ms`,
          a.wallMs.median,
          a.wallMs.p95,
          a.rounds,
          a.idealRounds,
          a.idealMs,
          a.ratioToIdeal,
          a.ratioToSlowestSystem,
          a.ratioToCountBound,
          a.ratioToOnePerSystem,
          a.targetMet ? 'met' : `NOT MET (≤ ${TARGET_RATIO})`,
        ]),
      ),
    );
    out();
    out(`query plan: ${plan.fetches} fetches in ${plan.sequentialStages} sequential stages`);
    plan.stages.forEach((stage, i) => out(`  stage ${i + 1}: ${stage.join('; ')}`));
    out();
    out(`one profile's calls, ${TIMELINE_LATENCY} ms on every system (ms from its start):`);
    out(
      table(
        ['call', 'route', 'start', 'end'],
        calls.map((c) => [c.call, c.route, c.startMs, c.endMs]),
        2,
      ),
    );
    out();
    out(
      `upstream calls it waited for one after another (${chain.length}, by time, not by cause): ` +
        chain.join(' → '),
    );
    for (const name of SIMULATORS) {
      out(`  ${name}: ${chainPerSystem[name].length} in sequence`);
    }
    out();
    out(`written ${path.relative(process.cwd(), file)}`);
  } finally {
    await system.close();
  }
}

if (require.main === module) runMain(main, 170_000);
