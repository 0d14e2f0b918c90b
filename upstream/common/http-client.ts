/**
 * The HTTP base of every council system's client (after HMPPS's RestClient): keep-alive agents, a
 * response timeout per attempt and an overall deadline, retries only for idempotent reads and
 * only on a fixed list of network codes and statuses, a circuit breaker so a dead system fails
 * fast, and errors sanitised before anything can log them.
 *
 * 404 maps to null; a write the system refuses (400, 409, 422) to `UpstreamRejectedError`; every
 * other failure to one `UpstreamUnavailableError` naming the system.
 */
import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, type AxiosInstance } from 'axios';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { UpstreamUnavailableError } from '../../lib/errors';
import { SpanKind } from '@opentelemetry/api';
import { logger } from '../../lib/logger';
import { inSpan, pathTemplate, TRACER, tracingEnabled, withTraceHeaders } from '../../lib/tracing';
import { secondsSince, upstreamDuration, upstreamErrors } from '../../lib/observability/metrics';
import { trackUpstream, UpstreamHealth, type BreakerState } from './upstream-health';

export interface UpstreamClientOptions {
  /** Human name of the system, used in errors and logs: "social care". */
  system: string;
  baseUrl: string;
  /** Bearer credential CLA Graph holds for this system. */
  apiKey: string;
  /** Longest wait for one response. */
  timeoutMs: number;
  /** Longest wait for a whole call, retries included. */
  deadlineMs: number;
  /** Extra attempts for idempotent reads. */
  retries: number;
  /** Consecutive failures that open the circuit; it half-opens after `breakerResetMs`. */
  breakerThreshold?: number;
  breakerResetMs?: number;
  /**
   * The system's route templates (`/v1/schools/{urn}`), which name calls in traces instead of
   * their paths (which hold ids).
   */
  routeTemplates?: readonly string[];
}

/** Where and how to call one system: everything but its name (each client knows its own). */
export type UpstreamSettings = Omit<UpstreamClientOptions, 'system'>;

/** Network failures worth another try (the request may never have reached the system). */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
]);
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** The path every council system answers its health check on. */
const HEALTH_PATH = '/health';
const PROBE_TIMEOUT_MS = 2_000;

const BREAKER_STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

/** The statuses with which a system refuses a write it understood: the caller's to act on. */
const REJECTION_STATUSES = new Set([400, 409, 422]);

/**
 * A write the system refused (400 bad field, 409 state conflict, 422 refused by a rule such as
 * over allocation): not a failure of the system, so it neither opens the circuit nor is
 * retried. Carries only the status, the system's error code, the field names it listed (its
 * `error.fields`) and its numeric `error` details (e.g. `remaining_pence`): never its message
 * text, the URL or the body we sent.
 */
export class UpstreamRejectedError extends Error {
  constructor(
    readonly system: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly fields: readonly string[] | undefined,
    readonly details: Readonly<Record<string, number>> | undefined,
  ) {
    super(`The ${system} system refused the write (${status}${code ? ` ${code}` : ''})`);
    this.name = 'UpstreamRejectedError';
  }
}

/** The parts of a refusal's error body we keep (see `UpstreamRejectedError`). */
function rejection(system: string, status: number, body: unknown): UpstreamRejectedError {
  let error: Record<string, unknown> = {};
  try {
    const parsed: unknown = typeof body === 'string' ? JSON.parse(body) : body;
    const inner = (parsed as { error?: unknown } | null)?.error;
    if (typeof inner === 'object' && inner !== null) error = inner as Record<string, unknown>;
  } catch {
    // Not JSON: a refusal all the same, with nothing more to tell.
  }
  const code =
    typeof error.code === 'string' && /^[A-Z_]{1,64}$/.test(error.code) ? error.code : undefined;
  const fields = Array.isArray(error.fields)
    ? error.fields.filter(
        (field): field is string =>
          typeof field === 'string' && /^[A-Za-z0-9_.[\]]{1,200}$/.test(field),
      )
    : undefined;
  const details: Record<string, number> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'number' && Number.isFinite(value)) details[key] = value;
  }
  return new UpstreamRejectedError(
    system,
    status,
    code,
    fields,
    Object.keys(details).length > 0 ? details : undefined,
  );
}

/** What is safe to know about a failed call: no URL, no headers, no body. */
class UpstreamCallFailed extends Error {
  constructor(
    readonly status: number | undefined,
    readonly networkCode: string | undefined,
    readonly reason: 'status' | 'network' | 'malformed',
  ) {
    super(`upstream call failed (${reason})`);
  }
}

function sanitise(error: unknown): UpstreamCallFailed {
  if (error instanceof UpstreamCallFailed) return error;
  if (error instanceof AxiosError) {
    if (error.response) return new UpstreamCallFailed(error.response.status, undefined, 'status');
    return new UpstreamCallFailed(undefined, error.code, 'network');
  }
  return new UpstreamCallFailed(undefined, undefined, 'network');
}

