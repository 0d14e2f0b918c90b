/**
 * The reporting subgraph's one query. Every report read is one AGGREGATE entry in the access
 * log, naming the filter and breakdown asked for (never a child: a report has none).
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Caller } from '../../identity/caller';
import type { AuditTrail } from '../../lib/audit/audit-trail';
import { auditFilter, toReportRequest, type CohortFilterInput } from './input';
import type { GraphQLResolveInfo } from 'graphql';
import { cellsJson, csvOf } from './serialised';
import type { CohortReportShape } from './report';
import type { ReportService } from './service';

export interface ReportingContext {
  /** The caller the gateway vouched for (read by the permission rules). */
  caller: Caller | null;
  auth: { auditTrail: AuditTrail };
  reports: ReportService;
}

interface CohortReportArgs {
  filter: CohortFilterInput;
  breakdown?: string[] | null;
}

async function cohortReport(
  _parent: unknown,
  args: CohortReportArgs,
  context: ReportingContext,
): Promise<CohortReportShape> {
  const request = toReportRequest(args.filter, args.breakdown);
  const report = await context.reports.report(context.caller, request);
  context.auth.auditTrail.record({
    childId: null,
    categories: ['AGGREGATE'],
    cohortFilter: auditFilter(request),
  });
  return report;
}

export const reportingResolvers: GraphQLResolverMap<ReportingContext> = {
  Query: { cohortReport },
  CohortReport: {
    // The report's serialised forms, made once per report (serialised.ts).
    csv: (report: CohortReportShape) => csvOf(report),
    cellsJson: (
      report: CohortReportShape,
      _args: unknown,
      _context: unknown,
      info: GraphQLResolveInfo,
    ) => cellsJson(report, info.schema),
  },
};
