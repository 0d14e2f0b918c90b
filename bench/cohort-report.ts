/**
 * Upstream requests and time of a cohort report, at 600 and at 50,000 children.
 *
 * For each size, starts the whole system in-process (`startSystem`: seed 1, as of 2026-02-10,
 * in-memory store, loopback on free ports) and, as the analyst, asks the gateway for
 * `cohortReport` for the academic year 2025/26 with the full selection of
 * `examples/la-wide-report.graphql` (read from that file), in three shapes:
 *
 *   - the whole authority, no breakdown;
 *   - by key stage and placement type (7 x 7 cells and their totals);
 *   - by school (one cell per school with children of the authority on roll).
 *
 * Each shape is asked once cold (the report cache has never seen it) and then 5 times more
 * within the cache's 60 seconds. Before every run the simulators' request counters are reset
 * and after it they are read (`GET /_sim/stats`), so a run's counts are exactly the requests
 * the social care, education and finance systems served for it. One unmeasured report first
 * warms the code up. The gateway's subgraph deadline is raised so a cold report over 50,000
 * children is measured rather than cut off.
 *
 * Memory: the process's RSS and V8 heap used are sampled every 20 ms from just before the
 * cold reports to the end, and the peaks reported beside the values after start-up (the whole
 * system runs in this one process, simulators and their worlds included).
 *
 * Writes `bench/results/cohort-report.json`. `COHORT_BENCH_SIZES` (comma-separated, 50 to
 * 100000) changes the sizes; `COHORT_BENCH_PAGED=true` reads the systems page by page
 * (`REPORTING_BULK_EXPORT=false`) instead of through their bulk exports, to compare.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SimulatorStats } from '../simulators/contracts/common';
import type { SimulatorName } from '../simulators/start-all';
import { ANY_FREE_PORTS, startSystem, type RunningSystem } from '../system/start-system';
import { graphql, resetUpstreamCounters, SIMULATORS } from '../system/system-client';
import { machine, out, quietLogs, round, runMain, summarise, table, writeResults } from './support';

const SEED = 1;
const AS_OF = '2026-02-10';
const CACHED_RUNS = 5;
const SIZES = (process.env.COHORT_BENCH_SIZES ?? '600,50000')
  .split(',')
  .map((size) => Number(size.trim()));
const PAGED = process.env.COHORT_BENCH_PAGED === 'true';
const MB = 1024 ** 2;

/** Peaks of RSS and heap used, sampled until `stop()`. */
function memoryPeaks(): { stop(): { rssMb: number; heapUsedMb: number } } {
  let rss = 0;
  let heapUsed = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    rss = Math.max(rss, usage.rss);
    heapUsed = Math.max(heapUsed, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 20);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { rssMb: round(rss / MB, 1), heapUsedMb: round(heapUsed / MB, 1) };
    },
  };
}

const SHAPES: Array<{ name: string; breakdown: string[] }> = [
  { name: 'whole authority', breakdown: [] },
  { name: 'key stage x placement type', breakdown: ['KEY_STAGE', 'PLACEMENT_TYPE'] },
  { name: 'by school', breakdown: ['SCHOOL'] },
];

const QUERY = readFileSync(
  path.join(__dirname, '..', 'examples', 'la-wide-report.graphql'),
  'utf8',
);

type Counts = Record<SimulatorName, number>;

async function counts(system: RunningSystem): Promise<Counts> {
  const stats = await Promise.all(
    SIMULATORS.map(async (name) => {
      const response = await fetch(`${system.urls.simulators[name]}/_sim/stats`, {
        headers: { Authorization: `Bearer ${system.simulatorKeys[name]}` },
      });
      return [name, ((await response.json()) as SimulatorStats).requests] as const;
    }),
  );
  return Object.fromEntries(stats) as Counts;
}

interface Run {
  ms: number;
  upstream: Counts;
  cells: number;
}