function isRetryable(error: Error): boolean {
  if (!(error instanceof UpstreamCallFailed)) return false;
  if (error.reason === 'status')
    return error.status !== undefined && RETRYABLE_STATUSES.has(error.status);
  if (error.reason === 'malformed') return true;
  return error.networkCode === undefined || RETRYABLE_NETWORK_CODES.has(error.networkCode);
}

export class UpstreamClient {
  private readonly http: AxiosInstance;
  private readonly readPolicy: IPolicy;
  private readonly writePolicy: IPolicy;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  /** This client's part in readiness and the metrics (`upstream-health.ts`). */
  private readonly health: UpstreamHealth;
  private readonly untrack: () => void;

  constructor(private readonly options: UpstreamClientOptions) {
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });
    this.http = axios.create({
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      headers: { Authorization: `Bearer ${options.apiKey}`, Accept: 'application/json' },
      // Parse ourselves, so a malformed body is a clean, typed failure.
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
      validateStatus: (status) => status >= 200 && status < 300,
    });
    const breaker = circuitBreaker(
      handleWhen((error) => error instanceof UpstreamCallFailed),
      {
        halfOpenAfter: options.breakerResetMs ?? 5_000,
        breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 10),
      },
    );
    const retrying = retry(handleWhen(isRetryable), {
      maxAttempts: options.retries,
      backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 500 }),
    });
    this.health = new UpstreamHealth(options.system, () => this.probe());
    breaker.onStateChange((state) => this.health.setBreaker(BREAKER_STATES[state]));
    this.untrack = trackUpstream(this.health);
    this.readPolicy = wrap(retrying, breaker);
    this.writePolicy = breaker;
  }

  get system(): string {
    return this.options.system;
  }

  /** GET a JSON resource; null when the system answers 404. */
  async get<T>(
    path: string,
    params?: Record<string, string | number | boolean | undefined>,
  ): Promise<T | null> {
    return this.call<T>(this.readPolicy, { method: 'GET', url: path, params });
  }

  /**
   * POST that only reads (a search or batch look-up): safe to retry.
   * A 404 (unknown route or resource) comes back as null.
   */
  async query<T>(path: string, body: unknown): Promise<T | null> {
    return this.call<T>(this.readPolicy, { method: 'POST', url: path, data: body });
  }

  /**
   * A write (POST/PUT/PATCH): never retried, it could apply twice. A refusal (400, 409, 422)
   * throws `UpstreamRejectedError`.
   */
  async write<T>(method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown): Promise<T | null> {
    return this.call<T>(this.writePolicy, { method, url: path, data: body }, true);
  }

  /**
   * A bulk export (POST that only reads; the answer newline-delimited JSON), one record at a
   * time as the bytes arrive: the consumer's pace holds the socket back, so nothing but the
   * record in hand and a chunk of text is in memory. Retried like `query` until the answer
   * starts; a stream that breaks after that fails the read (UpstreamUnavailableError), since
   * records already handed on cannot be taken back. The deadline covers the whole stream.
   */
  async *streamRecords<T>(path: string, body: unknown): AsyncGenerator<T, void, undefined> {
    const deadline = AbortSignal.timeout(this.options.deadlineMs);
    const startedAt = performance.now();
    const { system } = this.options;
    const request = { method: 'POST', url: path, data: body, responseType: 'stream' as const };
    let stream: NodeJS.ReadableStream & { destroy(): void };
    try {
      stream = await this.readPolicy.execute(async ({ signal }) => {
        try {
          const response = await this.send(request, AbortSignal.any([signal, deadline]));
          return response.data as unknown as NodeJS.ReadableStream & { destroy(): void };
        } catch (error) {
          throw sanitise(error);
        }
      }, deadline);
    } catch (error) {
      throw this.failed(error, startedAt, 'POST');
    }
    // The text of a record not yet ended (a record may span many chunks: kept as parts, so a
    // long one is joined once rather than copied again with every chunk).
    let parts: string[] = [];
    let complete = false;
    try {
      stream.setEncoding('utf8');
      for await (const chunk of stream) {
        const text = chunk as string;
        let from = 0;
        for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', from)) {
          parts.push(text.slice(from, end));
          const line = parts.length === 1 ? parts[0]! : parts.join('');
          parts = [];
          from = end + 1;
          if (line.length > 0) yield parseJson<T>(line);
        }
        if (from < text.length) parts.push(text.slice(from));
      }
      // Every record ends with a newline: text after the last one is a record cut short.
      if (parts.length > 0) throw new UpstreamCallFailed(undefined, undefined, 'malformed');
      complete = true;
    } catch (error) {
      throw this.failed(error, startedAt, 'POST');
    } finally {
      // Also when the consumer stops early: let go of the socket.
      if (!complete) stream.destroy();
    }
    this.health.record(true);
    upstreamDuration.observe({ system, method: 'POST' }, secondsSince(startedAt));
  }

  /** Records a failed call (health, metrics, a log line) and returns the error to throw. */
  private failed(error: unknown, startedAt: number, method: string): UpstreamUnavailableError {
    const { system } = this.options;
    const failure = error instanceof BrokenCircuitError ? 'circuit open' : sanitise(error).reason;
    this.health.record(false);
    upstreamDuration.observe({ system, method }, secondsSince(startedAt));
    upstreamErrors.inc({ system, failure });
    logger.warn('upstream call failed', {
      system,
      method,
      failure,
      status: error instanceof UpstreamCallFailed ? error.status : undefined,
      networkCode: error instanceof UpstreamCallFailed ? error.networkCode : undefined,
    });
    return new UpstreamUnavailableError(system);
  }

  /** Close keep-alive sockets (at shutdown). */
  close(): void {
    this.untrack();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** True when the system answers its health check: one attempt, outside the breaker. */
  private async probe(): Promise<boolean> {
    try {
      await this.http.get(HEALTH_PATH, { timeout: PROBE_TIMEOUT_MS });
      return true;
    } catch {
      return false;
    }
  }

  /** One attempt (a retry is another); traced as a CLIENT span carrying `traceparent` when on. */
  private send(
    request: {
      method: string;
      url: string;
      params?: Record<string, unknown>;
      data?: unknown;
      /** 'stream' for a bulk export (`streamRecords`); the body as text otherwise. */
      responseType?: 'stream';
    },
    signal: AbortSignal,
  ) {
    const attemptOnce = () =>
      this.http.request<string>({ ...request, headers: withTraceHeaders({}), signal });
    if (!tracingEnabled()) return attemptOnce();
    const target = new URL(this.options.baseUrl);
    const template = pathTemplate(request.url, this.options.routeTemplates);
    return inSpan(
      TRACER.upstream,
      `${request.method} ${template}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'cla_graph.upstream.system': this.options.system,
          'http.request.method': request.method,
          'url.template': template,
          'server.address': target.hostname,
          'server.port': Number(target.port) || (target.protocol === 'https:' ? 443 : 80),
        },
      },
      async (span) => {
        try {
          const response = await attemptOnce();
          span?.setAttribute('http.response.status_code', response.status);
          return response;
        } catch (error) {
          const status = error instanceof AxiosError ? error.response?.status : undefined;
          if (status !== undefined) span?.setAttribute('http.response.status_code', status);
          throw error;
        }
      },
    );
  }

  private async call<T>(
    policy: IPolicy,
    request: { method: string; url: string; params?: Record<string, unknown>; data?: unknown },
    isWrite = false,
  ): Promise<T | null> {
    const deadline = AbortSignal.timeout(this.options.deadlineMs);
    const startedAt = performance.now();
    const { system } = this.options;
    try {
      const result = await policy.execute(async ({ signal }) => {
        try {
          const response = await this.send(request, AbortSignal.any([signal, deadline]));
          return parseJson<T>(response.data);
        } catch (error) {
          if (error instanceof AxiosError && error.response?.status === 404) return null;
          const response = error instanceof AxiosError ? error.response : undefined;
          if (isWrite && response && REJECTION_STATUSES.has(response.status)) {
            throw rejection(this.options.system, response.status, response.data);
          }
          throw sanitise(error);
        }
      }, deadline);
      // A health check is not a call the system serves: it says nothing of its API.
      if (request.url !== HEALTH_PATH) this.health.record(true);
      const seconds = secondsSince(startedAt);
      upstreamDuration.observe({ system, method: request.method }, seconds);
      logger.debug('upstream call', {
        system,
        method: request.method,
        durationMs: Math.round(seconds * 1000),
      });
      return result;
    } catch (error) {
      if (error instanceof UpstreamRejectedError) {
        // The system answered: it is up, and the refusal is the caller's to tell.
        this.health.record(true);
        upstreamDuration.observe({ system, method: request.method }, secondsSince(startedAt));
        logger.info('upstream refused a write', {
          system,
          method: request.method,
          status: error.status,
          code: error.code,
        });
        throw error;
      }
      const failure = error instanceof BrokenCircuitError ? 'circuit open' : sanitise(error).reason;
      if (request.url !== HEALTH_PATH) this.health.record(false);
      upstreamDuration.observe({ system, method: request.method }, secondsSince(startedAt));
      upstreamErrors.inc({ system, failure });
      logger.warn('upstream call failed', {
        system: this.options.system,
        method: request.method,
        failure,
        status: error instanceof UpstreamCallFailed ? error.status : undefined,
        networkCode: error instanceof UpstreamCallFailed ? error.networkCode : undefined,
      });
      throw new UpstreamUnavailableError(this.options.system);
    }
  }
}

function parseJson<T>(body: string): T {
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new UpstreamCallFailed(undefined, undefined, 'malformed');
  }
}
