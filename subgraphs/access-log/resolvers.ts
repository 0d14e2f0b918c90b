/**
 * The access-log subgraph's resolvers: pages of the append-only log, newest first. Reading
 * the log is itself a read of AUDIT data, so it goes into the request's own audit trail.
 *
 * Whose events a reader sees (`shared/spec/access.md`, "Authority first"): the virtual school
 * head's audit scope is this authority's children, so the head gets the events about them
 * (those naming a social care id: only our children have one here) and the aggregate and
 * register reads made of this authority's graph. Events about another authority's pupils
 * (seen on a school roll, recorded by UPN) are for auditors only: the head's pages and counts
 * leave them out, and the head may not filter by `upn` at all, so the log cannot confirm that
 * a UPN is a child in care at one of our schools.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { hasRole, type Caller } from '../../identity/caller';
import type { RequestAuth } from '../../lib/authz/request-auth';
import { forbidden } from '../../lib/errors';
import { pageSize } from '../../lib/graphql/relay';
import type { AuditStore } from '../../stores/audit/audit-store';
import type { AuditEvent } from '../../stores/audit/types';
import { toAuditQuery, type AccessLogFilterInput } from './filter';

export interface AccessLogContext {
  caller: Caller | null;
  auth: RequestAuth;
  store: AuditStore;
}

interface AccessLogArgs {
  filter?: AccessLogFilterInput | null;
  first?: number | null;
  after?: string | null;
}

/** Events about other authorities' pupils (by UPN): the auditor's, whoever else the caller is. */
export function readsOtherAuthoritiesPupils(caller: Caller | null): boolean {
  return caller !== null && hasRole(caller, 'auditor');
}

async function accessLog(_parent: unknown, args: AccessLogArgs, context: AccessLogContext) {
  const pupils = readsOtherAuthoritiesPupils(context.auth.caller);
  // Refused before the value is even checked: the answer must not depend on the UPN asked.
  if (!pupils && args.filter?.upn !== null && args.filter?.upn !== undefined) {
    throw forbidden(
      "Not authorised to filter the access log by `filter.upn`: events about other authorities' pupils are for auditors only.",
    );
  }
  const query = {
    ...toAuditQuery(args.filter, pageSize(args.first), args.after),
    excludePupilsByUpn: !pupils,
  };
  const page = await context.store.query(query);
  if (query.childId) context.auth.auditTrail.recordChild(query.childId, 'AUDIT');
  else if (query.subjectUpn) context.auth.auditTrail.recordPupil(query.subjectUpn, 'AUDIT');
  else {
    context.auth.auditTrail.record({
      childId: null,
      categories: ['AUDIT'],
      cohortFilter: {
        actor: query.actorSub ?? null,
        from: query.from ?? null,
        to: query.to ?? null,
      },
    });
  }
  return {
    totalCount: page.totalCount,
    edges: page.events.map((event) => ({ cursor: '', node: event })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      // Offsets would drift as the log grows; the store's keyset cursor does not.
      hasPreviousPage: query.after !== undefined,
      startCursor: null,
      endCursor: page.endCursor,
    },
  };
}

export const accessLogResolvers: GraphQLResolverMap<AccessLogContext> = {
  Query: { accessLog },
  AccessEventConnection: {
    // Only the page's end carries a cursor (keyset paging); every edge points there.
    edges: (connection: {
      edges: Array<{ node: AuditEvent }>;
      pageInfo: { endCursor: string | null };
    }) =>
      connection.edges.map((edge) => ({
        cursor: connection.pageInfo.endCursor ?? '',
        node: edge.node,
      })),
  },
  AccessEvent: {
    actor: (event: AuditEvent) => ({
      sub: event.actorSub,
      roles: event.actorRoles,
      la: event.actorLa,
      clientId: event.clientId,
    }),
    cohortFilter: (event: AuditEvent) =>
      event.cohortFilter ? JSON.stringify(event.cohortFilter) : null,
  },
};