async function measure(
  system: RunningSystem,
  token: string,
  filter: Record<string, unknown>,
  breakdown: string[],
): Promise<Run> {
  await resetUpstreamCounters(system);
  const start = performance.now();
  const result = await graphql<{ cohortReport: { cells: unknown[] } }>(
    system.urls.gateway,
    token,
    QUERY,
    { filter, breakdown },
  );
  const ms = performance.now() - start;
  if (result.errors || !result.data) {
    throw new Error(`report failed: ${JSON.stringify(result.errors ?? result.status)}`);
  }
  return { ms, upstream: await counts(system), cells: result.data.cohortReport.cells.length };
}

async function benchSize(children: number) {
  const started = performance.now();
  const system = await startSystem({
    seed: SEED,
    children,
    asOf: AS_OF,
    ports: ANY_FREE_PORTS,
    dataDir: 'memory://',
    subgraphTimeoutMs: 300_000,
    // The reporting subgraph's own gateway deadline, and its reads' deadline, raised too.
    env: {
      REPORTING_DEADLINE_MS: '300000',
      REPORTING_TIMEOUT_MS: '120000',
      REPORTING_BULK_EXPORT: PAGED ? 'false' : 'true',
    },
    gatewayEnv: { MAX_COST: '1000000', REPORTING_SUBGRAPH_TIMEOUT_MS: '300000' },
  });
  const startupMs = performance.now() - started;
  try {
    const token = await system.tokenFor('analyst');
    const filter = { academicYear: '2025/26' };
    // Warm the code up on a report the measured ones never ask for.
    await measure(system, token, { ...filter, gender: 'MALE' }, []);
    const afterStart = process.memoryUsage();
    const peaks = memoryPeaks();
    const shapes = [];
    for (const shape of SHAPES) {
      const cold = await measure(system, token, filter, shape.breakdown);
      const cached: Run[] = [];
      for (let run = 0; run < CACHED_RUNS; run += 1) {
        cached.push(await measure(system, token, filter, shape.breakdown));
      }
      shapes.push({
        shape: shape.name,
        breakdown: shape.breakdown,
        cells: cold.cells,
        cold: { ms: round(cold.ms), upstream: cold.upstream },
        cached: {
          ms: summarise(cached.map((run) => run.ms)),
          upstream: cached.map((run) => run.upstream),
        },
      });
    }
    return {
      children,
      readBy: PAGED ? 'pages of 500' : 'bulk export',
      startupMs: round(startupMs),
      memory: {
        afterStartup: {
          rssMb: round(afterStart.rss / MB, 1),
          heapUsedMb: round(afterStart.heapUsed / MB, 1),
        },
        peak: peaks.stop(),
      },
      shapes,
    };
  } finally {
    await system.close();
  }
}

async function main(): Promise<void> {
  quietLogs();
  const results = [];
  for (const size of SIZES) {
    out(`cohort report: starting the system with ${size} children...`);
    results.push(await benchSize(size));
  }
  const rows = results.flatMap((result) =>
    result.shapes.map((shape) => {
      const cachedTotal = shape.cached.upstream.reduce(
        (sum, counts) => sum + counts.socialCare + counts.education + counts.finance,
        0,
      );
      return [
        String(result.children),
        shape.shape,
        shape.cells,
        shape.cold.upstream.socialCare,
        shape.cold.upstream.education,
        shape.cold.upstream.finance,
        shape.cold.ms,
        shape.cached.ms.median,
        cachedTotal,
      ];
    }),
  );
  out();
  out(
    table(
      [
        'children',
        'report',
        'cells',
        'social care',
        'education',
        'finance',
        'cold ms',
        'cached ms (median)',
        'upstream when cached',
      ],
      rows,
      2,
    ),
  );
  for (const result of results) {
    const { afterStartup, peak } = result.memory;
    out(
      `  ${result.children} children (${result.readBy}): RSS ${afterStartup.rssMb} MB after ` +
        `start-up, peak ${peak.rssMb} MB; heap used ${afterStartup.heapUsedMb} MB, peak ` +
        `${peak.heapUsedMb} MB`,
    );
  }
  const file = await writeResults(PAGED ? 'cohort-report-paged' : 'cohort-report', {
    machine: machine(),
    seed: SEED,
    asOf: AS_OF,
    results,
  });
  out();
  out(`written to ${path.relative(process.cwd(), file)}`);
}

runMain(main, 900_000);
