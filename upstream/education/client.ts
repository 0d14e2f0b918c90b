/**
 * The one client of the authority's pupil database (`/v1`, Wonde style): every route CLA
 * Graph calls, for the education subgraph and its register, the school rolls every subgraph
 * reads for scope, need-to-know's staff look-ups and the reports. Batches are cut into chunks
 * the system accepts in one request, lists are read to their last page (bounded), and every
 * answer is checked before it is read.
 */
import { isUrn } from '../../domain/identifiers';
import {
  MAX_PER_PAGE,
  pathOf,
  routeName,
  type Paged,
  type UpstreamRoute,
} from '../common/contract';
import { expectBatch, expectPaged, isList, isRecord, unexpectedShape } from '../common/guards';
import { UpstreamClient, type UpstreamSettings } from '../common/http-client';
import { chunked, readAllPages } from '../common/paging';
import { SystemClient } from '../common/system-client';
import { canExport, exportRecords, type ExportingUpstream } from '../common/exports';
import {
  EDUCATION_ROUTES as ROUTES,
  type EdAggregateExport,
  type EdChange,
  type EdChangePage,
  type EdDesignatedTeacher,
  type EdDesignatedTeacherPut,
  type EdDesignatedTeacherPutResult,
  type EdEnrolmentPost,
  type EdEnrolmentRecord,
  type EdExclusionDecision,
  type EdExclusionPost,
  type EdExclusionRecord,
  type EdInclude,
  type EdLeavingPost,
  type EdRelatedInclude,
  type EdSchool,
  type EdSchoolBatch,
  type EdSchoolExport,
  type EdSchoolExportField,
  type EdPupilSessionMarks,
  type EdSessionMark,
  type EdSessionMarksBatch,
  type EdStaff,
  type EdStaffBatch,
  type EdStudentBatch,
  type EdStudentExport,
  type EdStudentExportField,
  type EdSessionMarkPost,
  type EdSessionMarkRecord,
  type EdStudentRecord,
  type EdWriteResult,
  type EdYearGroupAggregate,
} from './contract';

export const EDUCATION_SYSTEM = 'education';

/** Every part of a pupil's record the subgraph shows. */
export const ALL_INCLUDES: readonly EdInclude[] = [
  'enrolments',
  'attendance',
  'exclusions',
  'sen',
  'attainment',
];

type Query = Record<string, string | number | boolean | undefined>;

function isStaff(value: unknown): value is EdStaff {
  if (typeof value !== 'object' || value === null) return false;
  const staff = value as Partial<EdStaff>;
  return typeof staff.staff_id === 'string' && typeof staff.urn === 'string';
}

function isSessionMark(value: unknown): value is EdSessionMark {
  if (typeof value !== 'object' || value === null) return false;
  const mark = value as Partial<EdSessionMark>;
  return typeof mark.date === 'string' && typeof mark.code === 'string';
}

function isPupilSessionMarks(value: unknown): value is EdPupilSessionMarks {
  if (typeof value !== 'object' || value === null) return false;
  const pupil = value as Partial<EdPupilSessionMarks>;
  return (
    typeof pupil.upn === 'string' && Array.isArray(pupil.marks) && pupil.marks.every(isSessionMark)
  );
}

function isPutResult(value: unknown): value is EdDesignatedTeacherPutResult {
  if (!isRecord(value) || value.data === null) return false;
  const { meta } = value as { meta?: Partial<EdDesignatedTeacherPutResult['meta']> | null };
  return (
    typeof meta === 'object' &&
    meta !== null &&
    typeof meta.changed === 'boolean' &&
    meta.previous !== undefined
  );
}

/** Session mark look-ups in flight at once (the route answers one pupil). */

/** Pupils with what their records refer to, from one students batch per 500 UPNs. */
export interface EdStudentsWithSchools {
  students: EdStudentRecord[];
  /** Every school the students' enrolments and exclusions name that the system knows. */
  schools: EdSchool[];
  /** Those schools' designated teachers (a school with none on record has no entry). */
  designatedTeachers: EdDesignatedTeacher[];
}

