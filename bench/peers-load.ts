/**
 * The load for `bench/peers.ts`: autocannon in a process of its own, so the load's work is not
 * counted against the gateway it measures. Reads its job as JSON from argv[2].
 *
 * `connections` keep-alive connections, each sending its next request when the last is
 * answered; request i asks for `variables[i % variables.length]`, so concurrent requests are
 * about different children or pages (identical concurrent requests can be de-duplicated by a
 * gateway, which would measure nothing). First a warm-up of `warmUpRequests`; then it writes `{"phase":"warm"}` on stdout and waits for a line on stdin (the parent resets the
 * upstream counters meanwhile) before the measured run, whose result it writes as one JSON line.
 *
 * The measured run is a fixed number of requests (the warm-up's rate times `seconds`), not a
 * duration: it ends when the last is answered, so no request is left in flight and the
 * upstream requests counted over the run belong to exactly the responses counted.
 */
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

export interface PeersLoadJob {
  url: string;
  token: string;
  query: string;
  variables: Array<Record<string, unknown>>;
  connections: number;
  /** Warm-up requests: a fixed number too, so none is still in flight when it ends. */
  warmUpRequests: number;
  seconds: number;
}

export interface PeersLoadResult {
  /** Responses received in the measured run. */
  responses: number;
  /** Requests sent in the measured run (the last few may still be unanswered at the end). */
  sent: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  /** 200 responses whose body has `errors` or no `data` (a GraphQL error is no success). */
  graphqlErrors: number;
  firstError: string | null;
  /** Mean response body size. */
  meanBytes: number;
}

/** The part of autocannon's API used here (the package ships no types). */
interface Histogram {
  average: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
  sent?: number;
  total: number;
}
interface AutocannonResult {
  requests: Histogram & { sent: number };
  latency: Histogram;
  throughput: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
interface AutocannonRequest {
  method: string;
  path?: string;
  headers: Record<string, string>;
  body?: string;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  method: string;
  headers: Record<string, string>;
  requests: Array<{
    setupRequest: (request: AutocannonRequest) => AutocannonRequest;
    onResponse: (status: number, body: string) => void;
  }>;
}
type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;

const autocannon = createRequire(__filename)('autocannon') as Autocannon;

async function run(job: PeersLoadJob, length: { duration: number } | { amount: number }) {
  let next = 0;
  let graphqlErrors = 0;
  let firstError: string | null = null;
  let bytes = 0;
  let bodies = 0;
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    ...length,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` },
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({
            query: job.query,
            variables: job.variables[next++ % job.variables.length],
          }),
        }),
        onResponse: (status, body) => {
          bytes += Buffer.byteLength(body);
          bodies += 1;
          let ok = false;
          let why = `${status}`;
          try {
            const parsed = JSON.parse(body) as {
              data?: unknown;
              errors?: Array<{ extensions?: { code?: string } }>;
            };
            ok = status === 200 && !parsed.errors?.length && parsed.data != null;
            why = `${status} ${parsed.errors?.[0]?.extensions?.code ?? ''}`.trim();
          } catch {
            why = `${status} non-JSON body`;
          }
          if (!ok) {
            graphqlErrors += 1;
            firstError ??= why;
          }
        },
      },
    ],
  });
  return { result, graphqlErrors, firstError, meanBytes: bodies ? bytes / bodies : 0 };
}

const round = (value: number, places = 1): number => Number(value.toFixed(places));

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as PeersLoadJob;
  const warmUp = await run(job, { amount: job.warmUpRequests });
  const rate = warmUp.result.requests.total / warmUp.result.duration;
  const amount = Math.max(job.connections * 4, Math.round(rate * job.seconds));
  process.stdout.write(`${JSON.stringify({ phase: 'warm' })}\n`);
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
  const { result, graphqlErrors, firstError, meanBytes } = await run(job, { amount });
  const responses = result.requests.total;
  const measured: PeersLoadResult = {
    responses,
    sent: result.requests.sent,
    durationSeconds: result.duration,
    requestsPerSecond: round(responses / result.duration),
    latencyMs: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      mean: round(result.latency.mean ?? result.latency.average, 2),
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    graphqlErrors,
    firstError,
    meanBytes: Math.round(meanBytes),
  };
  process.stdout.write(`${JSON.stringify({ phase: 'done', result: measured })}\n`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
