/**
 * Bulk reads from the three council systems, for reports: children a page of 500 at a time,
 * and for each page one batch look-up of those children's pupil records and one of their
 * funding, so a report costs about (children / 500) requests per system, never one per child.
 */
import { MAX_PER_PAGE, type Batch, type Paged } from '../../simulators/contracts/common';
import type {
  EdSchool,
  EdStudentRecord,
  EdYearGroupAggregate,
} from '../../simulators/contracts/education';
import type { FinClient } from '../../simulators/contracts/finance';
import type { ScChildRecord } from '../../simulators/contracts/social-care';
import { UpstreamUnavailableError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { UpstreamClient } from '../../lib/upstream/upstream-client';
import type { ReportingConfig } from './config';

const CHILDREN_SEARCH = '/api/v1/children/search';
const STUDENTS_BATCH = '/v1/students/batch';
const SCHOOLS_BATCH = '/v1/schools/batch';
const AGGREGATES = '/v1/aggregates';
const CLIENTS_SEARCH = '/api/finance/v1/clients/search';

/** A list that pages further than this is not behaving; stop rather than loop. */
const MAX_PAGES = 1_000;

function isPaged<T>(value: unknown): value is Paged<T> {
  if (typeof value !== 'object' || value === null) return false;
  const { data, meta } = value as Partial<Paged<T>>;
  return Array.isArray(data) && typeof meta?.pagination?.more === 'boolean';
}

function isBatch<T>(value: unknown): value is Batch<T> {
  if (typeof value !== 'object' || value === null) return false;
  const { data, meta } = value as Partial<Batch<T>>;
  return Array.isArray(data) && Array.isArray(meta?.missing);
}

function unexpected(system: string, route: string): UpstreamUnavailableError {
  logger.warn('upstream answered an unexpected shape', { system, route });
  return new UpstreamUnavailableError(system);
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    chunks.push(items.slice(start, start + size));
  return chunks;
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The part of `UpstreamClient` used here (tests hand in fakes). */
export type Upstream = Pick<UpstreamClient, 'get' | 'query' | 'close'>;

export class ReportingUpstream {
  constructor(
    private readonly socialCare: Upstream,
    private readonly education: Upstream,
    private readonly finance: Upstream,
    /** Requests in flight at once, per system. */
    readonly concurrency: number,
  ) {}

  static fromConfig(config: ReportingConfig): ReportingUpstream {
    const client = (system: string, upstream: { baseUrl: string; apiKey: string }) =>
      new UpstreamClient({ system, ...upstream, ...config.upstream });
    return new ReportingUpstream(
      client('social care', config.socialCare),
      client('education', config.education),
      client('finance', config.finance),
      config.concurrency,
    );
  }

  /**
   * One page of this authority's children with their episodes and PEPs, restricted records
   * included (aggregates count them). `currentOnly` leaves out children no longer looked after.
   */
  async childrenPage(page: number, currentOnly: boolean): Promise<Paged<ScChildRecord>> {
    const payload = await this.socialCare.query<unknown>(CHILDREN_SEARCH, {
      include: ['episodes', 'peps'],
      include_restricted: true,
      current_only: currentOnly,
      page,
      per_page: MAX_PER_PAGE,
    });
    if (!isPaged<ScChildRecord>(payload)) throw unexpected('social care', 'children/search');
    return payload;
  }

  /** Pupil records (every part) for up to 500 UPNs, in one request. */
  async pupils(upns: readonly string[]): Promise<EdStudentRecord[]> {
    if (upns.length === 0) return [];
    const payload = await this.education.query<unknown>(STUDENTS_BATCH, {
      upns,
      include: ['enrolments', 'attendance', 'exclusions', 'sen', 'attainment'],
    });
    if (!isBatch<EdStudentRecord>(payload)) throw unexpected('education', 'students/batch');
    return payload.data;
  }

  /** Allocations and ledger lines of one financial year for up to 500 client references. */
  async funding(clientRefs: readonly string[], financialYear: string): Promise<FinClient[]> {
    if (clientRefs.length === 0) return [];
    const clients: FinClient[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const payload = await this.finance.query<unknown>(CLIENTS_SEARCH, {
        client_refs: clientRefs,
        fy: financialYear,
        include: ['allocations', 'ledger'],
        page,
        per_page: MAX_PER_PAGE,
      });
      if (!isPaged<FinClient>(payload)) throw unexpected('finance', 'clients/search');
      clients.push(...payload.data);
      if (!payload.meta.pagination.more || payload.data.length === 0) return clients;
    }
    throw unexpected('finance', 'clients/search');
  }

  /** Every school's year-group figures for all pupils in one academic year ("2025/26"). */
  async aggregates(academicYear: string): Promise<EdYearGroupAggregate[]> {
    const rows: EdYearGroupAggregate[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const payload = await this.education.get<unknown>(AGGREGATES, {
        academic_year: academicYear,
        page,
        per_page: MAX_PER_PAGE,
      });
      if (!isPaged<EdYearGroupAggregate>(payload)) throw unexpected('education', 'aggregates');
      rows.push(...payload.data);
      if (!payload.meta.pagination.more || payload.data.length === 0) return rows;
    }
    throw unexpected('education', 'aggregates');
  }

  /** Schools by URN (for their names), 500 a request. */
  async schools(urns: readonly string[]): Promise<EdSchool[]> {
    const found: EdSchool[] = [];
    for (const urnChunk of chunk(urns, MAX_PER_PAGE)) {
      const payload = await this.education.query<unknown>(SCHOOLS_BATCH, { urns: urnChunk });
      if (!isBatch<EdSchool>(payload)) throw unexpected('education', 'schools/batch');
      found.push(...payload.data);
    }
    return found;
  }

  /** True when social care (without which there is no report) answers its health check. */
  async isHealthy(): Promise<boolean> {
    try {
      return (await this.socialCare.get<unknown>('/health')) !== null;
    } catch {
      return false;
    }
  }

  close(): void {
    this.socialCare.close();
    this.education.close();
    this.finance.close();
  }
}
