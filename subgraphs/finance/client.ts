/**
 * Typed calls to the council's finance system (`/api/finance/v1`). Batches are cut into
 * chunks the system accepts in one request, and a search is read to its last page.
 */
import { MAX_PER_PAGE, type Paged } from '../../simulators/contracts/common';
import type { FinClient, FinClientSearch, FinInclude } from '../../simulators/contracts/finance';
import { UpstreamUnavailableError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { UpstreamClient } from '../../lib/upstream/upstream-client';
import type { FinanceUpstreamConfig } from './config';

export const FINANCE_SYSTEM = 'finance';

const CLIENTS_SEARCH = '/api/finance/v1/clients/search';

/** A search that pages further than this is not behaving; stop rather than loop. */
const MAX_PAGES = 1_000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    chunks.push(items.slice(start, start + size));
  return chunks;
}

function isPagedPayload(value: unknown): value is Paged<FinClient> {
  if (typeof value !== 'object' || value === null) return false;
  const { data, meta } = value as Partial<Paged<FinClient>>;
  return Array.isArray(data) && typeof meta?.pagination?.more === 'boolean';
}

/** The part of `UpstreamClient` this client uses (so tests can hand it a fake). */
export type FinanceUpstream = Pick<UpstreamClient, 'get' | 'query' | 'close'>;

export class FinanceClient {
  constructor(private readonly upstream: FinanceUpstream) {}

  static fromConfig(config: FinanceUpstreamConfig): FinanceClient {
    return new FinanceClient(new UpstreamClient({ system: FINANCE_SYSTEM, ...config }));
  }

  /**
   * The clients with these references (unknown references are simply absent), with the
   * parts asked for. One request per 500 references, more only if the system pages.
   */
  async clientsByRef(clientRefs: readonly string[], include: FinInclude[]): Promise<FinClient[]> {
    const unique = [...new Set(clientRefs)];
    const chunks = chunk(unique, MAX_PER_PAGE);
    const results = await Promise.all(
      chunks.map((refs) =>
        this.searchAllPages({ client_refs: refs, include, per_page: MAX_PER_PAGE }),
      ),
    );
    return results.flat();
  }

  /** True when the system answers its health check. */
  async isHealthy(): Promise<boolean> {
    try {
      return (await this.upstream.get<unknown>('/health')) !== null;
    } catch {
      return false;
    }
  }

  close(): void {
    this.upstream.close();
  }

  private async searchAllPages(search: FinClientSearch): Promise<FinClient[]> {
    const clients: FinClient[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const payload = await this.upstream.query<unknown>(CLIENTS_SEARCH, { ...search, page });
      // A search route never 404s when the system is healthy, and a body of another shape is
      // as useless as none: both are the system failing, not "no data".
      if (!isPagedPayload(payload)) {
        logger.warn('upstream answered an unexpected shape', {
          system: FINANCE_SYSTEM,
          route: 'clients/search',
        });
        throw new UpstreamUnavailableError(FINANCE_SYSTEM);
      }
      clients.push(...payload.data);
      if (!payload.meta.pagination.more || payload.data.length === 0) return clients;
    }
    logger.warn('upstream search did not end', {
      system: FINANCE_SYSTEM,
      route: 'clients/search',
      pages: MAX_PAGES,
    });
    throw new UpstreamUnavailableError(FINANCE_SYSTEM);
  }
}
