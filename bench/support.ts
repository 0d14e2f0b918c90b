/**
 * What the benchmarks share: summary statistics, a description of the machine, writing
 * `bench/results/<name>.json`, and a plain-text table. Output goes to stdout through
 * `process.stdout.write` (the project's ESLint forbids console).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import prettier from 'prettier';

export const RESULTS_DIR = path.join(__dirname, 'results');

export const out = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};

/** Keep the services' structured logs (stderr) to warnings and errors unless asked otherwise. */
export function quietLogs(): void {
  process.env.LOG_LEVEL ??= 'warn';
}

export interface Summary {
  runs: number;
  median: number;
  /** Nearest-rank 95th percentile: with 20 runs, the 19th fastest. */
  p95: number;
  min: number;
  max: number;
  /** Every run in the order measured, milliseconds. */
  samples: number[];
}

const round = (value: number, places = 2): number => Number(value.toFixed(places));

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarise(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: samples.length,
    median: round(median(sorted)),
    p95: round(percentile(sorted, 95)),
    min: round(sorted[0] ?? Number.NaN),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    samples: samples.map((sample) => round(sample)),
  };
}

export { round };

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    /** 1, 5 and 15 minute load averages when the results were written: other work competes for the cores. */
    loadAverage: os.loadavg().map((load) => round(load)),
  };
}

/**
 * Garbage collection pauses in this process, for attributing them to requests measured one
 * at a time (everything, servers included, runs in the bench's one process).
 */
export function trackGc() {
  const events: Array<{ start: number; end: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      events.push({ start: entry.startTime, end: entry.startTime + entry.duration });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    /** Let queued GC entries arrive before reading them. */
    flush: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
    /** Milliseconds of GC pause inside [from, to] (performance.now() times). */
    between(from: number, to: number): number {
      let total = 0;
      for (const event of events) {
        total += Math.max(0, Math.min(event.end, to) - Math.max(event.start, from));
      }
      return total;
    },
    stop: () => observer.disconnect(),
  };
}

/**
 * Writes `bench/results/<name>.json`, formatted as Prettier would (the results are git-ignored,
 * but `prettier --check .` still reads the working tree).
 */
export async function writeResults(name: string, results: unknown): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(
    file,
    await prettier.format(JSON.stringify(results), { ...options, filepath: file }),
  );
  return file;
}

/** The first `leftColumns` columns left-aligned (labels), the rest right-aligned (numbers). */
export function table(
  header: string[],
  rows: Array<Array<string | number>>,
  leftColumns = 1,
): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column < leftColumns ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ');
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

/**
 * Run `main`, report a failure on stderr with a non-zero exit code, and never hang: a
 * benchmark that has not finished within `limitMs` is stopped.
 */
export function runMain(main: () => Promise<void>, limitMs = 180_000): void {
  const watchdog = setTimeout(() => {
    process.stderr.write(`benchmark did not finish within ${limitMs / 1000} s: stopped\n`);
    process.exit(2);
  }, limitMs);
  watchdog.unref();
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
      process.exit(1);
    },
  );
}
