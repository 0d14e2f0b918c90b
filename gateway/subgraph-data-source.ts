/**
 * How the gateway calls a subgraph: Node's fetch (keep-alive by default) with a deadline on
 * every call, since Apollo Gateway sets none and a subgraph that accepts a connection and
 * never answers would hang the request forever; the caller's identity in a token the gateway
 * signs for that subgraph alone; and a failed call turned into one safe error that names no
 * URL and quotes no body.
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { InternalIdentity, InternalTokenSigner } from '../identity/internal-token';
import { AUDIT_EXTENSION, auditEntriesFrom, type AuditEntry } from '../lib/audit/audit-trail';
import { ErrorCode, PublicError } from '../lib/errors';
import { logger } from '../lib/logger';

export interface GatewayContext {
  identity: InternalIdentity;
  /** One signed token per subgraph per request. */
  subgraphTokens: Map<string, Promise<string>>;
  /** What the subgraphs said this request returned, for the access log. */
  auditEntries: AuditEntry[];
}

type ReceivedResponse = Parameters<
  NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>
>[0];

export function fetcherWithTimeout(timeoutMs: number): Fetcher {
  return async (url, init) => {
    const response = await fetch(url, {
      method: init?.method,
      headers: init?.headers,
      body: init?.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response as unknown as Awaited<ReturnType<Fetcher>>;
  };
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraphName: string,
    url: string,
    timeoutMs: number,
    private readonly signer: InternalTokenSigner,
  ) {
    super({ url, fetcher: fetcherWithTimeout(timeoutMs) });
  }

  override async willSendRequest(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<void> {
    const context = 'context' in options ? options.context : undefined;
    const identity = context?.identity;
    // No identity (e.g. a health check the gateway makes itself): send no credential at all.
    if (!context || !identity) return;
    let token = context.subgraphTokens.get(this.subgraphName);
    if (!token) {
      token = this.signer.sign(identity, this.subgraphName);
      context.subgraphTokens.set(this.subgraphName, token);
    }
    options.request.http?.headers.set('Authorization', `Bearer ${await token}`);
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
