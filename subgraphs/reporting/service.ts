/**
 * Reports for callers: who may ask (access.ts), which date they see (snapshot.ts), then the
 * cache or a fresh report. One service per subgraph, so the caches are shared by every request
 * it serves. A published snapshot is kept for the month it is published in, so the same
 * question gets the same figures all month.
 */
import type { Caller } from '../../identity/caller';
import type { Clock } from '../../lib/clock';
import { reportScope } from './access';
import { ReportCache } from './cache';
import type { ReportingUpstream } from './client';
import type { ReportRequest } from './input';
import { buildReport, type CohortReportShape, type ReportOutcome } from './report';
import { readsSnapshots, snapshotOn } from './snapshot';

/** A snapshot is kept longer than any month (its key names the month end it is as of). */
const SNAPSHOT_KEPT_MS = 32 * 24 * 60 * 60 * 1000;

export interface ReportServiceOptions {
  homeLa: string;
  clock: Clock;
  cacheTtlMs: number;
  /** Most cells a report may have (REPORT_MAX_CELLS). */
  maxCells?: number;
}

export class ReportService {
  private readonly cache: ReportCache<ReportOutcome>;
  private readonly snapshots = new ReportCache<ReportOutcome>(
    SNAPSHOT_KEPT_MS,
    500,
    Date.now,
    'report_snapshot',
  );

  constructor(
    private readonly upstream: ReportingUpstream,
    private readonly options: ReportServiceOptions,
  ) {
    this.cache = new ReportCache(options.cacheTtlMs);
  }

  /** The report, if the caller may have it (FORBIDDEN otherwise, before anything is read). */
  async report(caller: Caller | null, request: ReportRequest): Promise<CohortReportShape> {
    const { homeLa, clock } = this.options;
    const scope = reportScope(caller, request, homeLa);
    const today = clock();
    const snapshot = readsSnapshots(caller!, homeLa) ? snapshotOn(today) : null;
    const scopeSchool = scope.startsWith('school:') ? scope.slice('school:'.length) : null;
    const key = JSON.stringify([scope, snapshot?.date ?? today, snapshot !== null, request]);
    const outcome = await (snapshot ? this.snapshots : this.cache).getOrMake(
      key,
      () =>
        buildReport(this.upstream, request, {
          homeLa,
          today,
          snapshot,
          scopeSchool,
          maxCells: this.options.maxCells,
        }),
      (made) => !made.degraded,
    );
    return outcome.report;
  }
}