const RELATED_INCLUDES: readonly EdRelatedInclude[] = ['schools', 'designated_teachers'];

/** `included` with both lists asked for, each item carrying the URN it is read by. */
function isIncludedSchools(
  value: unknown,
): value is { schools: EdSchool[]; designated_teachers: EdDesignatedTeacher[] } {
  if (typeof value !== 'object' || value === null) return false;
  const { schools, designated_teachers: teachers } = value as Record<string, unknown>;
  const hasUrn = (item: unknown) =>
    typeof item === 'object' &&
    item !== null &&
    typeof (item as { urn?: unknown }).urn === 'string';
  return (
    Array.isArray(schools) &&
    schools.every(hasUrn) &&
    Array.isArray(teachers) &&
    teachers.every(hasUrn)
  );
}

/** `{ data: [...], meta: { latest, more } }`, each entry stamped and of a known kind. */
function isChangePage(value: unknown): value is EdChangePage {
  if (!isList(value)) return false;
  const { meta } = value as { meta?: { latest?: unknown; more?: unknown } | null };
  return (
    typeof meta?.latest === 'number' &&
    typeof meta.more === 'boolean' &&
    value.data.every(
      (entry) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as EdChange).change_id === 'number' &&
        CHANGE_KINDS.has((entry as EdChange).kind),
    )
  );
}

const CHANGE_KINDS = new Set<unknown>(['session_mark', 'exclusion', 'enrolment']);

/** `{ data: {...}, meta: { changes: number[] } }`. */
function isWriteResult<T>(value: unknown): value is EdWriteResult<T> {
  if (!isRecord(value) || value.data === null) return false;
  const { meta } = value as { meta?: { changes?: unknown } | null };
  return Array.isArray(meta?.changes);
}

/** The part of `UpstreamClient` this client uses (tests may hand it a stand-in). */
export type EducationUpstream = Pick<UpstreamClient, 'get' | 'query' | 'write' | 'close'> &
  ExportingUpstream;

export class EducationClient extends SystemClient<EducationUpstream> {
  static fromConfig(config: UpstreamSettings): EducationClient {
    return new EducationClient(
      new UpstreamClient({
        system: EDUCATION_SYSTEM,
        ...config,
        routeTemplates: Object.values(ROUTES).map((route) => route.path),
      }),
    );
  }

  /** The pupils with these UPNs (unknown ones are simply absent). One request per 500 UPNs. */
  /** Whether `exportStudents` can be used (a stand-in transport cannot stream). */
  get canExport(): boolean {
    return canExport(this.upstream);
  }

  /**
   * The pupils with these UPNs (up to MAX_PER_EXPORT; unknown ones absent, a repeated one
   * once) in one request: records one at a time as they arrive, in the order of the list.
   * `fields`: only those fields of each record (and upn); absent, every field.
   */
  exportStudents(
    upns: readonly string[],
    include: readonly EdInclude[],
    fields?: readonly EdStudentExportField[],
  ): AsyncGenerator<EdStudentRecord, void, undefined> {
    const body: EdStudentExport = {
      upns: [...upns],
      include: [...include],
      ...(fields === undefined ? {} : { fields: [...fields] }),
    };
    return exportRecords<EdStudentRecord>(
      this.upstream,
      {
        system: EDUCATION_SYSTEM,
        route: routeName(ROUTES.studentsExport),
        ...ROUTES.studentsExport,
      },
      body,
      'upn',
    );
  }

  /**
   * Every school's year-group figures for one academic year, as `aggregates` reads them page
   * by page, in one streamed request: rows one at a time, in the pages' order.
   */
  exportAggregates(academicYear: string): AsyncGenerator<EdYearGroupAggregate, void, undefined> {
    const body: EdAggregateExport = { academic_year: academicYear };
    return exportRecords<EdYearGroupAggregate>(
      this.upstream,
      {
        system: EDUCATION_SYSTEM,
        route: routeName(ROUTES.aggregatesExport),
        ...ROUTES.aggregatesExport,
      },
      body,
      'urn',
    );
  }

