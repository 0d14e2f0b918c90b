/**
 * The morning worklist as a file: `GET /worklists/children.csv?pepOverdue=true&...`, the
 * `WorklistFilter` criteria as query parameters (`pepOverdue`, `pepDueWithinDays`,
 * `attendanceBelowPercent`, `attendancePeriod`, `attendanceWeeks`, `suspendedSince`,
 * `notOnRoll`, `schoolMovedSince`, `noDesignatedTeacher`, `placementMovedSince`). One row per
 * child on the worklist: id, name, current school's URN and the reasons matched (`;`-joined).
 * Answered through the graph's `children` as the caller, 500 a page until the last, so the
 * same argument rules, scope, audit entry and limits apply: the file never holds more than
 * the same query would.
 */
import type express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { toCsv, type CsvCell } from '../../lib/csv';
import { ErrorCode } from '../../lib/errors';
import type { ExecutionResult } from './execute-as-caller';
import type { RestDependencies } from './index';
import { sendGraphQLErrors } from './respond';

export const WORKLIST_PAGE = /* GraphQL */ `
  query ChildrenWorklistExport($after: String, $worklist: WorklistFilter!) {
    children(first: 500, after: $after, filter: { worklist: $worklist }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        worklistReasons
        node {
          id
          name {
            displayName
          }
          education {
            currentSchool {
              urn
            }
          }
        }
      }
    }
  }
`;

export interface WorklistRow {
  id: string;
  name: string | null;
  schoolUrn: string | null;
  reasons: string[];
}

interface Page {
  children: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{
      worklistReasons: string[] | null;
      node: {
        id: string;
        name: { displayName: string } | null;
        education: { currentSchool: { urn: string } | null } | null;
      };
    }>;
  };
}

/** At most this many pages (50 000 children) in one export. */
const MAX_PAGES = 100;

const BOOLEAN_PARAMS = ['pepOverdue', 'notOnRoll', 'noDesignatedTeacher'] as const;
const INT_PARAMS = ['pepDueWithinDays', 'attendanceWeeks'] as const;
const FLOAT_PARAMS = ['attendanceBelowPercent'] as const;
const TEXT_PARAMS = [
  'attendancePeriod',
  'suspendedSince',
  'schoolMovedSince',
  'placementMovedSince',
] as const;
const KNOWN_PARAMS = new Set<string>([
  ...BOOLEAN_PARAMS,
  ...INT_PARAMS,
  ...FLOAT_PARAMS,
  ...TEXT_PARAMS,
]);

class BadQuery extends Error {}

function single(query: express.Request['query'], name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadQuery(`\`${name}\` is given once.`);
  return value;
}

/**
 * The `WorklistFilter` from the query string: unknown parameters are refused, not ignored;
 * values are only parsed to their GraphQL types here, and checked by the graph.
 */
export function worklistFromQuery(query: express.Request['query']): Record<string, unknown> {
  const unknown = Object.keys(query).filter((key) => !KNOWN_PARAMS.has(key));
  if (unknown.length > 0) {
    throw new BadQuery(
      `Unknown query parameter; use ${[...KNOWN_PARAMS].map((p) => `\`${p}\``).join(', ')}.`,
    );
  }
  const worklist: Record<string, unknown> = {};
  for (const name of BOOLEAN_PARAMS) {
    const value = single(query, name);
    if (value === undefined) continue;
    if (value !== 'true' && value !== 'false') throw new BadQuery(`\`${name}\` is true or false.`);
    worklist[name] = value === 'true';
  }
  for (const name of [...INT_PARAMS, ...FLOAT_PARAMS]) {
    const value = single(query, name);
    if (value === undefined) continue;
    const number = Number(value);
    const whole = (INT_PARAMS as readonly string[]).includes(name);
    if (value.trim() === '' || !Number.isFinite(number) || (whole && !Number.isInteger(number))) {
      throw new BadQuery(`\`${name}\` is a ${whole ? 'whole number' : 'number'}.`);
    }
    worklist[name] = number;
  }
  for (const name of TEXT_PARAMS) {
    const value = single(query, name);
    if (value !== undefined) worklist[name] = value;
  }
  if (Object.keys(worklist).length === 0) {
    throw new BadQuery(`Give at least one criterion: ${[...KNOWN_PARAMS].join(', ')}.`);
  }
  return worklist;
}

/** A name the caller may not read is left blank: that FORBIDDEN is expected, no other error is. */
const isForbiddenName = (error: GraphQLFormattedError) =>
  error.extensions?.code === ErrorCode.FORBIDDEN &&
  Array.isArray(error.path) &&
  error.path[error.path.length - 1] === 'name';

export const WORKLIST_CSV_HEADER = ['child_id', 'name', 'school_urn', 'reasons'];

export function worklistCsv(rows: readonly WorklistRow[]): string {
  return toCsv(
    WORKLIST_CSV_HEADER,
    rows.map((row): CsvCell[] => [row.id, row.name, row.schoolUrn, row.reasons.join(';')]),
  );
}

export function registerWorklistExports(router: express.Router, { execute }: RestDependencies) {
  router.get('/worklists/children.csv', async (req, res, next) => {
    try {
      const identity = res.locals.identity;
      if (!identity) return next(new Error('unauthenticated request reached an export'));
      let worklist: Record<string, unknown>;
      try {
        worklist = worklistFromQuery(req.query);
      } catch (error) {
        if (!(error instanceof BadQuery)) throw error;
        res
          .status(400)
          .set('Cache-Control', 'no-store')
          .json({
            errors: [{ message: error.message, extensions: { code: ErrorCode.BAD_USER_INPUT } }],
          });
        return;
      }
      const rows: WorklistRow[] = [];
      let after: string | null = null;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result: ExecutionResult<Page> = await execute<Page>(identity, WORKLIST_PAGE, {
          after,
          worklist,
        });
        const unexpected = result.errors.filter((error) => !isForbiddenName(error));
        if (unexpected.length > 0 || !result.data) {
          return sendGraphQLErrors(res, unexpected.length > 0 ? unexpected : result.errors);
        }
        const { edges, pageInfo } = result.data.children;
        for (const edge of edges) {
          rows.push({
            id: edge.node.id,
            name: edge.node.name?.displayName ?? null,
            schoolUrn: edge.node.education?.currentSchool?.urn ?? null,
            reasons: edge.worklistReasons ?? [],
          });
        }
        if (!pageInfo.hasNextPage) break;
        after = pageInfo.endCursor;
      }
      res
        .status(200)
        .set('Content-Disposition', 'attachment; filename="children-worklist.csv"')
        .set('Cache-Control', 'no-store')
        .type('text/csv; charset=utf-8')
        .send(worklistCsv(rows));
    } catch (error) {
      next(error);
    }
  });
}
