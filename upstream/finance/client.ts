/**
 * The one client of the council's finance system (`/api/finance/v1`), for the finance
 * subgraph and the reports. Batches are cut into chunks the system accepts in one request,
 * a search is read to its last page (bounded), and every answer is checked before it is read.
 */
import { MAX_PER_PAGE, routeName } from '../common/contract';
import { expectPaged } from '../common/guards';
import { UpstreamClient, type UpstreamSettings } from '../common/http-client';
import { chunked, readAllPages } from '../common/paging';
import { SystemClient } from '../common/system-client';
import {
  FINANCE_ROUTES as ROUTES,
  type FinClient,
  type FinClientSearch,
  type FinInclude,
} from './contract';

export const FINANCE_SYSTEM = 'finance';

/** The part of `UpstreamClient` this client uses (so tests can hand it a fake). */
export type FinanceUpstream = Pick<UpstreamClient, 'get' | 'query' | 'close'>;

export class FinanceClient extends SystemClient<FinanceUpstream> {
  static fromConfig(config: UpstreamSettings): FinanceClient {
    return new FinanceClient(new UpstreamClient({ system: FINANCE_SYSTEM, ...config }));
  }

  /**
   * The clients with these references (unknown references are simply absent), with the
   * parts asked for, of one financial year when `fy` is given ("2025-26"). One request per
   * 500 references, more only if the system pages.
   */
  async clientsByRef(
    clientRefs: readonly string[],
    include: readonly FinInclude[],
    fy?: string,
  ): Promise<FinClient[]> {
    const results = await Promise.all(
      chunked([...new Set(clientRefs)], MAX_PER_PAGE).map((refs) =>
        this.searchAllPages({
          client_refs: refs,
          ...(fy === undefined ? {} : { fy }),
          include: [...include],
          per_page: MAX_PER_PAGE,
        }),
      ),
    );
    return results.flat();
  }

  /** Every page of a search: a search route never 404s when the system is healthy. */
  private async searchAllPages(search: FinClientSearch): Promise<FinClient[]> {
    const route = routeName(ROUTES.clientsSearch);
    return readAllPages(
      async (page) =>
        expectPaged<FinClient>(
          await this.upstream.query<unknown>(ROUTES.clientsSearch.path, { ...search, page }),
          FINANCE_SYSTEM,
          route,
        ),
      { system: FINANCE_SYSTEM, route },
    );
  }
}