  /**
   * The schools with these URNs (up to MAX_PER_EXPORT; unknown ones absent, a repeated one
   * once) in one streamed request, in the order of the list. `fields`: only those fields of
   * each record (and urn); absent, every field.
   */
  exportSchools(
    urns: readonly string[],
    fields?: readonly EdSchoolExportField[],
  ): AsyncGenerator<EdSchool, void, undefined> {
    const body: EdSchoolExport = {
      urns: [...urns],
      ...(fields === undefined ? {} : { fields: [...fields] }),
    };
    return exportRecords<EdSchool>(
      this.upstream,
      { system: EDUCATION_SYSTEM, route: routeName(ROUTES.schoolsExport), ...ROUTES.schoolsExport },
      body,
      'urn',
    );
  }

  async studentsByUpn(
    upns: readonly string[],
    include: readonly EdInclude[],
  ): Promise<EdStudentRecord[]> {
    const results = await Promise.all(
      chunked([...new Set(upns)], MAX_PER_PAGE).map((part) =>
        this.batch<EdStudentRecord>(ROUTES.studentsBatch, {
          upns: part,
          include: [...include],
        } satisfies EdStudentBatch),
      ),
    );
    return results.flat();
  }

  /**
   * The pupils with these UPNs (unknown ones are simply absent) with the parts asked for, and,
   * in the same request, every school their enrolments and exclusions name and those schools'
   * designated teachers (`include=schools,designated_teachers`). One request per 500 UPNs.
   */
  async studentsWithSchools(
    upns: readonly string[],
    include: readonly EdInclude[],
  ): Promise<EdStudentsWithSchools> {
    const route = ROUTES.studentsBatch;
    const results = await Promise.all(
      chunked([...new Set(upns)], MAX_PER_PAGE).map(async (part) => {
        const payload = await this.upstream.query<unknown>(route.path, {
          upns: part,
          include: [...include, ...RELATED_INCLUDES],
        } satisfies EdStudentBatch);
        const batch = expectBatch<EdStudentRecord>(payload, EDUCATION_SYSTEM, routeName(route));
        const included = (payload as { included?: unknown }).included;
        if (!isIncludedSchools(included)) throw unexpectedShape(EDUCATION_SYSTEM, routeName(route));
        return { students: batch.data, ...included };
      }),
    );
    return {
      students: results.flatMap((result) => result.students),
      schools: results.flatMap((result) => result.schools),
      designatedTeachers: results.flatMap((result) => result.designated_teachers),
    };
  }

  /** The schools with these URNs (unknown ones are simply absent). One request per 500 URNs. */
  async schoolsByUrn(urns: readonly string[]): Promise<EdSchool[]> {
    const results = await Promise.all(
      chunked([...new Set(urns)], MAX_PER_PAGE).map((part) =>
        this.batch<EdSchool>(ROUTES.schoolsBatch, { urns: part } satisfies EdSchoolBatch),
      ),
    );
    return results.flat();
  }

  /**
   * The looked-after pupils (this authority's and others') on a school's roll, every page,
   * with the parts asked for (none: the bare pupil). Null when the system does not know the
   * school.
   */
  async lookedAfterStudents(
    urn: string,
    include: readonly EdInclude[],
  ): Promise<EdStudentRecord[] | null> {
    return this.allPages<EdStudentRecord>(
      ROUTES.schoolStudents,
      pathOf(ROUTES.schoolStudents, { urn }),
      {
        ...(include.length > 0 ? { include: include.join(',') } : {}),
        looked_after: true,
      },
    );
  }

  /** Every designated teacher the system holds, every page. */
  async designatedTeachers(): Promise<EdDesignatedTeacher[]> {
    return this.list<EdDesignatedTeacher>(ROUTES.designatedTeachers, {});
  }

