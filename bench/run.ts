/**
 * `npm run bench`: runs each benchmark in its own Node process, one after the other (a fresh
 * heap each, and one's system is closed before the next starts), then prints a short summary
 * from the results they wrote under `bench/results/`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { out, RESULTS_DIR, round, runMain } from './support';

const BENCHES = [
  'upstream-requests',
  'shield-overhead',
  'timing-classes',
  'peers',
  'latency',
] as const;
/** Each bench stops itself after 3 minutes; this is the backstop for a stuck child process. */
const PER_BENCH_LIMIT_MS = 200_000;

function runBench(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, `${name}.ts`)], {
      stdio: 'inherit',
      env: process.env,
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
  for (const name of BENCHES) {
    out(`== ${name}`);
    const t0 = performance.now();
    const code = await runBench(name);
    out(
      `== ${name}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${round((performance.now() - t0) / 1000, 1)} s`,
    );
    out();
    if (code !== 0) failed.push(name);
  }

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
  if (failed.length > 0) throw new Error(`benchmarks failed: ${failed.join(', ')}`);
}

if (require.main === module) runMain(main, BENCHES.length * PER_BENCH_LIMIT_MS + 10_000);
