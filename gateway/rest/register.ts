/**
 * The Designated Teacher register in open formats, for other authorities' systems:
 * `GET /register/designated-teachers.csv` and `GET /register/designated-teachers.json`, with
 * the GraphQL filter as query parameters (`localAuthority`, `phase`, `urns`: comma-separated or
 * repeated; `name`; `changedSince`). Answered through the graph's `designatedTeachers`, 500
 * entries a page until the last, as the caller: the same rules, the same audit record.
 *
 * A strong ETag (SHA-256 of the body) lets a nightly sync ask `If-None-Match`: when the
 * register has not changed the answer is 304 with no body. The body is assembled before it is
 * sent, because its ETag must go out before it does.
 */
import { createHash } from 'node:crypto';
import type express from 'express';
import { toCsv, type CsvCell } from '../../lib/csv';
import { ErrorCode } from '../../lib/errors';
import type { ExecutionResult } from './execute-as-caller';
import type { RestDependencies } from './index';
import { sendGraphQLErrors } from './respond';

const PAGE = /* GraphQL */ `
  query DesignatedTeacherRegisterExport($after: String, $filter: DesignatedTeacherFilter) {
    designatedTeachers(first: 500, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          urn
          schoolName
          phase
          localAuthority {
            code
            name
          }
          inAuthority
          designatedTeacher {
            name
            title
            forename
            surname
            jobTitle
            workEmail
            workPhone
            confirmedOn
          }
          namedGovernor {
            name
            jobTitle
            workEmail
          }
          virtualSchoolContact {
            name
            jobTitle
            workEmail
            workPhone
          }
          updatedAt
        }
      }
    }
  }
`;

interface Contact {
  name: string;
  jobTitle: string;
  workEmail: string;
  workPhone?: string;
}

export interface RegisterEntry {
  urn: string;
  schoolName: string;
  phase: string;
  localAuthority: { code: string; name: string };
  inAuthority: boolean;
  designatedTeacher:
    | (Contact & {
        title: string | null;
        forename: string;
        surname: string;
        workPhone: string;
        confirmedOn: string;
      })
    | null;
  namedGovernor: Contact | null;
  virtualSchoolContact: (Contact & { workPhone: string }) | null;
  updatedAt: string;
}

interface Page {
  designatedTeachers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: RegisterEntry }>;
  };
}

/** At most this many pages (50 000 schools) in one export. */
const MAX_PAGES = 100;

const LIST_PARAMS = ['localAuthority', 'phase', 'urns'] as const;
const TEXT_PARAMS = ['name', 'changedSince'] as const;
const KNOWN_PARAMS = new Set<string>([...LIST_PARAMS, ...TEXT_PARAMS]);

class BadQuery extends Error {}

/** `a,b` or `x=a&x=b`: the listed values; anything nested is refused. */
function listParam(value: unknown, name: string): string[] {
  const parts = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (!parts || !parts.every((part): part is string => typeof part === 'string')) {
    throw new BadQuery(`\`${name}\` is a comma-separated list.`);
  }
  return parts
    .flatMap((part) => part.split(','))
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** The GraphQL filter from the query string (unknown parameters are refused, not ignored). */
export function filterFromQuery(query: express.Request['query']): Record<string, unknown> {
  const unknown = Object.keys(query).filter((key) => !KNOWN_PARAMS.has(key));
  if (unknown.length > 0) {
    throw new BadQuery(
      `Unknown query parameter; use ${[...KNOWN_PARAMS].map((p) => `\`${p}\``).join(', ')}.`,
    );
  }
  const filter: Record<string, unknown> = {};
  for (const name of LIST_PARAMS) {
    if (query[name] !== undefined) filter[name] = listParam(query[name], name);
  }
  for (const name of TEXT_PARAMS) {
    const value = query[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new BadQuery(`\`${name}\` is given once.`);
    filter[name] = value;
  }
  return filter;
}

