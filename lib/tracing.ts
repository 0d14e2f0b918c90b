/**
 * OpenTelemetry tracing across the gateway, the subgraphs and the calls to the council systems,
 * instrumented by hand where it matters (no auto-instrumentation: it would trace every
 * library and record URLs with ids in them). W3C `traceparent` carries the trace from the
 * gateway to each subgraph and from each subgraph to the council systems.
 *
 * Off unless an exporter is configured (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, and `OTEL_TRACES_EXPORTER` not `none`). Off, every
 * helper here is one check of a flag: no span, no context, no header. The SDK is loaded only
 * when tracing starts.
 *
 * Span names and attributes never carry personal data: operation names and subgraph names,
 * route templates (`/v1/schools/{urn}`, never the URN), methods, status codes, host and port.
 * No query string, no variables, no caller.
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { RequestHandler, Response } from 'express';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export const TRACER = {
  gateway: 'cla-graph/gateway',
  subgraph: 'cla-graph/subgraph',
  upstream: 'cla-graph/upstream',
} as const;

let enabled = false;

/** The one check every instrumented path makes. */
export function tracingEnabled(): boolean {
  return enabled;
}

export interface TracingHandle {
  /** Flushes what is buffered and turns tracing off. */
  shutdown(): Promise<void>;
}

const OFF: TracingHandle = { shutdown: async () => {} };

/**
 * Whether the environment asks for traces: an OTLP endpoint, and no exporter setting that
 * says otherwise (`OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` turn it off).
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() || 'otlp';
  if (exporter === 'none') return false;
  if (exporter !== 'otlp') {
    throw new Error('OTEL_TRACES_EXPORTER: only "otlp" and "none" are supported');
  }
  return Boolean(
    env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim(),
  );
}

/**
 * Starts tracing for this process if the environment asks for it (each process's main calls
 * this first). `OTEL_SERVICE_NAME` overrides the service's own name. The OTLP exporter reads
 * its endpoint, headers and timeout from the standard variables; the SDK its sampler
 * (`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`; default: parent-based, always on).
 */
export async function startTracing(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TracingHandle> {
  if (!tracingRequested(env)) return OFF;
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim().replace(/\/+$/, '');
  const exporter = new OTLPTraceExporter({ url: tracesEndpoint || `${endpoint}/v1/traces` });
  return startTracingWith(exporter, {
    serviceName: env.OTEL_SERVICE_NAME?.trim() || serviceName,
    batch: true,
  });
}

/** Tracing into a given exporter (tests: an `InMemorySpanExporter`, exported span by span). */
export async function startTracingWith(
  exporter: SpanExporter,
  options: { serviceName: string; batch?: boolean },
): Promise<TracingHandle> {
  const { NodeTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } =
    await import('@opentelemetry/sdk-trace-node');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { W3CTraceContextPropagator } = await import('@opentelemetry/core');
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [
      options.batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter),
    ],
  });
  // Trace context only: no baggage, so nothing a caller sets travels further.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  enabled = true;
  return {
    async shutdown() {
      enabled = false;
      // Spans that cannot be delivered now are lost: a collector that is down must not turn
      // a clean stop into a failed one.
      await provider.shutdown().catch(() => undefined);
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * Runs `work` in a new span, the current one its parent, and ends it when the work settles
 * (marking a failure with its error's class name, never its message). Off: just runs `work`.
 */
export async function inSpan<T>(
  tracerName: string,
  name: string,
  options: { kind: SpanKind; attributes?: Attributes },
  work: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!enabled) return work(undefined);
  return trace.getTracer(tracerName).startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

function markFailed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute('error.type', error instanceof Error ? error.constructor.name : 'unknown');
}

/** `headers` plus the current span's `traceparent` (the same object when tracing is off). */
export function withTraceHeaders<H extends Record<string, string>>(headers: H): H {
  if (!enabled) return headers;
  const carrier: Record<string, string> = { ...headers };
  propagation.inject(context.active(), carrier);
  return carrier as H;
}

/** Where the incoming span waits between the middleware that starts it and Apollo. */
const SPAN_LOCAL = 'claGraphServerSpan';

function spanOf(res: Response): Span | undefined {
  return res.locals[SPAN_LOCAL] as Span | undefined;
}

/**
 * Incoming requests as SERVER spans, in two halves around body parsing (a body is read in
 * stream callbacks, which lose the async context): `start` opens the span and ends it when the
 * response is done; `resume` re-enters it right before Apollo runs, so everything the request
 * does is its child. `trustIncoming`: continue the caller's `traceparent` (subgraphs, whose
 * only caller is the gateway) or always start a new trace (the public gateway: a caller must
 * not choose trace ids or force sampling).
 */
export function serverSpans(
  tracerName: string,
  route: string,
  options: { trustIncoming: boolean; attributes?: Attributes },
): { start: RequestHandler; resume: RequestHandler } {
  const start: RequestHandler = (req, res, next) => {
    if (!enabled) return next();
    const parent = options.trustIncoming
      ? propagation.extract(ROOT_CONTEXT, req.headers)
      : ROOT_CONTEXT;
    const span = trace.getTracer(tracerName).startSpan(
      `${req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          ...options.attributes,
          'http.request.method': req.method,
          'http.route': route,
        },
      },
      parent,
    );
    res.locals[SPAN_LOCAL] = span;
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
  const resume: RequestHandler = (_req, res, next) => {
    const span = enabled ? spanOf(res) : undefined;
    if (!span) return next();
    context.with(trace.setSpan(context.active(), span), next);
  };
  return { start, resume };
}

/**
 * Names the incoming span after the GraphQL operation (`query ChildProfile`) once it is
 * known: the operation's name and type only, never its variables or document.
 */
export function graphqlOperationSpanPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      if (!enabled) return;
      return {
        async didResolveOperation({ operationName, operation }) {
          const span = trace.getActiveSpan();
          if (!span || !operation) return;
          const type = operation.operation;
          span.setAttribute('graphql.operation.type', type);
          if (operationName) span.setAttribute('graphql.operation.name', operationName);
          span.updateName(operationName ? `${type} ${operationName}` : type);
        },
      };
    },
  };
}

/**
 * The route template a path was made from (`/v1/schools/{urn}` for `/v1/schools/100001?x=1`):
 * the first template that matches, else the path with every segment that holds a digit
 * replaced by `{id}`. Never the query string.
 */
export function pathTemplate(path: string, templates: readonly string[] = []): string {
  const bare = path.split(/[?#]/, 1)[0] ?? '';
  // A literal route first: `/v1/schools/batch` is not `/v1/schools/{urn}`.
  if (templates.includes(bare)) return bare;
  for (const template of templates) {
    if (templateMatcher(template).test(bare)) return template;
  }
  return bare
    .split('/')
    .map((segment) => (/[0-9%]/.test(segment) ? '{id}' : segment))
    .join('/');
}

const matchers = new Map<string, RegExp>();

function templateMatcher(template: string): RegExp {
  let matcher = matchers.get(template);
  if (!matcher) {
    const pattern = template
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
      .join('');
    matcher = new RegExp(`^${pattern}$`);
    matchers.set(template, matcher);
  }
  return matcher;
}
