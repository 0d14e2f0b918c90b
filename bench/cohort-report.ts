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
 * within the cache's 60 seconds, then 5 times more with the same selection but the cells asked
 * as `cellsJson` (the cells serialised once, kept with the cached report) instead of `cells`,
 * then 5 times as the CSV export (`GET /reports/cohort.csv`, which reads `cellsJson`). Before every run the simulators' request counters are reset
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
 * `COHORT_BENCH_PROFILE=<dir>` writes a V8 CPU profile of each shape's cold run and of its
 * first cached run in each form (`<dir>/<children>-<shape>-<run>.cpuprofile`, cpu-profile.ts)
 * and prints where their time went; profiling slows the runs, so figures from such a run are
 * not the bench's figures.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SimulatorStats } from '../simulators/contracts/common';
import type { SimulatorName } from '../simulators/start-all';
import { ANY_FREE_PORTS, startSystem, type RunningSystem } from '../system/start-system';
import { graphql, resetUpstreamCounters, SIMULATORS } from '../system/system-client';
import { mkdirSync } from 'node:fs';
import { machine, out, quietLogs, round, runMain, summarise, table, writeResults } from './support';
import { startProfile, summariseProfile, writeProfile } from './cpu-profile';

const SEED = 1;
const AS_OF = '2026-02-10';
const CACHED_RUNS = 5;
const SIZES = (process.env.COHORT_BENCH_SIZES ?? '600,50000')
  .split(',')
  .map((size) => Number(size.trim()));
const PAGED = process.env.COHORT_BENCH_PAGED === 'true';
const PROFILE_DIR = process.env.COHORT_BENCH_PROFILE;
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
/** The same selection with the cells as `cellsJson` (every field of each, serialised once). */
const CELLS_SELECTION = /cells \{\s*\.\.\.Figures\s*\}/;
const QUERY_JSON = QUERY.replace(CELLS_SELECTION, 'cellsJson');
if (QUERY_JSON === QUERY) throw new Error('la-wide-report.graphql no longer selects cells');

type Form = 'cells' | 'cellsJson';

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
  form: Form = 'cells',
  profileAs: string | null = null,
): Promise<Run> {
  await resetUpstreamCounters(system);
  const profiler = PROFILE_DIR && profileAs ? await startProfile() : null;
  const start = performance.now();
  const result = await graphql<{ cohortReport: { cells?: unknown[]; cellsJson?: string } }>(
    system.urls.gateway,
    token,
    form === 'cells' ? QUERY : QUERY_JSON,
    { filter, breakdown },
  );
  const ms = performance.now() - start;
  if (profiler && PROFILE_DIR && profileAs) {
    const profile = await profiler.stop();
    const file = writeProfile(PROFILE_DIR, profileAs, profile);
    const summary = summariseProfile(profile, path.join(__dirname, '..'));
    out(`  ${profileAs}: ${round(ms)} ms (profiled), ${path.relative(process.cwd(), file)}`);
    for (const area of summary.areas) out(`    ${area.share}%\t${area.ms} ms\t${area.area}`);
    out('    top functions (self time):');
    for (const fn of summary.functions) {
      out(`    ${fn.share}%\t${fn.ms} ms\t${fn.name} (${fn.area})`);
    }
  }
  if (result.errors || !result.data) {
    throw new Error(`report failed: ${JSON.stringify(result.errors ?? result.status)}`);
  }
  const report = result.data.cohortReport;
  // Reading the cells the client would: parsing the JSON text is part of the time.
  const cells =
    form === 'cells' ? report.cells!.length : (JSON.parse(report.cellsJson!) as unknown[]).length;
  return {
    ms: form === 'cells' ? ms : performance.now() - start,
    upstream: await counts(system),
    cells,
  };
}

/** The same report as the CSV export (cached by then): ms, and the rows written. */
async function measureCsv(system: RunningSystem, token: string, breakdown: string[]) {
  const base = system.urls.gateway.replace(/\/graphql$/, '');
  const query = `academicYear=2025/26${breakdown.length > 0 ? `&breakdown=${breakdown.join(',')}` : ''}`;
  const start = performance.now();
  const response = await fetch(`${base}/reports/cohort.csv?${query}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  const ms = performance.now() - start;
  if (response.status !== 200) throw new Error(`CSV export failed: ${response.status}`);
  // The header, the total, then a row per cell.
  return { ms, rows: text.split('\r\n').filter((line) => line.length > 0).length - 2 };
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
    // The alert worker's loops idle: its daily sweep over every child (a separate worker in
    // production) would otherwise run in this same process during the first report.
    alerts: false,
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
    if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
    for (const shape of SHAPES) {
      const name = `${children}-${shape.name.replace(/\W+/g, '-')}`;
      const cold = await measure(system, token, filter, shape.breakdown, 'cells', `${name}-cold`);
      const cached: Run[] = [];
      for (let run = 0; run < CACHED_RUNS; run += 1) {
        const profileAs = run === 0 ? `${name}-cached` : null;
        cached.push(await measure(system, token, filter, shape.breakdown, 'cells', profileAs));
      }
      const asJson: Run[] = [];
      for (let run = 0; run < CACHED_RUNS; run += 1) {
        const profileAs = run === 0 ? `${name}-cached-json` : null;
        asJson.push(await measure(system, token, filter, shape.breakdown, 'cellsJson', profileAs));
      }
      if (asJson.some((run) => run.cells !== cold.cells)) {
        throw new Error(`cellsJson holds another number of cells than cells (${shape.name})`);
      }
      const asCsv: number[] = [];
      for (let run = 0; run < CACHED_RUNS; run += 1) {
        const csv = await measureCsv(system, token, shape.breakdown);
        if (csv.rows !== cold.cells) throw new Error(`the CSV has ${csv.rows} cell rows`);
        asCsv.push(csv.ms);
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
        // The first of them serialises the cells (once per cached report); the rest reuse it.
        cachedJson: {
          ms: summarise(asJson.map((run) => run.ms)),
          upstream: asJson.map((run) => run.upstream),
        },
        cachedCsv: { ms: summarise(asCsv) },
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
      const cachedTotal = [...shape.cached.upstream, ...shape.cachedJson.upstream].reduce(
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
        shape.cachedJson.ms.median,
        shape.cachedJson.ms.max,
        shape.cachedCsv.ms.median,
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
        'as cellsJson (median)',
        'as cellsJson (max)',
        'CSV export (median)',
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
