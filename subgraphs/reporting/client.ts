/**
 * Bulk reads from the three council systems, for reports, through each system's one client:
 * children a page of 500 at a time, and for each page one batch look-up of those children's
 * pupil records and one of their funding, so a report costs about (children / 500) requests
 * per system, never one per child.
 */
import { MAX_PER_PAGE, type Paged } from '../../upstream/common/contract';
import { chunked } from '../../upstream/common/paging';
import { ALL_INCLUDES, EducationClient } from '../../upstream/education/client';
import type {
  EdSchool,
  EdStudentRecord,
  EdYearGroupAggregate,
} from '../../upstream/education/contract';
import { FinanceClient } from '../../upstream/finance/client';
import type { FinClient } from '../../upstream/finance/contract';
import { topSliceYearFrom, type TopSliceYear } from '../../domain/measures/pupil-premium-plus';
import { SocialCareClient } from '../../upstream/social-care/client';
import type { ScChildRecord } from '../../upstream/social-care/contract';
import type { ReportingConfig } from './config';
import {
  CHILD_FIELDS,
  CHILD_PARTS,
  FUNDING_FIELDS,
  FUNDING_PARTS,
  PUPIL_FIELDS,
  PUPIL_PARTS,
  WHO_FIELDS,
} from './export-fields';

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

/** Every record of an export (the figures it holds are per school, not per child). */
async function collect<T>(records: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const record of records) all.push(record);
  return all;
}

export class ReportingUpstream {
  constructor(
    private readonly socialCare: SocialCareClient,
    private readonly education: EducationClient,
    private readonly finance: FinanceClient,
    /** Requests in flight at once, per system. */
    readonly concurrency: number,
    /** Read reports through the systems' bulk exports (REPORTING_BULK_EXPORT), not by page. */
    private readonly bulkExport = true,
  ) {}

  /** The three clients, with the reports' longer timeouts (REPORTING_TIMEOUT_MS and others). */
  static fromConfig(config: ReportingConfig): ReportingUpstream {
    return new ReportingUpstream(
      SocialCareClient.fromConfig({ ...config.socialCare, ...config.upstream }),
      EducationClient.fromConfig({ ...config.education, ...config.upstream }),
      FinanceClient.fromConfig({ ...config.finance, ...config.upstream }),
      config.concurrency,
      config.bulkExport,
    );
  }

  /**
   * One page of this authority's children with their episodes, placements (whether the one
   * that began care was an emergency placement sets the first PEP's deadline) and PEPs,
   * restricted records included (aggregates count them). `currentOnly` leaves out children no
   * longer looked after.
   */
  async childrenPage(page: number, currentOnly: boolean): Promise<Paged<ScChildRecord>> {
    return this.socialCare.searchChildren({
      include: ['episodes', 'placements', 'peps'],
      include_restricted: true,
      current_only: currentOnly,
      page,
      per_page: MAX_PER_PAGE,
    });
  }

  /** Whether reports are read through the three systems' bulk exports (bulk-source.ts). */
  get readsExports(): boolean {
    return (
      this.bulkExport &&
      this.socialCare.canExport &&
      this.education.canExport &&
      this.finance.canExport
    );
  }

  /**
   * Every child of the authority in one streamed request, ordered by CHILD, restricted records
   * included; with what the measures read of their episodes, placements and PEPs when
   * `histories`, else who they are (enough to ask the other systems for their records). Only
   * the fields a report reads are asked for (export-fields.ts): the records are partial.
   */
  exportChildren(
    currentOnly: boolean,
    histories: boolean,
  ): AsyncGenerator<ScChildRecord, void, undefined> {
    return this.socialCare.exportChildren({
      include: histories ? [...CHILD_PARTS] : [],
      include_restricted: true,
      current_only: currentOnly,
      fields: histories ? [...CHILD_FIELDS] : [...WHO_FIELDS],
    });
  }

  /**
   * Pupil records for a list of UPNs, in one streamed request, in its order: the fields the
   * measures read (export-fields.ts), so partial records.
   */
  exportPupils(upns: readonly string[]): AsyncGenerator<EdStudentRecord, void, undefined> {
    return this.education.exportStudents(upns, PUPIL_PARTS, PUPIL_FIELDS);
  }

  /**
   * `funding`'s records for a list of client references, in one streamed request, in its
   * order: the fields the measures read (export-fields.ts), so partial records.
   */
  exportFunding(
    clientRefs: readonly string[],
    financialYear: string,
  ): AsyncGenerator<FinClient, void, undefined> {
    return this.finance.exportClients(clientRefs, FUNDING_PARTS, financialYear, FUNDING_FIELDS);
  }

  /** Pupil records (every part) for up to 500 UPNs, in one request. */
  async pupils(upns: readonly string[]): Promise<EdStudentRecord[]> {
    return this.education.studentsByUpn(upns, ALL_INCLUDES);
  }

  /**
   * Allocations, ledger lines and commitments (approved PP+ not yet paid, which unspent takes
   * off as a child's profile does) of one financial year for up to 500 client references.
   */
  async funding(clientRefs: readonly string[], financialYear: string): Promise<FinClient[]> {
    const { clients } = await this.finance.clientsByRef(
      clientRefs,
      ['allocations', 'ledger', 'commitments'],
      financialYear,
    );
    return clients;
  }

  /**
   * One financial year's top-slices and the allocations they are shared over (what a child's
   * unspent PP+ takes off): one request per report, whatever the number of children.
   */
  async topSlices(financialYear: string): Promise<TopSliceYear> {
    return topSliceYearFrom(await this.finance.topSlices(financialYear));
  }

  /** The URNs of this authority's schools (every page). */
  async schoolsOf(la: string): Promise<string[]> {
    return (await this.education.schools({ la_code: la })).map((school) => school.urn);
  }

  /**
   * The looked-after pupils on a school's roll now (this authority's and others'), with every
   * part of their record; empty when the system does not know the school.
   */
  async lookedAfterOnRoll(urn: string): Promise<EdStudentRecord[]> {
    return (await this.education.lookedAfterStudents(urn, ALL_INCLUDES)) ?? [];
  }

  /**
   * Every school's year-group figures for all pupils in one academic year ("2025/26"): one
   * streamed request when reading by export (so the requests do not follow the number of
   * schools), else page by page (500 rows a page).
   */
  async aggregates(academicYear: string): Promise<EdYearGroupAggregate[]> {
    if (!this.readsExports) return this.education.aggregates(academicYear);
    return collect(this.education.exportAggregates(academicYear));
  }

  /**
   * Schools by URN, for their names (the records hold urn and name only when read by export):
   * one streamed request when reading by export, else 500 a request, one at a time.
   */
  async schools(urns: readonly string[]): Promise<Array<Pick<EdSchool, 'urn' | 'name'>>> {
    if (this.readsExports) return collect(this.education.exportSchools(urns, ['name']));
    const found: EdSchool[] = [];
    for (const part of chunked(urns, MAX_PER_PAGE)) {
      found.push(...(await this.education.schoolsByUrn(part)));
    }
    return found;
  }

  /** True when social care (without which there is no report) answers its health check. */
  async isHealthy(): Promise<boolean> {
    return this.socialCare.isHealthy();
  }

  close(): void {
    this.socialCare.close();
    this.education.close();
    this.finance.close();
  }
}
