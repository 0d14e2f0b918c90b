/**
 * `GET /audit/children/:childId/access-log.csv`: a child's whole access history as CSV, for
 * a subject access request. Answered through the graph's `accessLog` (so only auditors and
 * the virtual school head get it, and the export is itself logged), one page of 500 at a time.
 */
import type express from 'express';
import { toCsv, type CsvCell } from '../../lib/csv';
import type { ExecutionResult } from './execute-as-caller';
import type { RestDependencies } from './index';
import { sendGraphQLErrors } from './respond';

const PAGE = /* GraphQL */ `
  query AccessLogExport($childId: ID!, $after: String) {
    accessLog(filter: { childId: $childId }, first: 500, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          occurredAt
          requestId
          childId
          categories
          operationName
          operationType
          purpose
          outcome
          actor {
            sub
            roles
            la
            clientId
          }
        }
      }
    }
  }
`;

interface Page {
  accessLog: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{
      node: {
        occurredAt: string;
        requestId: string;
        childId: string | null;
        categories: string[];
        operationName: string | null;
        operationType: string;
        purpose: string | null;
        outcome: string;
        actor: { sub: string; roles: string[]; la: string; clientId: string | null };
      };
    }>;
  };
}

const HEADER = [
  'occurred_at',
  'request_id',
  'child_id',
  'actor_sub',
  'actor_roles',
  'actor_la',
  'client_id',
  'categories',
  'operation_name',
  'operation_type',
  'purpose',
  'outcome',
];

/** At most this many pages (500 000 events) in one export. */
const MAX_PAGES = 1_000;

export function registerAccessLogExport(
  router: express.Router,
  { execute }: RestDependencies,
): void {
  router.get('/audit/children/:childId/access-log.csv', async (req, res, next) => {
    try {
      const identity = res.locals.identity;
      if (!identity) return next(new Error('unauthenticated request reached an export'));
      const rows: CsvCell[][] = [];
      let after: string | null = null;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result: ExecutionResult<Page> = await execute<Page>(identity, PAGE, {
          childId: req.params.childId,
          after,
        });
        if (result.errors.length > 0 || !result.data) return sendGraphQLErrors(res, result.errors);
        for (const { node } of result.data.accessLog.edges) {
          rows.push([
            node.occurredAt,
            node.requestId,
            node.childId,
            node.actor.sub,
            node.actor.roles.join(';'),
            node.actor.la,
            node.actor.clientId,
            node.categories.join(';'),
            node.operationName,
            node.operationType,
            node.purpose,
            node.outcome,
          ]);
        }
        if (!result.data.accessLog.pageInfo.hasNextPage) break;
        after = result.data.accessLog.pageInfo.endCursor;
      }
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="access-log-${req.params.childId}.csv"`)
        .set('Cache-Control', 'no-store')
        .send(toCsv(HEADER, rows));
    } catch (error) {
      next(error);
    }
  });
}
