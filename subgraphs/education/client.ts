/**
 * Typed calls to the authority's pupil database (`/v1`, Wonde style). Batches are cut into
 * chunks the system accepts in one request, and lists are read to their last page.
 */
import { MAX_PER_PAGE, type Batch, type Paged } from '../../simulators/contracts/common';
import type {
  EdDesignatedTeacher,
  EdDesignatedTeacherPut,
  EdDesignatedTeacherPutResult,
  EdInclude,
  EdSchool,
  EdStaff,
  EdStudentBatch,
  EdStudentRecord,
} from '../../simulators/contracts/education';
import { UpstreamUnavailableError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { UpstreamClient } from '../../lib/upstream/upstream-client';
import type { EducationUpstreamConfig } from './config';

export const EDUCATION_SYSTEM = 'education';

/** Every part of a pupil's record the subgraph shows. */
export const ALL_INCLUDES: readonly EdInclude[] = [
  'enrolments',
  'attendance',
  'exclusions',
  'sen',
  'attainment',
];

/** A list that pages further than this is not behaving; stop rather than loop. */
const MAX_PAGES = 1_000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    chunks.push(items.slice(start, start + size));
  return chunks;
}

function isBatchPayload(value: unknown): value is Batch<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const { data, meta } = value as Partial<Batch<unknown>>;
  return Array.isArray(data) && Array.isArray(meta?.missing);
}

function isPagedPayload(value: unknown): value is Paged<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const { data, meta } = value as Partial<Paged<unknown>>;
  return Array.isArray(data) && typeof meta?.pagination?.more === 'boolean';
}

function isDataPayload(value: unknown): value is { data: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { data?: unknown }).data === 'object'
  );
}

function isPutResult(value: unknown): value is EdDesignatedTeacherPutResult {
  if (typeof value !== 'object' || value === null) return false;
  const { data, meta } = value as Partial<EdDesignatedTeacherPutResult>;
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof meta === 'object' &&
    meta !== null &&
    typeof meta.changed === 'boolean' &&
    meta.previous !== undefined
  );
}

/** A body of another shape is as useless as none: the system is failing, not "no data". */
function unexpectedShape(route: string): UpstreamUnavailableError {
  logger.warn('upstream answered an unexpected shape', { system: EDUCATION_SYSTEM, route });
  return new UpstreamUnavailableError(EDUCATION_SYSTEM);
}

export class EducationClient {
  constructor(private readonly upstream: UpstreamClient) {}

  static fromConfig(config: EducationUpstreamConfig): EducationClient {
    return new EducationClient(new UpstreamClient({ system: EDUCATION_SYSTEM, ...config }));
  }

  /** The pupils with these UPNs (unknown ones are simply absent). One request per 500 UPNs. */
  async studentsByUpn(
    upns: readonly string[],
    include: readonly EdInclude[],
  ): Promise<EdStudentRecord[]> {
    const chunks = chunk([...new Set(upns)], MAX_PER_PAGE);
    const results = await Promise.all(
      chunks.map((part) =>
        this.batch<EdStudentRecord>('/v1/students/batch', 'students/batch', {
          upns: part,
          include: [...include],
        } satisfies EdStudentBatch),
      ),
    );
    return results.flat();
  }

  /** The schools with these URNs (unknown ones are simply absent). One request per 500 URNs. */
  async schoolsByUrn(urns: readonly string[]): Promise<EdSchool[]> {
    const chunks = chunk([...new Set(urns)], MAX_PER_PAGE);
    const results = await Promise.all(
      chunks.map((part) =>
        this.batch<EdSchool>('/v1/schools/batch', 'schools/batch', { urns: part }),
      ),
    );
    return results.flat();
  }

  /**
   * The looked-after pupils (this authority's and others') on a school's roll, every page.
   * Null when the system does not know the school.
   */
  async lookedAfterStudents(
    urn: string,
    include: readonly EdInclude[],
  ): Promise<EdStudentRecord[] | null> {
    return this.allPages<EdStudentRecord>(
      `/v1/schools/${encodeURIComponent(urn)}/students`,
      'schools/:urn/students',
      {
        include: include.join(','),
        looked_after: true,
      },
    );
  }

