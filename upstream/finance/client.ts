/**
 * The one client of the council's finance system (`/api/finance/v1`), for the finance
 * subgraph and the reports. Batches are cut into chunks the system accepts in one request,
 * a search is read to its last page (bounded), and every answer is checked before it is read.
 */
import { MAX_PER_PAGE, pathOf, routeName } from '../common/contract';
import { expectPaged, isList, unexpectedShape } from '../common/guards';
import {
  UpstreamClient,
  UpstreamRejectedError,
  type UpstreamSettings,
} from '../common/http-client';
import { chunked, readAllPages } from '../common/paging';
import { SystemClient } from '../common/system-client';
import { canExport, exportRecords, type ExportingUpstream } from '../common/exports';
import {
  FINANCE_ROUTES as ROUTES,
  type FinClient,
  type FinClientExport,
  type FinClientExportField,
  type FinClientPage,
  type FinClientSearch,
  type FinClientSearchResult,
  type FinCommitment,
  type FinCommitmentPost,
  type FinCommitmentResult,
  type FinInclude,
  type FinPaymentPost,
  type FinPaymentResult,
  type FinLedgerLine,
  type FinSearchInclude,
  type FinTopSlices,
} from './contract';

export const FINANCE_SYSTEM = 'finance';

/** The part of `UpstreamClient` this client uses (so tests can hand it a fake). */
export type FinanceUpstream = Pick<UpstreamClient, 'get' | 'query' | 'write' | 'close'> &
  ExportingUpstream;

export class FinanceClient extends SystemClient<FinanceUpstream> {
  static fromConfig(config: UpstreamSettings): FinanceClient {
    return new FinanceClient(
      new UpstreamClient({
        system: FINANCE_SYSTEM,
        ...config,
        routeTemplates: Object.values(ROUTES).map((route) => route.path),
      }),
    );
  }

  /** Whether `exportClients` can be used (a stand-in transport cannot stream). */
  get canExport(): boolean {
    return canExport(this.upstream);
  }

  /**
   * The clients with these references (up to MAX_PER_EXPORT; unknown ones absent), with the
   * parts asked for, of one financial year when `fy` is given, in one request: records one at
   * a time as they arrive, in the order of the list. `fields`: only those fields of each
   * record (and client_ref); absent, every field.
   */
  exportClients(
    clientRefs: readonly string[],
    include: readonly FinInclude[],
    fy?: string,
    fields?: readonly FinClientExportField[],
  ): AsyncGenerator<FinClient, void, undefined> {
    const body: FinClientExport = {
      client_refs: [...clientRefs],
      ...(fy === undefined ? {} : { fy }),
      include: [...include],
      ...(fields === undefined ? {} : { fields: [...fields] }),
    };
    return exportRecords<FinClient>(
      this.upstream,
      { system: FINANCE_SYSTEM, route: routeName(ROUTES.clientsExport), ...ROUTES.clientsExport },
      body,
      'client_ref',
    );
  }

  /**
   * The clients with these references (unknown references are simply absent), with the
   * parts asked for, of one financial year when `fy` is given ("2025-26"). One request per
   * 500 references, more only if the system pages. With `fund_years`, the fund years every
   * page side-loaded as well, one per year (each checked as `topSlices` checks its answer).
   */
  async clientsByRef(
    clientRefs: readonly string[],
    include: readonly FinSearchInclude[],
    fy?: string,
  ): Promise<FinClientSearchResult> {
    const fundYears = new Map<string, FinTopSlices>();
    const results = await Promise.all(
      chunked([...new Set(clientRefs)], MAX_PER_PAGE).map((refs) =>
        this.searchAllPages(
          {
            client_refs: refs,
            ...(fy === undefined ? {} : { fy }),
            include: [...include],
            per_page: MAX_PER_PAGE,
          },
          fundYears,
        ),
      ),
    );
    return { clients: results.flat(), fundYears: [...fundYears.values()] };
  }

  /**
   * The top-slices of one financial year ("2025-26") and the total of every child's allocation
   * that year, which a child's share of them is worked out from. One request, whatever the
   * number of children. A 404, or an answer of another shape, is the system failing.
   */
  async topSlices(fy: string): Promise<FinTopSlices> {
    const payload = await this.upstream.get<unknown>(ROUTES.topSlices.path, { fy });
    if (!isTopSlices(payload, fy)) {
      throw unexpectedShape(FINANCE_SYSTEM, routeName(ROUTES.topSlices));
    }
    return payload;
  }

  /**
   * A PP+ approval committed against the child's allocation (never retried; the same
   * commitment_ref again answers the same commitment, created false). Over what remains the
   * system refuses: `UpstreamRejectedError` 422 OVER_ALLOCATION with `details.remaining_pence`.
   */
  async createCommitment(body: FinCommitmentPost): Promise<FinCommitmentResult> {
    const route = ROUTES.createCommitment;
    const payload = await this.upstream.write<unknown>('POST', route.path, body);
    const data = (payload as { data?: unknown } | null)?.data;
    if (!isCommitment(data) || !hasCreated(payload)) {
      throw unexpectedShape(FINANCE_SYSTEM, routeName(route));
    }
    return payload as FinCommitmentResult;
  }

