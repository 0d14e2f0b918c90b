/**
 * The access-log subgraph's resolvers: pages of the append-only log, newest first. Reading
 * the log is itself a read of AUDIT data, so it goes into the request's own audit trail.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Caller } from '../../identity/caller';
import type { RequestAuth } from '../../lib/authz/request-auth';
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

async function accessLog(_parent: unknown, args: AccessLogArgs, context: AccessLogContext) {
  const query = toAuditQuery(args.filter, pageSize(args.first), args.after);
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