  /** Every designated teacher the system holds, every page. */
  async designatedTeachers(): Promise<EdDesignatedTeacher[]> {
    return (
      (await this.allPages<EdDesignatedTeacher>(
        '/v1/designated-teachers',
        'designated-teachers',
        {},
      )) ?? []
    );
  }

  /** The school's designated teacher for children looked after; null when none is recorded. */
  async designatedTeacher(urn: string): Promise<EdDesignatedTeacher | null> {
    const payload = await this.upstream.get<unknown>(
      `/v1/schools/${encodeURIComponent(urn)}/designated-teacher`,
    );
    if (payload === null) return null;
    if (!isDataPayload(payload)) throw unexpectedShape('schools/:urn/designated-teacher');
    return payload.data as EdDesignatedTeacher | null;
  }

  /**
   * Every school the system holds that matches, every page: those of an authority
   * (`la_code`), or those with a pupil on roll now whom an authority looks after
   * (`looked_after_la`).
   */
  async schools(filter: { la_code?: string; looked_after_la?: string }): Promise<EdSchool[]> {
    return (await this.allPages<EdSchool>('/v1/schools', 'schools', filter)) ?? [];
  }

  /** The staff of these schools in one role, every page. One request per 500 URNs. */
  async staffAt(urns: readonly string[], role: string): Promise<EdStaff[]> {
    const chunks = chunk([...new Set(urns)], MAX_PER_PAGE);
    const results = await Promise.all(
      chunks.map(
        async (part) =>
          (await this.allPages<EdStaff>('/v1/staff', 'staff', { role, urn: part.join(',') })) ?? [],
      ),
    );
    return results.flat();
  }

  /**
   * Sets a school's designated teacher entry (never retried: it is a write, though the
   * system makes it idempotent). Null when the system does not know the school.
   */
  async putDesignatedTeacher(
    urn: string,
    entry: EdDesignatedTeacherPut,
  ): Promise<EdDesignatedTeacherPutResult | null> {
    const payload = await this.upstream.write<unknown>(
      'PUT',
      `/v1/schools/${encodeURIComponent(urn)}/designated-teacher`,
      entry,
    );
    if (payload === null) return null;
    if (!isPutResult(payload)) throw unexpectedShape('schools/:urn/designated-teacher (PUT)');
    return payload;
  }

  /** True when the system answers its health check. */
  async isHealthy(): Promise<boolean> {
    try {
      return (await this.upstream.get<unknown>('/health')) !== null;
    } catch {
      return false;
    }
  }

  close(): void {
    this.upstream.close();
  }

  /** Reads a paged list to its end; null when the first page is a 404 (an unknown parent). */
  private async allPages<T>(
    path: string,
    route: string,
    params: Record<string, string | number | boolean>,
  ): Promise<T[] | null> {
    const items: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const payload = await this.upstream.get<unknown>(path, {
        ...params,
        per_page: MAX_PER_PAGE,
        page,
      });
      if (payload === null) {
        if (page === 1) return null;
        throw unexpectedShape(route);
      }
      if (!isPagedPayload(payload)) throw unexpectedShape(route);
      items.push(...(payload.data as T[]));
      if (!payload.meta.pagination.more || payload.data.length === 0) return items;
    }
    logger.warn('upstream list did not end', { system: EDUCATION_SYSTEM, route, pages: MAX_PAGES });
    throw new UpstreamUnavailableError(EDUCATION_SYSTEM);
  }

  private async batch<T>(path: string, route: string, body: unknown): Promise<T[]> {
    const payload = await this.upstream.query<unknown>(path, body);
    // A batch route never 404s when the system is healthy.
    if (!isBatchPayload(payload)) throw unexpectedShape(route);
    return payload.data as T[];
  }
}
