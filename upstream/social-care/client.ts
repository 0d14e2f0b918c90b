/**
 * The one client of the children's social care case system (`/api/v1`): every route CLA
 * Graph calls, for the social care subgraph, the scope look-ups every subgraph makes and the
 * reports. Look-ups by id or UPN are cut into chunks the system accepts in one request (500),
 * sent side by side; every answer is checked before it is read.
 */
import {
  MAX_PER_PAGE,
  pathOf,
  routeName,
  type Paged,
  type UpstreamRoute,
} from '../common/contract';
import { expectBatch, expectPaged, isList, unexpectedShape } from '../common/guards';
import { UpstreamClient, type UpstreamSettings } from '../common/http-client';
import { chunked, readAllPages } from '../common/paging';
import { SystemClient } from '../common/system-client';
import { canExport, exportRecords, type ExportingUpstream } from '../common/exports';
import {
  SOCIAL_CARE_ROUTES as ROUTES,
  type ScChange,
  type ScChangePage,
  type ScChildRecord,
  type ScChildExport,
  type ScChildSearch,
  type ScEnterCare,
  type ScEpisode,
  type ScInclude,
  type ScLeaveCare,
  type ScPep,
  type ScPepCompletePost,
  type ScPepDraftPost,
  type ScPepDraftPut,
  type ScPepPost,
  type ScPepQualityAssurance,
  type ScPepTargetReviewsPost,
  type ScPlacementMove,
  type ScWorker,
  type ScWorkerBatch,
  type ScWriteResult,
} from './contract';

export const SOCIAL_CARE_SYSTEM = 'social care';

/** Every part of a child record: one request answers every field the schema has. */
export const ALL_PARTS: readonly ScInclude[] = ['episodes', 'placements', 'peps', 'worker'];

const CHANGE_KINDS = new Set<unknown>(['placement', 'period_of_care', 'pep']);

/** `{ data: [...], meta: { latest, more } }`, each entry stamped and of a known kind. */
function isChangePage(value: unknown): value is ScChangePage {
  if (!isList(value)) return false;
  const { meta } = value as { meta?: { latest?: unknown; more?: unknown } | null };
  return (
    typeof meta?.latest === 'number' &&
    typeof meta.more === 'boolean' &&
    value.data.every(
      (entry) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as ScChange).change_id === 'number' &&
        CHANGE_KINDS.has((entry as ScChange).kind),
    )
  );
}

/** `{ data: {...}, meta: { changes: number[] } }`. */
function isWriteResult<T>(value: unknown): value is ScWriteResult<T> {
  if (typeof value !== 'object' || value === null) return false;
  const { data, meta } = value as { data?: unknown; meta?: { changes?: unknown } | null };
  return typeof data === 'object' && data !== null && Array.isArray(meta?.changes);
}

