/**
 * Which request a piece of work belongs to, without passing it through every call: one
 * AsyncLocalStorage context per incoming HTTP request (gateway and subgraphs), read by the
 * logger (every line carries the request id and the trace id) and by the gateway's subgraph
 * calls (the request id is forwarded, so one id follows a request through every process).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';

export interface RequestContext {
  requestId: string;
  /** From the caller's W3C `traceparent`, when it sent one. */
  traceId?: string;
}

export const REQUEST_ID_HEADER = 'x-request-id';

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * A request id a caller may give us: short, and only characters that cannot carry a line
 * break, markup or much of anything else into a log.
 */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;
/** version-traceid-parentid-flags; an all-zero trace id is invalid (W3C Trace Context). */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && WELL_FORMED_REQUEST_ID.test(given) ? given : randomUUID();
}

export function traceIdFrom(header: string | string[] | undefined): string | undefined {
  const given = Array.isArray(header) ? header[0] : header;
  const traceId = given === undefined ? undefined : TRACEPARENT.exec(given.trim())?.[1];
  return traceId === undefined || /^0+$/.test(traceId) ? undefined : traceId;
}

/**
 * Runs the rest of the request inside its context, and answers with its request id. The public
 * gateway does not take a caller's id (`trustIncomingId: false`): the id is the access log's
 * request id, and a caller must not be able to choose it or reuse another request's; a
 * subgraph takes the gateway's, so one id follows a request through every process.
 */
export function requestContext(
  { trustIncomingId }: { trustIncomingId: boolean } = { trustIncomingId: true },
): RequestHandler {
  return (req, res, next) => {
    const context: RequestContext = {
      requestId: trustIncomingId ? requestIdFrom(req.headers[REQUEST_ID_HEADER]) : randomUUID(),
      traceId: traceIdFrom(req.headers.traceparent),
    };
    res.setHeader('X-Request-Id', context.requestId);
    storage.run(context, next);
  };
}

/** Runs `work` inside a request context (tests, and work not started by an HTTP request). */
export function withRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The active OpenTelemetry span's trace id when tracing is on; else the caller's `traceparent`. */
export function currentTraceId(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span)) return span.traceId;
  return storage.getStore()?.traceId;
}
