/**
 * `npm run bench`: runs each benchmark in its own Node process, one after the other (a fresh
 * heap each, and one's system is closed before the next starts), then prints a short summary
 * from the results they wrote under `bench/results/`, and writes `BENCHMARKS.md` from them.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeBenchmarks } from './benchmarks-md';
import { out, RESULTS_DIR, round, runMain } from './support';

const BENCHES = [
  'upstream-requests',
  'shield-overhead',
  'timing-classes',
  'peers',
  'latency',
  'cohort-report',
] as const;
/**
 * Settings a bench gets under `npm run bench` unless the environment sets them: the cohort
 * report at 600 and 5,000 children (50,000 takes minutes to seed: run it on its own).
 */
const BENCH_ENV: Partial<Record<(typeof BENCHES)[number], NodeJS.ProcessEnv>> = {
  'cohort-report': { COHORT_BENCH_SIZES: '600,5000' },
};
/** Each bench stops itself after 3 minutes; this is the backstop for a stuck child process. */
const PER_BENCH_LIMIT_MS = 200_000;

function runBench(name: (typeof BENCHES)[number]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, `${name}.ts`)], {
      stdio: 'inherit',
      env: { ...BENCH_ENV[name], ...process.env },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PER_BENCH_LIMIT_MS);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const readResults = <T>(name: string): T =>
  JSON.parse(readFileSync(path.join(RESULTS_DIR, `${name}.json`), 'utf8')) as T;

interface UpstreamReport {
  scenarios: Array<{
    scenario: string;
    children: number;
    upstream: { socialCare: number; education: number; finance: number; total: number };
    upstreamStable: boolean;
    wallMs: { median: number };
  }>;
}

interface CohortReport {
  results: Array<{
    children: number;
    memory: { peak: { rssMb: number; heapUsedMb: number } };
    shapes: Array<{
      shape: string;
      cells: number;
      cold: { ms: number; upstream: { socialCare: number; education: number; finance: number } };
      cached: { ms: { median: number } };
    }>;
  }>;
}

interface ShieldVariant {
  wallMs: { median: number; p95: number };
  ratioToNone: { median: number; p95: number };
  overheadMs: { median: number; perChild: number };
}

interface ShieldReport {
  sizes: Array<{
    first: number;
    variants: { permissions: ShieldVariant; shield: ShieldVariant; none: ShieldVariant };
  }>;
}

interface TimingReport {
  operations: Array<{
    operation: string;
    classes: Array<{
      childClass: string;
      wallMs: { median: number };
      upstream: { socialCare: number; education: number; finance: number };
    }>;
    maxRatio: number;
    withinTarget: boolean;
    sameAnswer: boolean;
    sameUpstream: boolean;
  }>;
}

async function main(): Promise<void> {
  const failed: string[] = [];
  const seconds: Record<string, number> = {};
  const started = performance.now();
  for (const name of BENCHES) {
    out(`== ${name}`);
    const t0 = performance.now();
    const code = await runBench(name);
    seconds[name] = round((performance.now() - t0) / 1000, 1);
    out(`== ${name}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${seconds[name]} s`);
    out();
    if (code !== 0) failed.push(name);
  }

  // BENCHMARKS.md from the results files, failed or missing ones noted (benchmarks-md.ts).
  const written = await writeBenchmarks({
    command: 'npm run bench',
    benches: BENCHES,
    failed,
    seconds,
    totalSeconds: round((performance.now() - started) / 1000, 1),
  });
  out(`written ${path.relative(process.cwd(), written)}`);

  out('Summary');
  if (!failed.includes('upstream-requests')) {
    const upstream = readResults<UpstreamReport>('upstream-requests');
    for (const s of upstream.scenarios) {
      out(
        `  ${s.scenario} (${s.children} children): upstream ${s.upstream.total} ` +
          `(social care ${s.upstream.socialCare}, education ${s.upstream.education}, ` +
          `finance ${s.upstream.finance})${s.upstreamStable ? '' : ' VARIED'}, ` +
          `median ${s.wallMs.median} ms`,
      );
    }
  }
  if (!failed.includes('shield-overhead')) {
    const shield = readResults<ShieldReport>('shield-overhead');
    for (const { first, variants } of shield.sizes) {
      const { permissions, shield: shieldOnly, none } = variants;
      out(
        `  social care subgraph, first: ${first}: none ${none.wallMs.median} ms; ` +
          `shield ${shieldOnly.wallMs.median} ms (x${shieldOnly.ratioToNone.median}, ` +
          `p95 x${shieldOnly.ratioToNone.p95}, ${shieldOnly.overheadMs.perChild} ms/child); ` +
          `production permissions ${permissions.wallMs.median} ms ` +
          `(x${permissions.ratioToNone.median}, p95 x${permissions.ratioToNone.p95})`,
      );
    }
  }
  if (!failed.includes('timing-classes')) {
    const timing = readResults<TimingReport>('timing-classes');
    for (const op of timing.operations) {
      const classes = op.classes
        .map(
          (c) =>
            `${c.childClass} ${c.wallMs.median} ms (${c.upstream.socialCare}/` +
            `${c.upstream.education}/${c.upstream.finance})`,
        )
        .join(', ');
      out(
        `  ${op.operation} as designated teacher: ${classes}; max ratio x${op.maxRatio}` +
          `${op.withinTarget ? '' : ' OVER 1.1'}; same answer ${op.sameAnswer ? 'yes' : 'NO'}, ` +
          `same upstream ${op.sameUpstream ? 'yes' : 'NO'}`,
      );
    }
  }
  if (!failed.includes('cohort-report')) {
    for (const result of readResults<CohortReport>('cohort-report').results) {
      const shapes = result.shapes
        .map(
          (s) =>
            `${s.shape} (${s.cells} cells) cold ${s.cold.ms} ms ` +
            `(${s.cold.upstream.socialCare}/${s.cold.upstream.education}/` +
            `${s.cold.upstream.finance}), cached ${s.cached.ms.median} ms`,
        )
        .join('; ');
      out(
        `  cohort report, ${result.children} children: ${shapes}; peak RSS ` +
          `${result.memory.peak.rssMb} MB`,
      );
    }
  }
  if (failed.length > 0) throw new Error(`benchmarks failed: ${failed.join(', ')}`);
}

if (require.main === module) runMain(main, BENCHES.length * PER_BENCH_LIMIT_MS + 10_000);