/** The part of `UpstreamClient` this client uses (tests may hand it a stand-in). */
export type SocialCareUpstream = Pick<UpstreamClient, 'get' | 'query' | 'write' | 'close'> &
  ExportingUpstream;

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

  /** Whether `exportChildren` can be used (a stand-in transport cannot stream). */
  get canExport(): boolean {
    return canExport(this.upstream);
  }

  /**
   * Every child the search's filters select (`ScChildExport`), in one request: records one at
   * a time as they arrive, ordered by CHILD.
   */
  exportChildren(search: ScChildExport): AsyncGenerator<ScChildRecord, void, undefined> {
    return exportRecords<ScChildRecord>(
      this.upstream,
      {
        system: SOCIAL_CARE_SYSTEM,
        route: routeName(ROUTES.childrenExport),
        ...ROUTES.childrenExport,
      },
      search,
      'CHILD',
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

  /**
   * One page of the change feed: the changes with change_id after `updatedAfter` (0: from the
   * start), at most `limit` (1..500, default 100), in change_id order. A read: retried.
   */
  async changes(updatedAfter: number, limit?: number): Promise<ScChangePage> {
    const payload = await this.upstream.get<unknown>(ROUTES.changes.path, {
      updated_after: updatedAfter,
      limit,
    });
    if (!isChangePage(payload)) {
      throw unexpectedShape(SOCIAL_CARE_SYSTEM, routeName(ROUTES.changes));
    }
    return payload;
  }

  /** Moves a looked-after child to a new placement. Null for an unknown child. */
  async movePlacement(
    childId: string,
    move: ScPlacementMove,
  ): Promise<ScWriteResult<ScEpisode> | null> {
    return this.post(ROUTES.movePlacement, childId, move);
  }

  /** Ends a child's period of care. Null for an unknown child. */
  async leaveCare(childId: string, leaving: ScLeaveCare): Promise<ScWriteResult<ScEpisode> | null> {
    return this.post(ROUTES.leaveCare, childId, leaving);
  }

  /** Begins a new period of care for a child not looked after now. Null for an unknown child. */
  async enterCare(childId: string, entry: ScEnterCare): Promise<ScWriteResult<ScEpisode> | null> {
    return this.post(ROUTES.enterCare, childId, entry);
  }

  /** Records a PEP meeting, or changes the status of the one on that date. Null: unknown child. */
  async recordPep(childId: string, pep: ScPepPost): Promise<ScWriteResult<ScPep> | null> {
    return this.post(ROUTES.recordPep, childId, pep);
  }

  /**
   * The PEP workflow's writes (none retried). Each answers the PEP as it now stands and the
   * change_ids it logged (none: it changed nothing, e.g. the same request again); null when
   * the child or PEP is unknown. A refusal (400 naming the fields, 409 with the conflict's
   * code) throws `UpstreamRejectedError`.
   */
  async createPepDraft(
    childId: string,
    body: ScPepDraftPost,
  ): Promise<ScWriteResult<ScPep> | null> {
    return this.post(ROUTES.createPepDraft, { id: childId }, body);
  }

  async updatePepDraft(pepId: string, body: ScPepDraftPut): Promise<ScWriteResult<ScPep> | null> {
    return this.post(ROUTES.updatePepDraft, { pepId }, body, 'PUT');
  }

  async reviewPepTargets(
    pepId: string,
    body: ScPepTargetReviewsPost,
  ): Promise<ScWriteResult<ScPep> | null> {
    return this.post(ROUTES.reviewPepTargets, { pepId }, body);
  }

  async completePep(pepId: string, body: ScPepCompletePost): Promise<ScWriteResult<ScPep> | null> {
    return this.post(ROUTES.completePep, { pepId }, body);
  }

  async qualityAssurePep(
    pepId: string,
    body: ScPepQualityAssurance,
  ): Promise<ScWriteResult<ScPep> | null> {
    return this.post(ROUTES.qualityAssurePep, { pepId }, body);
  }

  /** One PEP by id, or null when unknown. A read: retried. */
  async pep(pepId: string): Promise<ScPep | null> {
    const payload = await this.upstream.get<unknown>(pathOf(ROUTES.pep, { pepId }));
    if (payload === null) return null;
    const data = (payload as { data?: unknown }).data;
    if (typeof data !== 'object' || data === null || typeof (data as ScPep).PEP_ID !== 'string') {
      throw unexpectedShape(SOCIAL_CARE_SYSTEM, routeName(ROUTES.pep));
    }
    return data as ScPep;
  }

  /** A write route (never retried: it could apply twice); null on 404. */
  private async post<T>(
    route: UpstreamRoute,
    params: string | Record<string, string>,
    body: unknown,
    method: 'POST' | 'PUT' = 'POST',
  ): Promise<ScWriteResult<T> | null> {
    const values = typeof params === 'string' ? { id: params } : params;
    const payload = await this.upstream.write<unknown>(method, pathOf(route, values), body);
    if (payload === null) return null;
    if (!isWriteResult<T>(payload)) throw unexpectedShape(SOCIAL_CARE_SYSTEM, routeName(route));
    return payload;
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
