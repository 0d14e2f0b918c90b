/**
 * `GET /audit/children/:childId/access-log.csv`: a child's whole access history as CSV, for
 * a subject access request. Answered through the graph's `accessLog` (so only auditors and
 * the virtual school head get it, and the export is itself logged), one page of 500 at a time.
 *
 * `GET /audit/pupils/:upn/access-log.csv`: the same for a pupil another authority looks after
 * (their reads are logged by UPN), for that authority's subject access request. Auditors only:
 * the graph refuses the `upn` filter to everyone else (403, nothing read), so the export cannot
 * confirm that a UPN is a child in care at one of our schools either.
 */
import type express from 'express';
import { toCsv, type CsvCell } from '../../lib/csv';
import type { ExecutionResult } from './execute-as-caller';
import type { RestDependencies } from './index';
import { sendGraphQLErrors } from './respond';

const PAGE = /* GraphQL */ `
  query AccessLogExport($filter: AccessLogFilter!, $after: String) {
    accessLog(filter: $filter, first: 500, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          occurredAt
          requestId
          childId
          subjectUpn
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
        subjectUpn: string | null;
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
  'subject_upn',
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

/** Whose history an export is: the route's parameter as the `accessLog` filter it becomes. */
interface Subject {
  filter: { childId: string } | { upn: string };
  /** For the file name. */
  name: string;
}

function exportHandler(
  { execute }: RestDependencies,
  subjectOf: (params: Record<string, string>) => Subject,
): express.RequestHandler {
  return async (req, res, next) => {
    try {
      const identity = res.locals.identity;
      if (!identity) return next(new Error('unauthenticated request reached an export'));
      const subject = subjectOf(req.params as Record<string, string>);
      const rows: CsvCell[][] = [];
      let after: string | null = null;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result: ExecutionResult<Page> = await execute<Page>(identity, PAGE, {
          filter: subject.filter,
          after,
        });
        if (result.errors.length > 0 || !result.data) return sendGraphQLErrors(res, result.errors);
        for (const { node } of result.data.accessLog.edges) {
          rows.push([
            node.occurredAt,
            node.requestId,
            node.childId,
            node.subjectUpn,
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
        .set('Content-Disposition', `attachment; filename="access-log-${subject.name}.csv"`)
        .set('Cache-Control', 'no-store')
        .send(toCsv(HEADER, rows));
    } catch (error) {
      next(error);
    }
  };
}

/** Only what the graph accepts as an id or a UPN may reach the file name. */
const safeName = (value: string | undefined): string =>
  (value ?? '').replace(/[^A-Za-z0-9]/g, '').slice(0, 20);

export function registerAccessLogExport(router: express.Router, deps: RestDependencies): void {
  router.get(
    '/audit/children/:childId/access-log.csv',
    exportHandler(deps, (params) => ({
      filter: { childId: params.childId ?? '' },
      name: safeName(params.childId),
    })),
  );
  router.get(
    '/audit/pupils/:upn/access-log.csv',
    exportHandler(deps, (params) => ({
      filter: { upn: params.upn ?? '' },
      name: safeName(params.upn),
    })),
  );
}
