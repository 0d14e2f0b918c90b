/**
 * How the gateway calls a subgraph: Node's fetch (keep-alive by default) with a deadline on
 * every call, since Apollo Gateway sets none and a subgraph that accepts a connection and
 * never answers would hang the request forever; the caller's identity in a token the gateway
 * signs for that subgraph and that one call alone (bound to the exact body sent, used once);
 * and a failed call turned into one safe error that names no URL and quotes no body.
 */
import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { InternalIdentity, InternalTokenSigner } from '../identity/internal-token';
import { AUDIT_EXTENSION, auditEntriesFrom, type AuditEntry } from '../lib/audit/audit-trail';
import { ErrorCode, PublicError } from '../lib/errors';
import { logger } from '../lib/logger';
import {
  secondsSince,
  subgraphFetchDuration,
  subgraphFetchErrors,
} from '../lib/observability/metrics';
import { currentRequestContext, REQUEST_ID_HEADER } from '../lib/observability/request-context';
import { inSpan, TRACER, tracingEnabled, withTraceHeaders } from '../lib/tracing';
import { SpanKind } from '@opentelemetry/api';

export interface GatewayContext {
  identity: InternalIdentity;
  /** What the subgraphs said this request returned, for the access log. */
  auditEntries: AuditEntry[];
}

type ReceivedResponse = Parameters<
  NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>
>[0];

type FetcherInit = NonNullable<Parameters<Fetcher>[1]>;

/** Last changes to a call before it leaves, given the exact body that will be sent. */
export type PrepareCall = (init: FetcherInit) => Promise<FetcherInit>;

/**
 * `subgraph` names the calls in the metrics; the request id of the request being answered goes
 * with every call, so the subgraph's log lines carry it too.
 */
export function fetcherWithTimeout(
  timeoutMs: number,
  prepare?: PrepareCall,
  subgraph = 'unnamed',
): Fetcher {
  return async (url, given) => {
    const init = prepare && given ? await prepare(given) : given;
    const requestId = currentRequestContext()?.requestId;
    const startedAt = performance.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method: init?.method,
        headers: requestId ? { ...init?.headers, [REQUEST_ID_HEADER]: requestId } : init?.headers,
        // A Buffer body as plain bytes: the same on the wire, and a BodyInit under every lib.
        body: Buffer.isBuffer(init?.body) ? new Uint8Array(init.body) : init?.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      subgraphFetchDuration.observe({ subgraph }, secondsSince(startedAt));
      const kind = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network';
      subgraphFetchErrors.inc({ subgraph, kind });
      throw error;
    }
    subgraphFetchDuration.observe({ subgraph }, secondsSince(startedAt));
    if (!response.ok) subgraphFetchErrors.inc({ subgraph, kind: `status_${response.status}` });
    return response as unknown as Awaited<ReturnType<Fetcher>>;
  };
}

/**
 * Names the caller of one pending call, from `willSendRequest` (which knows the caller) to the
 * fetcher (which sees the exact body); never sent.
 */
const PENDING_CALL_HEADER = 'x-cla-graph-pending-call';

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /** Callers of calls on their way from `willSendRequest` to the fetcher. */
  private readonly pending = new Map<string, InternalIdentity>();

  constructor(
    private readonly subgraphName: string,
    url: string,
    timeoutMs: number,
    private readonly signer: InternalTokenSigner,
  ) {
    super();
    this.url = url;
    const fetcher = fetcherWithTimeout(
      timeoutMs,
      async (init) => {
        const signed = await this.signCall(init);
        return { ...signed, headers: withTraceHeaders(signed.headers ?? {}) };
      },
      subgraphName,
    );
    this.fetcher = (fetchUrl, init) =>
      tracingEnabled() ? this.tracedCall(fetcher, fetchUrl, init) : fetcher(fetchUrl, init);
  }

  /** One CLIENT span per call: the subgraph's name, host and port (its URL has no ids). */
  private tracedCall(fetcher: Fetcher, ...call: Parameters<Fetcher>): ReturnType<Fetcher> {
    const target = new URL(call[0]);
    return inSpan(
      TRACER.gateway,
      `subgraph ${this.subgraphName}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'cla_graph.subgraph': this.subgraphName,
          'http.request.method': call[1]?.method ?? 'POST',
          'server.address': target.hostname,
          'server.port': Number(target.port) || (target.protocol === 'https:' ? 443 : 80),
        },
      },
      async (span) => {
        const response = await fetcher(...call);
        span?.setAttribute('http.response.status_code', response.status);
        return response;
      },
    );
  }

  override async willSendRequest(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<void> {
    const context = 'context' in options ? options.context : undefined;
    const identity = context?.identity;
    const headers = options.request.http?.headers;
    headers?.delete('Authorization');
    // No identity (e.g. a health check the gateway makes itself): send no credential at all.
    // No query: Apollo Gateway refuses to send it, so the fetcher is never reached.
    if (!context || !identity || !headers || !options.request.query) return;
    // The body is serialised after this hook, so the token is signed in the fetcher.
    const handle = randomUUID();
    this.pending.set(handle, identity);
    headers.set(PENDING_CALL_HEADER, handle);
  }

  /** Signs the call's token over the exact body being sent, for this subgraph and this call. */
  private async signCall(init: FetcherInit): Promise<FetcherInit> {
    const headers: Record<string, string> = {};
    let handle: string | undefined;
    for (const [name, value] of Object.entries(init.headers ?? {})) {
      if (name.toLowerCase() === PENDING_CALL_HEADER) handle = value;
      else if (name.toLowerCase() !== 'authorization') headers[name] = value;
    }
    if (handle === undefined) return { ...init, headers };
    const identity = this.pending.get(handle);
    this.pending.delete(handle);
    if (!identity || typeof init.body !== 'string') {
      throw new Error('a subgraph call lost its caller before it was signed');
    }
    const token = await this.signer.sign(identity, this.subgraphName, init.body);
    return { ...init, headers: { ...headers, Authorization: `Bearer ${token}` } };
  }

  /** Collects the subgraph's audit trail and keeps it out of anything passed on. */
  override async didReceiveResponse({
    response,
    context,
  }: ReceivedResponse): Promise<ReceivedResponse['response']> {
    const extensions = response.extensions as Record<string, unknown> | undefined;
    if (extensions && AUDIT_EXTENSION in extensions) {
      context.auditEntries?.push(...auditEntriesFrom(extensions));
      delete extensions[AUDIT_EXTENSION];
    }
    return response;
  }

  override didEncounterError(error: Error): void {
    const status = (error as { extensions?: { response?: { status?: number } } }).extensions
      ?.response?.status;
    logger.warn('subgraph call failed', { subgraph: this.subgraphName, kind: error.name, status });
    throw new PublicError(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      'A part of CLA Graph is unavailable; try again later.',
    );
  }
}