  /** The school's designated teacher for children looked after; null when none is recorded. */
  async designatedTeacher(urn: string): Promise<EdDesignatedTeacher | null> {
    const payload = await this.upstream.get<unknown>(pathOf(ROUTES.designatedTeacher, { urn }));
    if (payload === null) return null;
    if (!isRecord(payload))
      throw unexpectedShape(EDUCATION_SYSTEM, routeName(ROUTES.designatedTeacher));
    return payload.data as EdDesignatedTeacher | null;
  }

  /**
   * Every school the system holds that matches, every page: those of an authority
   * (`la_code`), or those with a pupil on roll now whom an authority looks after
   * (`looked_after_la`).
   */
  async schools(filter: { la_code?: string; looked_after_la?: string }): Promise<EdSchool[]> {
    return this.list<EdSchool>(ROUTES.schools, filter);
  }

  /** The staff of these schools in one role, every page. One request per 500 URNs. */
  async staffAt(urns: readonly string[], role: string): Promise<EdStaff[]> {
    const results = await Promise.all(
      chunked([...new Set(urns)], MAX_PER_PAGE).map((part) =>
        this.list<EdStaff>(ROUTES.staff, { role, urn: part.join(',') }, isStaff),
      ),
    );
    return results.flat();
  }

  /** Everyone on a school's staff; none for a school the system does not know (404). */
  async schoolStaff(urn: string): Promise<EdStaff[]> {
    if (!isUrn(urn)) return [];
    const payload = await this.upstream.get<unknown>(pathOf(ROUTES.schoolStaff, { urn }));
    if (payload === null) return [];
    if (!isList(payload, isStaff))
      throw unexpectedShape(EDUCATION_SYSTEM, routeName(ROUTES.schoolStaff));
    return payload.data;
  }

  /** Staff by id (absent when unknown). One request per 500 ids. */
  async staffByIds(ids: readonly string[]): Promise<EdStaff[]> {
    const results = await Promise.all(
      chunked([...new Set(ids)], MAX_PER_PAGE).map((part) =>
        this.batch<EdStaff>(ROUTES.staffBatch, { ids: part } satisfies EdStaffBatch, isStaff),
      ),
    );
    return results.flat();
  }

