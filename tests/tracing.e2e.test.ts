/**
 * Tracing end to end: one child profile read through the real gateway, subgraphs and
 * simulated council systems, with spans exported in-process. The gateway's request, its
 * subgraph calls, the subgraphs' requests and their calls to the council systems form one
 * trace (W3C traceparent over real HTTP at each hop), and no span names the child.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracingWith, TRACER, type TracingHandle } from '../lib/tracing';
import type { RunningSystem } from '../system/start-system';
import { EDUCATION_ROUTES } from '../upstream/education/contract';
import { FINANCE_ROUTES } from '../upstream/finance/contract';
import { SOCIAL_CARE_ROUTES } from '../upstream/social-care/contract';
import { clientFor, startTestSystem } from './support/system';

const PROFILE = readFileSync(
  path.join(__dirname, '..', 'examples', 'child-profile.graphql'),
  'utf8',
);
const CHILD_ID = '1000001';
const KNOWN_TEMPLATES = [EDUCATION_ROUTES, FINANCE_ROUTES, SOCIAL_CARE_ROUTES].flatMap((routes) =>
  Object.values(routes).map((route) => route.path),
);

let exporter: InMemorySpanExporter;
let tracing: TracingHandle;
let system: RunningSystem;

beforeAll(async () => {
  exporter = new InMemorySpanExporter();
  tracing = await startTracingWith(exporter, { serviceName: 'cla-graph-test' });
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
  await tracing?.shutdown();
});

const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const scopeOf = (span: ReadableSpan) => span.instrumentationScope.name;

/** The gateway's span ends when its response has gone: wait for it to be exported. */
async function gatewayRequestSpan(): Promise<ReadableSpan> {
  for (let turn = 0; turn < 1_000; turn += 1) {
    const found = exporter
      .getFinishedSpans()
      .find((span) => scopeOf(span) === TRACER.gateway && span.kind === SpanKind.SERVER);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the gateway request span was never exported');
}

describe('a child profile read, traced', () => {
  let spans: ReadableSpan[];
  let root: ReadableSpan;

  beforeAll(async () => {
    exporter.reset();
    const asVsh = await clientFor(system, 'vsh');
    const result = await asVsh(PROFILE, { id: CHILD_ID });
    expect(result.errors).toBeUndefined();
    root = await gatewayRequestSpan();
    spans = exporter.getFinishedSpans();
  });

  it('names the gateway span after the operation, with no parent (a new trace)', () => {
    expect(root.name).toBe('query ChildProfile');
    expect(root.attributes['graphql.operation.name']).toBe('ChildProfile');
    expect(root.attributes['http.response.status_code']).toBe(200);
    expect(root.parentSpanContext).toBeUndefined();
  });

  it('puts the gateway, every subgraph hop and the upstream calls in one trace', () => {
    const traceIds = new Set(spans.map((span) => span.spanContext().traceId));
    expect([...traceIds]).toEqual([root.spanContext().traceId]);

    const subgraphCalls = spans.filter(
      (span) => scopeOf(span) === TRACER.gateway && span.kind === SpanKind.CLIENT,
    );
    const subgraphRequests = spans.filter(
      (span) => scopeOf(span) === TRACER.subgraph && span.kind === SpanKind.SERVER,
    );
    const upstreamCalls = spans.filter((span) => scopeOf(span) === TRACER.upstream);
    expect(subgraphCalls.map((span) => span.name)).toEqual(
      expect.arrayContaining(['subgraph social-care', 'subgraph education', 'subgraph finance']),
    );
    expect(subgraphRequests.length).toBeGreaterThanOrEqual(3);
    expect(upstreamCalls.length).toBeGreaterThan(0);

    // Parent links across each HTTP hop: gateway request -> subgraph call -> subgraph
    // request -> upstream call.
    // (Apollo Gateway's own spans, gateway.request/execute/fetch, sit between our two.)
    const byId = new Map(spans.map((span) => [idOf(span), span]));
    const ancestors = (span: ReadableSpan): string[] => {
      const parent = byId.get(parentOf(span) ?? '');
      return parent ? [idOf(parent), ...ancestors(parent)] : [];
    };
    for (const call of subgraphCalls) expect(ancestors(call)).toContain(idOf(root));
    const callIds = new Set(subgraphCalls.map(idOf));
    for (const request of subgraphRequests) expect(callIds.has(parentOf(request)!)).toBe(true);
    const requestIds = new Set(subgraphRequests.map(idOf));
    for (const call of upstreamCalls) expect(requestIds.has(parentOf(call)!)).toBe(true);

    const systems = new Set(
      upstreamCalls.map((span) => span.attributes['cla_graph.upstream.system']),
    );
    expect(systems.size).toBe(3);
  });

  it('names upstream calls by route template, never by the ids in their paths', () => {
    const upstreamCalls = spans.filter((span) => scopeOf(span) === TRACER.upstream);
    for (const call of upstreamCalls) {
      expect(call.name).toBe(
        `${call.attributes['http.request.method']} ${call.attributes['url.template']}`,
      );
      expect(KNOWN_TEMPLATES).toContain(call.attributes['url.template']);
    }
  });

  it('carries nothing that identifies the child in any span name or attribute', () => {
    const child = system.world.socialCare.children.find(
      (candidate) => candidate.CHILD === CHILD_ID,
    );
    if (!child) throw new Error(`the seeded world has no child ${CHILD_ID}`);
    const identifying = [
      child.CHILD,
      child.UPN,
      child.FORENAME,
      child.SURNAME,
      child.PREFERRED_NAME,
      child.DOB,
    ].filter((value): value is string => Boolean(value));
    const texts = spans.flatMap((span) => [
      span.name,
      ...Object.values(span.attributes).map((value) => String(value)),
    ]);
    for (const text of texts) {
      for (const value of identifying) expect(text).not.toContain(value);
    }
  });
});

describe('an export whose path names a child, traced', () => {
  it('routes the request by its prefix, and no span holds the id in its path', async () => {
    exporter.reset();
    const token = await system.tokenFor('auditor');
    const base = system.urls.gateway.replace(/\/graphql$/, '');
    const response = await fetch(`${base}/audit/children/${CHILD_ID}/access-log.csv`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    await response.text();
    const root = await gatewayRequestSpan();
    expect(root.attributes['http.route']).toBe('/audit');
    // Named, like a GraphQL request, after the operation the export runs.
    expect(root.name).toMatch(/^query \w+$/);
    const spans = exporter.getFinishedSpans();
    expect(spans.some((span) => scopeOf(span) === TRACER.subgraph)).toBe(true);
    for (const span of spans) {
      expect(span.spanContext().traceId).toBe(root.spanContext().traceId);
      expect(span.name).not.toContain(CHILD_ID);
      for (const value of Object.values(span.attributes))
        expect(String(value)).not.toContain(CHILD_ID);
    }
  });
});
