/**
 * No unaudited access: before a response leaves the gateway, everything the subgraphs said
 * they returned (their audit trails, collected per request by the data source) is written to
 * the access log in ONE insert: one event per child read, with the categories returned, and
 * one per aggregate or register read. If the write fails, the response is replaced by an
 * error and no data leaves.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { AuditEntry } from '../../lib/audit/audit-trail';
import { ErrorCode, PublicError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import {
  auditWriteDuration,
  auditWriteFailures,
  secondsSince,
} from '../../lib/observability/metrics';
import type { AuditEventInput, DataCategory, JsonObject } from '../../stores/audit/types';
import type { GatewayContext } from '../subgraph-data-source';

export interface AccessLog {
  append(events: readonly AuditEventInput[]): Promise<void>;
}

/** One event per child (categories merged across subgraphs), then the other reads as they came. */
export function eventsFor(
  entries: readonly AuditEntry[],
  base: Omit<AuditEventInput, 'childId' | 'categories' | 'cohortFilter'>,
): AuditEventInput[] {
  const perChild = new Map<string, Set<string>>();
  const perPupil = new Map<string, Set<string>>();
  const others: AuditEventInput[] = [];
  const merge = (into: Map<string, Set<string>>, key: string, categories: string[]) => {
    const merged = into.get(key) ?? new Set<string>();
    categories.forEach((category) => merged.add(category));
    into.set(key, merged);
  };
  for (const entry of entries) {
    if (entry.childId) {
      merge(perChild, entry.childId, entry.categories);
    } else if (entry.subjectUpn) {
      merge(perPupil, entry.subjectUpn, entry.categories);
    } else {
      others.push({
        ...base,
        childId: null,
        categories: entry.categories as DataCategory[],
        cohortFilter: (entry.cohortFilter as JsonObject | undefined) ?? null,
      });
    }
  }
  const children = [...perChild].map(([childId, categories]) => ({
    ...base,
    childId,
    categories: [...categories].sort() as DataCategory[],
    cohortFilter: null,
  }));
  const pupils = [...perPupil].map(([subjectUpn, categories]) => ({
    ...base,
    childId: null,
    subjectUpn,
    categories: [...categories].sort() as DataCategory[],
    cohortFilter: null,
  }));
  return [...children, ...pupils, ...others];
}

export function accessAuditPlugin(log: AccessLog): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operation, operationName }) {
          if (response.body.kind !== 'single' || contextValue.auditEntries.length === 0) return;
          const { caller, requestId, purpose } = contextValue.identity;
          const events = eventsFor(contextValue.auditEntries, {
            requestId,
            actorSub: caller.sub,
            actorRoles: caller.roles,
            actorLa: caller.la,
            clientId: caller.clientId,
            operationName: operationName ?? null,
            operationType: operation?.operation ?? 'query',
            purpose,
            outcome: 'ALLOWED',
          });
          const startedAt = performance.now();
          try {
            await log.append(events);
            auditWriteDuration.observe(secondsSince(startedAt));
          } catch (error) {
            auditWriteDuration.observe(secondsSince(startedAt));
            auditWriteFailures.inc();
            logger.error('access log write failed: response withheld', {
              requestId,
              events: events.length,
              kind: error instanceof Error ? error.constructor.name : typeof error,
            });
            const refused = new PublicError(ErrorCode.AUDIT_UNAVAILABLE);
            response.body.singleResult.data = null;
            response.body.singleResult.errors = [
              { message: refused.message, extensions: { code: ErrorCode.AUDIT_UNAVAILABLE } },
            ];
            response.http.status = 503;
          }
        },
      };
    },
  };
}