const CSV_HEADER = [
  'urn',
  'school_name',
  'phase',
  'la_code',
  'la_name',
  'in_authority',
  'dt_name',
  'dt_title',
  'dt_forename',
  'dt_surname',
  'dt_job_title',
  'dt_work_email',
  'dt_work_phone',
  'dt_confirmed_on',
  'named_governor_name',
  'named_governor_job_title',
  'named_governor_work_email',
  'vs_contact_name',
  'vs_contact_job_title',
  'vs_contact_work_email',
  'vs_contact_work_phone',
  'updated_at',
];

export function registerCsv(entries: readonly RegisterEntry[]): string {
  const rows: CsvCell[][] = entries.map((entry) => {
    const dt = entry.designatedTeacher;
    const governor = entry.namedGovernor;
    const vs = entry.virtualSchoolContact;
    return [
      entry.urn,
      entry.schoolName,
      entry.phase,
      entry.localAuthority.code,
      entry.localAuthority.name,
      entry.inAuthority ? 'true' : 'false',
      dt?.name,
      dt?.title,
      dt?.forename,
      dt?.surname,
      dt?.jobTitle,
      dt?.workEmail,
      dt?.workPhone,
      dt?.confirmedOn,
      governor?.name,
      governor?.jobTitle,
      governor?.workEmail,
      vs?.name,
      vs?.jobTitle,
      vs?.workEmail,
      vs?.workPhone,
      entry.updatedAt,
    ];
  });
  return toCsv(CSV_HEADER, rows);
}

export function registerJson(entries: readonly RegisterEntry[]): string {
  return `${JSON.stringify({ totalCount: entries.length, designatedTeachers: entries })}\n`;
}

/** A strong validator: the SHA-256 of the exact bytes sent. */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`;
}

/**
 * `If-None-Match` (RFC 9110 13.1.2): `*`, or a list of tags compared weakly (a `W/` prefix
 * is ignored), matches when any equals ours.
 */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .includes(etag);
}

type Format = 'csv' | 'json';

async function readRegister(
  deps: RestDependencies,
  res: express.Response,
  filter: Record<string, unknown>,
): Promise<RegisterEntry[] | null> {
  const identity = res.locals.identity;
  if (!identity) throw new Error('unauthenticated request reached an export');
  const entries: RegisterEntry[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result: ExecutionResult<Page> = await deps.execute<Page>(identity, PAGE, {
      after,
      filter,
    });
    if (result.errors.length > 0 || !result.data) {
      sendGraphQLErrors(res, result.errors);
      return null;
    }
    const { edges, pageInfo } = result.data.designatedTeachers;
    entries.push(...edges.map((edge) => edge.node));
    if (!pageInfo.hasNextPage) return entries;
    after = pageInfo.endCursor;
  }
  throw new Error('designated teacher register export did not end');
}

function handler(format: Format, deps: RestDependencies): express.RequestHandler {
  return async (req, res, next) => {
    try {
      let filter: Record<string, unknown>;
      try {
        filter = filterFromQuery(req.query);
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
      const entries = await readRegister(deps, res, filter);
      if (entries === null) return;
      const body = format === 'csv' ? registerCsv(entries) : registerJson(entries);
      const etag = strongEtag(body);
      // Private: what a caller may read depends on who they are. no-cache: revalidate always.
      res.set({ ETag: etag, 'Cache-Control': 'private, no-cache', Vary: 'Authorization' });
      if (noneMatch(req.get('If-None-Match'), etag)) {
        res.status(304).end();
        return;
      }
      if (format === 'csv') {
        res
          .type('text/csv; charset=utf-8')
          .set('Content-Disposition', 'attachment; filename="designated-teachers.csv"');
      } else {
        res.type('application/json; charset=utf-8');
      }
      res.status(200).send(body);
    } catch (error) {
      next(error);
    }
  };
}

export function registerDesignatedTeacherExports(
  router: express.Router,
  deps: RestDependencies,
): void {
  router.get('/register/designated-teachers.csv', handler('csv', deps));
  router.get('/register/designated-teachers.json', handler('json', deps));
}
