/**
 * What tracing costs the child profile (examples/child-profile.graphql, the virtual school
 * head, child 1000001) through the whole system in one process: tracing off (the default: one
 * flag check per instrumented call) against tracing on, spans batched into an in-memory
 * exporter that drops them (the cost of making them, not of shipping them to a collector).
 *
 * One system, 10 warm-up requests, then 10 rounds alternating which mode goes first, 20
 * sequential requests per mode per round. Wall time per request, client side.
 *
 * Writes `bench/results/tracing-overhead.json`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ExportResultCode } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTracingWith } from '../lib/tracing';
import { ANY_FREE_PORTS, startSystem } from '../system/start-system';
import { graphql } from '../system/system-client';
import { machine, out, quietLogs, runMain, summarise, table, writeResults } from './support';

const PROFILE = readFileSync(
  path.join(__dirname, '..', 'examples', 'child-profile.graphql'),
  'utf8',
);
const WARM_UPS = 10;
const ROUNDS = 10;
const PER_ROUND = 20;

runMain(async () => {
  quietLogs();
  const system = await startSystem({
    seed: 1,
    children: 600,
    asOf: '2026-02-10',
    ports: ANY_FREE_PORTS,
    dataDir: 'memory://',
    // One caller makes every request: lift the per-caller rate limit.
    gatewayEnv: { RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_BURST: '1000000' },
  });
  try {
    const token = await system.tokenFor('vsh');
    const once = async (): Promise<number> => {
      const started = performance.now();
      const result = await graphql(system.urls.gateway, token, PROFILE, { id: '1000001' });
      const elapsed = performance.now() - started;
      if (result.errors) throw new Error(`the profile failed: ${result.errors[0]?.message}`);
      return elapsed;
    };
    for (let i = 0; i < WARM_UPS; i += 1) await once();

    const samples = { off: [] as number[], on: [] as number[] };
    // Counts the spans it is given and drops them (an in-memory exporter is emptied on shutdown).
    let exported = 0;
    const exporter: SpanExporter = {
      export(spans, done) {
        exported += spans.length;
        done({ code: ExportResultCode.SUCCESS });
      },
      shutdown: async () => {},
    };
    const measure = async (mode: 'off' | 'on') => {
      const tracing =
        mode === 'on'
          ? await startTracingWith(exporter, { serviceName: 'bench', batch: true })
          : undefined;
      for (let i = 0; i < PER_ROUND; i += 1) samples[mode].push(await once());
      await tracing?.shutdown();
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const mode of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const))
        await measure(mode);
    }
    const off = summarise(samples.off);
    const on = summarise(samples.on);
    out('Child profile through the gateway, ms per request (sequential):');
    out(
      table(
        ['tracing', 'median', 'p95', 'min', 'max'],
        [
          ['off', off.median, off.p95, off.min, off.max],
          ['on', on.median, on.p95, on.min, on.max],
        ],
      ),
    );
    const spansPerRequest = exported / samples.on.length;
    out(`spans per request when on: ${spansPerRequest}`);
    await writeResults('tracing-overhead', { machine: machine(), off, on, spansPerRequest });
  } finally {
    await system.close();
  }
});
