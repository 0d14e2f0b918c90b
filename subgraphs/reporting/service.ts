/**
 * Reports for callers: who may ask (access.ts), then the cache or a fresh report. One service
 * per subgraph, so the cache is shared by every request it serves.
 */
import type { Caller } from '../../identity/caller';
import type { Clock } from '../../lib/clock';
import { reportScope } from './access';
import { ReportCache } from './cache';
import type { ReportingUpstream } from './client';
import type { ReportRequest } from './input';
import { buildReport, type CohortReportShape, type ReportOutcome } from './report';

export interface ReportServiceOptions {
  homeLa: string;
  clock: Clock;
  cacheTtlMs: number;
}

export class ReportService {
  private readonly cache: ReportCache<ReportOutcome>;

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
    const key = JSON.stringify([scope, today, request]);
    const outcome = await this.cache.getOrMake(
      key,
      () => buildReport(this.upstream, request, { homeLa, today }),
      (made) => !made.degraded,
    );
    return outcome.report;
  }
}
