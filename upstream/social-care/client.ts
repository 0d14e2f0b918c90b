/**
 * The one client of the children's social care case system (`/api/v1`): every route CLA
 * Graph calls, for the social care subgraph, the scope look-ups every subgraph makes and the
 * reports. Look-ups by id or UPN are cut into chunks the system accepts in one request (500),
 * sent side by side; every answer is checked before it is read.
 */
import { MAX_PER_PAGE, routeName, type Paged } from '../common/contract';
import { expectBatch, expectPaged } from '../common/guards';
import { UpstreamClient, type UpstreamSettings } from '../common/http-client';
import { chunked, readAllPages } from '../common/paging';
import { SystemClient } from '../common/system-client';
import {
  SOCIAL_CARE_ROUTES as ROUTES,
  type ScChildRecord,
  type ScChildSearch,
  type ScInclude,
  type ScWorker,
  type ScWorkerBatch,
} from './contract';

export const SOCIAL_CARE_SYSTEM = 'social care';

/** Every part of a child record: one request answers every field the schema has. */
export const ALL_PARTS: readonly ScInclude[] = ['episodes', 'placements', 'peps', 'worker'];

/** The part of `UpstreamClient` this client uses (tests may hand it a stand-in). */
export type SocialCareUpstream = Pick<UpstreamClient, 'get' | 'query' | 'close'>;

export class SocialCareClient extends SystemClient<SocialCareUpstream> {
  static fromConfig(config: UpstreamSettings): SocialCareClient {
    return new SocialCareClient(
      new UpstreamClient({
        system: SOCIAL_CARE_SYSTEM,
        ...config,
        routeTemplates: Object.values(ROUTES).map((route) => route.path),
      }),
    );
  }

  /** One page of a search, as the system answers it. */
  async searchChildren(search: ScChildSearch): Promise<Paged<ScChildRecord>> {
    const payload = await this.upstream.query<unknown>(ROUTES.childrenSearch.path, search);
    return expectPaged<ScChildRecord>(
      payload,
      SOCIAL_CARE_SYSTEM,
      routeName(ROUTES.childrenSearch),
    );
  }

  /** Every page of a search, 500 a page (bounded: a search that never ends fails). */
  async searchAllChildren(search: ScChildSearch): Promise<ScChildRecord[]> {
    return readAllPages(
      (page) => this.searchChildren({ ...search, page, per_page: MAX_PER_PAGE }),
      { system: SOCIAL_CARE_SYSTEM, route: routeName(ROUTES.childrenSearch) },
    );
  }

  /**
   * The children with these ids, or these UPNs (absent when unknown), with the parts asked for
   * (every part by default), whatever their status: restricted and ceased records too (who may
   * see them is decided above this). One request per 500 keys.
   */
  async childrenByKey(
    key: 'ids' | 'upns',
    values: readonly string[],
    include: readonly ScInclude[] = ALL_PARTS,
  ): Promise<ScChildRecord[]> {
    const pages = await Promise.all(
      chunked([...new Set(values)], MAX_PER_PAGE).map((part) =>
        this.searchChildren({
          [key]: part,
          include: [...include],
          include_restricted: true,
          current_only: false,
          page: 1,
          per_page: MAX_PER_PAGE,
        }),
      ),
    );
    return pages.flatMap((page) => page.data);
  }

  /** Staff of the case system by id (absent when unknown). One request per 500 ids. */
  async workersByIds(ids: readonly string[]): Promise<ScWorker[]> {
    const batches = await Promise.all(
      chunked([...new Set(ids)], MAX_PER_PAGE).map(async (part) => {
        const body: ScWorkerBatch = { ids: part };
        const payload = await this.upstream.query<unknown>(ROUTES.workersBatch.path, body);
        return expectBatch<ScWorker>(payload, SOCIAL_CARE_SYSTEM, routeName(ROUTES.workersBatch))
          .data;
      }),
    );
    return batches.flat();
  }
}
