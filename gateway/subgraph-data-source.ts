/**
 * How the gateway calls a subgraph: Node's fetch (keep-alive by default) with a deadline on
 * every call, since Apollo Gateway sets none and a subgraph that accepts a connection and
 * never answers would hang the request forever. A failed call becomes one safe error that
 * names no URL and quotes no body.
 */
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { ErrorCode, PublicError } from '../lib/errors';
import { logger } from '../lib/logger';

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

export class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly subgraphName: string,
    url: string,
    timeoutMs: number,
  ) {
    super({ url, fetcher: fetcherWithTimeout(timeoutMs) });
  }

  override didEncounterError(error: Error): void {
    const status = (error as { extensions?: { response?: { status?: number } } }).extensions
      ?.response?.status;
    logger.warn('subgraph call failed', {
      subgraph: this.subgraphName,
      kind: error.name,
      status,
    });
    throw new PublicError(
      ErrorCode.UPSTREAM_UNAVAILABLE,
      'A part of CLA Graph is unavailable; try again later.',
    );
  }
}
