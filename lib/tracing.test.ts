/**
 * Tracing's switches and its one shared upstream hop, against a tiny real HTTP server: off
 * unless an exporter is configured, and off means no `traceparent` leaves; on, the upstream
 * call is a CLIENT span named by its route template whose context reaches the council system.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { UpstreamClient } from '../upstream/common/http-client';
import {
  inSpan,
  pathTemplate,
  startTracing,
  startTracingWith,
  TRACER,
  tracingEnabled,
  tracingRequested,
  withTraceHeaders,
} from './tracing';

describe('pathTemplate', () => {
  const templates = [
    '/v1/schools/{urn}',
    '/v1/schools/batch',
    '/v1/students/{upn}/attendance/sessions',
  ];

  it('names a path by the template it was made from, without its query string', () => {
    expect(pathTemplate('/v1/schools/100001?page=2', templates)).toBe('/v1/schools/{urn}');
    expect(pathTemplate('/v1/students/A123456789012/attendance/sessions', templates)).toBe(
      '/v1/students/{upn}/attendance/sessions',
    );
  });

  it('prefers a literal route to a template that would also match', () => {
    expect(pathTemplate('/v1/schools/batch', templates)).toBe('/v1/schools/batch');
  });

  it('replaces every segment holding a digit when no template matches', () => {
    expect(pathTemplate('/elsewhere/1000001/notes/A12%2F3?x=1')).toBe('/elsewhere/{id}/notes/{id}');
  });
});

describe('tracingRequested', () => {
  it('is off without an OTLP endpoint', () => {
    expect(tracingRequested({})).toBe(false);
  });

  it('is on with either endpoint variable', () => {
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(
      tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }),
    ).toBe(true);
  });

  it('is off when the exporter is none or the SDK is disabled', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingRequested({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingRequested({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });

  it('refuses an exporter it does not have, rather than silently tracing nothing', () => {
    expect(() =>
      tracingRequested({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_TRACES_EXPORTER: 'zipkin',
      }),
    ).toThrow('OTEL_TRACES_EXPORTER');
  });
});

describe('an upstream call', () => {
  let server: http.Server;
  let received: Array<{ url: string; traceparent: string | undefined }>;
  let upstream: UpstreamClient;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      received.push({
        url: request.url ?? '',
        traceparent: request.headers.traceparent as string | undefined,
      });
      request.resume();
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    upstream = new UpstreamClient({
      system: 'test system',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiKey: 'test-key',
      timeoutMs: 1_000,
      deadlineMs: 5_000,
      retries: 1,
      routeTemplates: ['/v1/schools/{urn}'],
    });
  });

  beforeEach(() => {
    received = [];
  });

  afterAll(async () => {
    upstream.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('with tracing off (no endpoint configured) carries no traceparent and makes no span', async () => {
    const handle = await startTracing('test', {});
    expect(tracingEnabled()).toBe(false);
    const headers = { accept: 'application/json' };
    expect(withTraceHeaders(headers)).toBe(headers);
    await inSpan(TRACER.upstream, 'unused', { kind: SpanKind.INTERNAL }, async (span) => {
      expect(span).toBeUndefined();
      await upstream.get('/v1/schools/100001');
    });
    expect(received).toEqual([{ url: '/v1/schools/100001', traceparent: undefined }]);
    await handle.shutdown();
  });

  it('with tracing on sends the span’s traceparent and names the span by its template', async () => {
    const exporter = new InMemorySpanExporter();
    const handle = await startTracingWith(exporter, { serviceName: 'test' });
    try {
      let traceId = '';
      await inSpan(TRACER.subgraph, 'parent', { kind: SpanKind.SERVER }, async () => {
        traceId = trace.getActiveSpan()!.spanContext().traceId;
        await upstream.get('/v1/schools/100001', { page: 2 });
      });
      const [call] = exporter.getFinishedSpans().filter((span) => span.name !== 'parent');
      expect(call).toBeDefined();
      expect(call!.name).toBe('GET /v1/schools/{urn}');
      expect(call!.kind).toBe(SpanKind.CLIENT);
      expect(call!.attributes['http.response.status_code']).toBe(200);
      expect(JSON.stringify(call!.attributes)).not.toContain('100001');
      expect(received).toHaveLength(1);
      expect(received[0]!.traceparent).toBe(`00-${traceId}-${call!.spanContext().spanId}-01`);
    } finally {
      await handle.shutdown();
    }
    expect(tracingEnabled()).toBe(false);
  });
});
