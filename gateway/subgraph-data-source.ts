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

export function fetcherWithTimeout(timeoutMs: number, prepare?: PrepareCall): Fetcher {
  return async (url, given) => {
    const init = prepare && given ? await prepare(given) : given;
    const response = await fetch(url, {
      method: init?.method,
      headers: init?.headers,
      body: init?.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
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
    this.fetcher = fetcherWithTimeout(timeoutMs, (init) => this.signCall(init));
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