  /** Every school's year-group figures for all pupils in one academic year ("2025/26"). */
  async aggregates(academicYear: string): Promise<EdYearGroupAggregate[]> {
    return this.list<EdYearGroupAggregate>(ROUTES.aggregates, { academic_year: academicYear });
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
      pathOf(ROUTES.putDesignatedTeacher, { urn }),
      entry,
    );
    if (payload === null) return null;
    if (!isPutResult(payload))
      throw unexpectedShape(EDUCATION_SYSTEM, routeName(ROUTES.putDesignatedTeacher));
    return payload;
  }

  /**
   * Each pupil's session marks from `from` to `to` (inclusive), by UPN; unknown pupils are
   * absent. One request per 500 pupils (`POST /v1/attendance/sessions/batch`).
   */
  async sessionMarksByUpn(
    upns: readonly string[],
    from: string,
    to: string,
  ): Promise<Map<string, EdSessionMark[]>> {
    const results = await Promise.all(
      chunked([...new Set(upns)], MAX_PER_PAGE).map((part) =>
        this.batch<EdPupilSessionMarks>(
          ROUTES.sessionMarksBatch,
          { upns: part, from, to } satisfies EdSessionMarksBatch,
          isPupilSessionMarks,
        ),
      ),
    );
    return new Map(results.flat().map((pupil) => [pupil.upn, pupil.marks]));
  }

  /**
   * One page of the change feed: the changes with change_id after `updatedAfter` (0: from the
   * start), at most `limit` (1..500, default 100), in change_id order. A read: retried.
   */
  async changes(updatedAfter: number, limit?: number): Promise<EdChangePage> {
    const payload = await this.upstream.get<unknown>(pathOf(ROUTES.changes), {
      updated_after: updatedAfter,
      limit,
    });
    if (!isChangePage(payload)) {
      throw unexpectedShape(EDUCATION_SYSTEM, routeName(ROUTES.changes));
    }
    return payload;
  }

  /** Records a pupil's session mark (or corrects one). Null for an unknown pupil. */
  async recordSessionMark(
    upn: string,
    mark: EdSessionMarkPost,
  ): Promise<EdWriteResult<EdSessionMarkRecord> | null> {
    return this.post(ROUTES.recordSessionMark, { upn }, mark);
  }

  /** Records a suspension (MADE) or a proposed permanent exclusion. Null for an unknown pupil. */
  async recordExclusion(
    upn: string,
    exclusion: EdExclusionPost,
  ): Promise<EdWriteResult<EdExclusionRecord> | null> {
    return this.post(ROUTES.recordExclusion, { upn }, exclusion);
  }

  /** Decides a proposed permanent exclusion. Null for an unknown pupil or exclusion. */
  async updateExclusion(
    upn: string,
    exclusionId: string,
    decision: EdExclusionDecision,
  ): Promise<EdWriteResult<EdExclusionRecord> | null> {
    return this.post(ROUTES.updateExclusion, { upn, id: exclusionId }, decision);
  }

  /** The pupil joins a school's roll (ending their current main enrolment). Null: unknown pupil. */
  async recordEnrolment(
    upn: string,
    enrolment: EdEnrolmentPost,
  ): Promise<EdWriteResult<EdEnrolmentRecord> | null> {
    return this.post(ROUTES.recordEnrolment, { upn }, enrolment);
  }

  /** The pupil leaves a school's roll. Null for an unknown pupil. */
  async recordLeaving(
    upn: string,
    leaving: EdLeavingPost,
  ): Promise<EdWriteResult<EdEnrolmentRecord> | null> {
    return this.post(ROUTES.recordLeaving, { upn }, leaving);
  }

  /** A write route (never retried: it could apply twice); null on 404. A 400 fails as upstream. */
  private async post<T>(
    route: UpstreamRoute,
    params: Record<string, string>,
    body: unknown,
  ): Promise<EdWriteResult<T> | null> {
    const payload = await this.upstream.write<unknown>('POST', pathOf(route, params), body);
    if (payload === null) return null;
    if (!isWriteResult<T>(payload)) {
      throw unexpectedShape(EDUCATION_SYSTEM, routeName(route));
    }
    return payload;
  }

  /**
   * Reads a paged list to its end. A 404 is an unknown parent (null) only for a list under a
   * resource (`/schools/{urn}/...`); on a top-level list it is the system failing.
   */
  private async allPages<T>(
    route: UpstreamRoute,
    path: string,
    params: Query,
    isItem?: (value: unknown) => value is T,
  ): Promise<T[] | null> {
    const name = routeName(route);
    const underResource = route.path.includes('{');
    return readAllPages<T>(
      async (page): Promise<Paged<T> | null> => {
        const payload = await this.upstream.get<unknown>(path, {
          ...params,
          per_page: MAX_PER_PAGE,
          page,
        });
        if (payload === null && underResource) return null;
        return expectPaged<T>(payload, EDUCATION_SYSTEM, name, isItem);
      },
      { system: EDUCATION_SYSTEM, route: name },
    );
  }

  /** Reads a top-level paged list to its end (a 404 is the system failing, not "none"). */
  private async list<T>(
    route: UpstreamRoute,
    params: Query,
    isItem?: (value: unknown) => value is T,
  ): Promise<T[]> {
    return (await this.allPages<T>(route, pathOf(route), params, isItem)) ?? [];
  }

  /** A batch look-up: a batch route never 404s when the system is healthy. */
  private async batch<T>(
    route: UpstreamRoute,
    body: unknown,
    isItem?: (value: unknown) => value is T,
  ): Promise<T[]> {
    const payload = await this.upstream.query<unknown>(route.path, body);
    return expectBatch<T>(payload, EDUCATION_SYSTEM, routeName(route), isItem).data;
  }
}
