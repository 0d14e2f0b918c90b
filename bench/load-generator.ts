/**
 * A small closed-loop HTTP load generator, run in its own process so its work is not counted
 * against the gateway it measures (`bench/gateway-workers.ts` starts it). Reads its job as JSON
 * from argv[2]: `concurrency` clients, each sending the next request as soon as its last was
 * answered, for `warmUpMs` (not counted) then `durationMs`. Request i asks for
 * `variables[i % variables.length]`, so concurrent requests are about different children.
 * Writes one JSON line to stdout: requests counted, errors, elapsed time and every latency.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadJob {
  url: string;
  token: string;
  query: string;
  variables: Array<Record<string, unknown>>;
  concurrency: number;
  warmUpMs: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** The first error's status and (masked) code, for the report. */
  firstError: string | null;
  elapsedMs: number;
  latenciesMs: number[];
}

function post(
  agent: http.Agent,
  job: LoadJob,
  body: string,
): Promise<{ ok: boolean; why: string }> {
  return new Promise((resolve) => {
    const request = http.request(
      job.url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${job.token}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let errors: Array<{ extensions?: { code?: string } }> = [];
          try {
            errors = (JSON.parse(text) as { errors?: typeof errors }).errors ?? [];
          } catch {
            errors = [{}];
          }
          const ok = response.statusCode === 200 && errors.length === 0;
          resolve({
            ok,
            why: ok ? '' : `${response.statusCode} ${errors[0]?.extensions?.code ?? ''}`.trim(),
          });
        });
      },
    );
    request.on('error', (error) => resolve({ ok: false, why: error.message }));
    request.end(body);
  });
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  let next = 0;
  let counting = false;
  let stopped = false;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const client = async () => {
    while (!stopped) {
      const variables = job.variables[next++ % job.variables.length];
      const body = JSON.stringify({ query: job.query, variables });
      const started = performance.now();
      const wasCounting = counting;
      const { ok, why } = await post(agent, job, body);
      // Only requests sent and answered inside the measured window count.
      if (!wasCounting || stopped) continue;
      latencies.push(performance.now() - started);
      if (!ok) {
        errors += 1;
        firstError ??= why;
      }
    }
  };
  const clients = Array.from({ length: job.concurrency }, client);
  await new Promise((resolve) => setTimeout(resolve, job.warmUpMs));
  counting = true;
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, job.durationMs));
  stopped = true;
  const elapsedMs = performance.now() - t0;
  await Promise.all(clients);
  agent.destroy();
  return { requests: latencies.length, errors, firstError, elapsedMs, latenciesMs: latencies };
}

if (require.main === module) {
  const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
  runLoad(job).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
