/**
 * Composition root of the reporting subgraph: bulk upstream clients, the report service (with
 * its short-lived cache) and the one resolver, behind the gateway's token and the reporting
 * permissions. It reads no individual record for anyone, so it needs no scope look-ups.
 */
import { asSeenByThisAuthority } from '../../lib/authz/authority';
import { AuditTrail } from '../../lib/audit/audit-trail';
import { applyPermissions } from '../../lib/authz/rules';
import { clockFor } from '../../lib/clock';
import { createSubgraphApp, type SubgraphApp } from '../../lib/graphql/subgraph-server';
import type { SubgraphDeps, SubgraphOptions } from '../descriptor';
import { ReportingUpstream } from './client';
import type { ReportingConfig } from './config';
import { reportingPermissions } from './permissions';
import { reportingResolvers, type ReportingContext } from './resolvers';
import { ReportService } from './service';

export async function createReportingSubgraph(
  config: ReportingConfig,
  deps: Pick<SubgraphDeps, 'verifyIdentity'> & SubgraphOptions,
): Promise<SubgraphApp> {
  const upstream = ReportingUpstream.fromConfig(config);
  const reports = new ReportService(upstream, {
    homeLa: config.homeLa,
    // "Today" (tests move it a day on); AS_OF or the system clock by default.
    clock: deps.clock ?? clockFor(config.asOf),
    cacheTtlMs: config.cacheTtlMs,
    maxCells: config.maxCells,
  });
  return createSubgraphApp<ReportingContext>({
    name: 'reporting',
    resolvers: reportingResolvers,
    permissions: deps.permissions ?? applyPermissions(reportingPermissions),
    verifyIdentity: deps.verifyIdentity,
    context: async (_request, identity) => ({
      // The caller as this authority sees them (another authority's token: placing authority).
      caller: asSeenByThisAuthority(identity?.caller ?? null, config.homeLa),
      auth: { auditTrail: new AuditTrail() },
      reports,
    }),
    ready: () => upstream.isHealthy(),
    production: config.production,
    onStop: () => upstream.close(),
  });
}