  /**
   * A payment against an open commitment, booked as a SPEND line (never retried; the same
   * payment_ref again changes nothing). More than is unpaid: 422 OVER_PAYMENT; a commitment
   * not open: 422 NOT_OPEN; an unknown commitment: `UpstreamRejectedError` 404.
   */
  async recordPayment(commitmentId: string, body: FinPaymentPost): Promise<FinPaymentResult> {
    const route = ROUTES.recordPayment;
    const payload = await this.upstream.write<unknown>(
      'POST',
      pathOf(route, { id: commitmentId }),
      body,
    );
    if (payload === null) {
      throw new UpstreamRejectedError(FINANCE_SYSTEM, 404, 'NOT_FOUND', undefined, undefined);
    }
    const data = (payload as { data?: { commitment?: unknown; line?: unknown } }).data;
    if (!isCommitment(data?.commitment) || typeof data?.line !== 'object' || !hasCreated(payload)) {
      throw unexpectedShape(FINANCE_SYSTEM, routeName(route));
    }
    return payload as FinPaymentResult;
  }

  /** A child's commitments of a year (client_ref `CLA/<id>`), oldest first. A read: retried. */
  async commitments(clientRef: string, fy: string): Promise<FinCommitment[]> {
    const route = ROUTES.commitments;
    const payload = await this.upstream.get<unknown>(route.path, { client_ref: clientRef, fy });
    if (!isList(payload, isCommitment)) throw unexpectedShape(FINANCE_SYSTEM, routeName(route));
    return payload.data;
  }

  /**
   * Every page of a search: a search route never 404s when the system is healthy. The fund
   * years each page side-loads (asked for: they must be there, each a year's top-slices) go
   * into `fundYears`, by year.
   */
  private async searchAllPages(
    search: FinClientSearch,
    fundYears: Map<string, FinTopSlices>,
  ): Promise<FinClient[]> {
    const route = routeName(ROUTES.clientsSearch);
    const wantsFundYears = search.include?.includes('fund_years') ?? false;
    return readAllPages(
      async (page) => {
        const payload = expectPaged<FinClient>(
          await this.upstream.query<unknown>(ROUTES.clientsSearch.path, { ...search, page }),
          FINANCE_SYSTEM,
          route,
        );
        if (wantsFundYears) {
          const years = includedFundYears(payload);
          if (years === null) throw unexpectedShape(FINANCE_SYSTEM, route);
          for (const year of years) {
            if (!fundYears.has(year.meta.fy)) fundYears.set(year.meta.fy, year);
          }
        }
        return payload;
      },
      { system: FINANCE_SYSTEM, route },
    );
  }
}

const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);

function isCommitment(value: unknown): value is FinCommitment {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<Record<keyof FinCommitment, unknown>>;
  return (
    typeof c.commitment_id === 'string' &&
    typeof c.commitment_ref === 'string' &&
    typeof c.client_ref === 'string' &&
    isInteger(c.amount_pence) &&
    isInteger(c.paid_pence) &&
    (c.status === 'OPEN' || c.status === 'PAID' || c.status === 'CANCELLED')
  );
}

function hasCreated(payload: unknown): boolean {
  const meta = (payload as { meta?: { created?: unknown } } | null)?.meta;
  return typeof meta?.created === 'boolean';
}

function isTopSliceLine(value: unknown): value is FinLedgerLine {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as Partial<Record<keyof FinLedgerLine, unknown>>;
  return (
    typeof line.line_id === 'string' &&
    typeof line.fy === 'string' &&
    line.type === 'TOPSLICE' &&
    isInteger(line.amount_pence)
  );
}

/** The year's top-slices, for the year asked: sums in whole pence, every line a TOPSLICE. */
function isTopSlices(value: unknown, fy: string): value is FinTopSlices {
  if (!isList(value, isTopSliceLine)) return false;
  const meta = (value as { meta?: unknown }).meta;
  if (typeof meta !== 'object' || meta === null) return false;
  const { fy: year, allocated_pence, top_sliced_pence } = meta as Record<string, unknown>;
  return (
    year === fy &&
    isInteger(allocated_pence) &&
    isInteger(top_sliced_pence) &&
    value.data.every((line) => line.fy === fy)
  );
}

/**
 * A search page's `included.fund_years` when every one is a year's top-slices (its lines of its
 * own year, as `topSlices` checks) and no year comes twice; null for anything else.
 */
function includedFundYears(page: FinClientPage): FinTopSlices[] | null {
  // Typed as the contract says, read as what the wire may hold.
  const included: unknown = page.included;
  if (typeof included !== 'object' || included === null) return null;
  const years = (included as { fund_years?: unknown }).fund_years;
  if (!Array.isArray(years)) return null;
  const seen = new Set<string>();
  for (const year of years as unknown[]) {
    const fy = (year as { meta?: { fy?: unknown } } | null)?.meta?.fy;
    if (typeof fy !== 'string' || seen.has(fy) || !isTopSlices(year, fy)) return null;
    seen.add(fy);
  }
  return years as FinTopSlices[];
}
