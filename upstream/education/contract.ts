/**
 * The LA's pupil database (fed by schools' MIS), API `/v1`, shaped like the MIS aggregation
 * APIs schools already use (Wonde style: `include=`, `per_page`, `{data, meta.pagination}`),
 * with batch look-up by UPN added. Dates are ISO `YYYY-MM-DD`. The payloads and the routes
 * CLA Graph calls (`schema/openapi/education.yaml`, checked by `contract.test.ts`).
 */
import type { UpstreamRoute } from '../common/contract';
import { exportFields, type ExportField } from '../common/export-fields';

export type EdPhase = 'NURSERY' | 'PRIMARY' | 'SECONDARY' | 'ALL_THROUGH' | 'SPECIAL' | 'PRU';

export interface EdSchool {
  urn: string;
  /** LA code + establishment number, e.g. "3404001". */
  laestab: string;
  name: string;
  phase: EdPhase;
  /** e.g. 'ACADEMY', 'COMMUNITY', 'FOUNDATION', 'VOLUNTARY_AIDED', 'SPECIAL', 'PRU', 'INDEPENDENT'. */
  type: string;
  la_code: string;
  la_name: string;
  postcode: string;
  updated_at: string;
  /**
   * The virtual school officer the authority links to this school (its contact for the
   * school's designated teacher); absent or null when none is assigned.
   */
  vs_link_officer?: EdLinkOfficer | null;
}

/** A virtual school officer, as the LA's education system records a school's link. */
export interface EdLinkOfficer {
  /** The officer's id in the council's directory (social care's worker id). */
  staff_id: string;
  name: string;
  job_title: string;
  email: string;
  phone: string;
}

export interface EdEnrolment {
  urn: string;
  /** N1 N2 R 1..13 */
  year_group: string;
  entry_date: string;
  leaving_date: string | null;
  /** C single registration, M main dual, S subsidiary dual. */
  enrolment_status: 'C' | 'M' | 'S';
}

/** A school year of session marks, summarised as counts per DfE code (2024 codes). */
export interface EdAttendanceSummary {
  /** e.g. "2026/27" */
  academic_year: string;
  from: string;
  to: string;
  /** Count of sessions per attendance code, e.g. { "/": 120, "\\": 118, "N": 4, "C": 2 }. */
  codes: Record<string, number>;
}

export interface EdSessionMark {
  date: string;
  session: 'AM' | 'PM';
  code: string;
  urn: string;
}

export interface EdSen {
  /** E EHC plan, K SEN support, N none. */
  status: 'E' | 'K' | 'N';
  /** e.g. SEMH, SLCN, ASD, MLD, SPLD, VI, HI, PD, OTH; null when none. */
  primary_need: string | null;
}

export interface EdExclusion {
  /** FIXED = suspension, PERMANENT = permanent exclusion. */
  category: 'FIXED' | 'PERMANENT';
  urn: string;
  start_date: string;
  /** Sessions (half days) of a suspension; null for a permanent exclusion. */
  sessions: number | null;
  /** Up to three of PP PA VP VA OW BU RA LG DS SM DA DM TH MT PH DB. */
  reasons: string[];
}

export interface EdKs2 {
  /** Calendar year of the summer the tests were taken, e.g. "2025" (academic year 2024/25). */
  year: string;
  reading_scaled: number | null;
  maths_scaled: number | null;
  /** Writing teacher assessment: GDS, EXS, WTS, PK... */
  writing_ta: string | null;
}

export interface EdKs4 {
  /** Calendar year of the summer the exams were taken, e.g. "2025" (academic year 2024/25). */
  year: string;
  attainment8: number | null;
  english_grade: number | null;
  maths_grade: number | null;
}

/**
 * Every key stage result the system holds for the pupil, each with its year, oldest first: a
 * pupil may hold more than one (one who sat the KS2 tests and then repeated Year 6); empty
 * when none.
 */
export interface EdAttainment {
  ks2: EdKs2[];
  ks4: EdKs4[];
}

/** Where the pupil's attendance, exclusions and attainment come from. */
export interface EdDataCoverage {
  /**
   * Of the pupil's current main school (for a pupil on no roll, their last one): LA_FEED, a
   * school in this authority (its MIS feeds the LA's system); SCHOOL_RETURN, a school elsewhere
   * that sends the Virtual School returns; NO_RETURN, a school elsewhere that sends none (or no
   * school at all).
   */
  source: 'LA_FEED' | 'SCHOOL_RETURN' | 'NO_RETURN';
  /** Date of the latest return received (SCHOOL_RETURN only); null otherwise. */
  latest_return_on: string | null;
}

export interface EdStudent {
  upn: string;
  forename: string;
  surname: string;
  dob: string;
  gender: 'M' | 'F';
  /** Census "looked after" flag. */
  looked_after: boolean;
  /** Code of the authority looking after the pupil (ours, or another for COLA); null if not looked after. */
  looked_after_la: string | null;
  updated_at: string;
}

export type EdInclude = 'enrolments' | 'attendance' | 'exclusions' | 'sen' | 'attainment';

/**
 * A pupil with the parts `include` asks for (absent when not asked for). `coverage` is always
 * there. For a pupil at a school elsewhere that sends returns, attendance and exclusions run to
 * the latest return (the summary's `to`); for NO_RETURN the system holds none of them, and
 * attendance, exclusions and attainment asked for are null (never an empty list or zeros).
 */
export interface EdStudentRecord extends EdStudent {
  coverage: EdDataCoverage;
  enrolments?: EdEnrolment[];
  /** The current academic year's summary; null when none is held. */
  attendance?: EdAttendanceSummary | null;
  /** This academic year's; null when none are held (NO_RETURN). */
  exclusions?: EdExclusion[] | null;
  sen?: EdSen;
  /** Null when none is held (NO_RETURN). */
  attainment?: EdAttainment | null;
}

/**
 * What `POST /v1/students/batch` can include besides the parts of each record: the records
 * those parts refer to, side-loaded once for the whole batch under `included` (`schools`: every
 * school the returned enrolments and exclusions name; `designated_teachers`: those schools'
 * designated teachers), so a profile needs no second and third request for them.
 */
export type EdRelatedInclude = 'schools' | 'designated_teachers';

/** A name `fields` of `POST /v1/exports/students` may hold (export-fields.ts). */
export type EdStudentExportField = ExportField<EdStudentRecord>;

/** Every EdStudentExportField (the OpenAPI file's `EdStudentExportField` enum). */
export const ED_STUDENT_EXPORT_FIELDS = exportFields<EdStudentRecord>()([
  'upn',
  'forename',
  'surname',
  'dob',
  'gender',
  'looked_after',
  'looked_after_la',
  'updated_at',
  'coverage',
  'coverage.source',
  'coverage.latest_return_on',
  'enrolments',
  'enrolments.urn',
  'enrolments.year_group',
  'enrolments.entry_date',
  'enrolments.leaving_date',
  'enrolments.enrolment_status',
  'attendance',
  'attendance.academic_year',
  'attendance.from',
  'attendance.to',
  'attendance.codes',
  'exclusions',
  'exclusions.category',
  'exclusions.urn',
  'exclusions.start_date',
  'exclusions.sessions',
  'exclusions.reasons',
  'sen',
  'sen.status',
  'sen.primary_need',
  'attainment',
  'attainment.ks2',
  'attainment.ks4',
]);

/** Body of `POST /v1/exports/students`. */
export interface EdStudentExport {
  /** At most MAX_PER_EXPORT. */
  upns: string[];
  include?: EdInclude[];
  /**
   * Only these fields of each record (and upn, always): a part's fields only with the part in
   * `include`. Absent: every field.
   */
  fields?: EdStudentExportField[];
}

/**
 * Body of `POST /v1/exports/aggregates`: the rows `GET /v1/aggregates` pages through, filtered
 * the same way, in one streamed request (a report reads every school's figures for a year).
 */
export interface EdAggregateExport {
  /** e.g. "2025/26"; absent, every year held. */
  academic_year?: string;
  urn?: string;
}

/** A name `fields` of `POST /v1/exports/schools` may hold (export-fields.ts). */
export type EdSchoolExportField = ExportField<EdSchool>;

/** Every EdSchoolExportField (the OpenAPI file's `EdSchoolExportField` enum). */
export const ED_SCHOOL_EXPORT_FIELDS = exportFields<EdSchool>()([
  'urn',
  'laestab',
  'name',
  'phase',
  'type',
  'la_code',
  'la_name',
  'postcode',
  'updated_at',
  'vs_link_officer',
  'vs_link_officer.staff_id',
  'vs_link_officer.name',
  'vs_link_officer.job_title',
  'vs_link_officer.email',
  'vs_link_officer.phone',
]);

/** Body of `POST /v1/exports/schools`: the records `schools/batch` answers, for a long list. */
export interface EdSchoolExport {
  /** At most MAX_PER_EXPORT. */
  urns: string[];
  /** Only these fields of each record (and urn, always). Absent: every field. */
  fields?: EdSchoolExportField[];
}

/** Body of `POST /v1/students/batch`. */
export interface EdStudentBatch {
  upns: string[];
  include?: Array<EdInclude | EdRelatedInclude>;
}

/**
 * `included` of `POST /v1/students/batch`, each list there only when asked for. A school the
 * records name that the system does not know is absent from `schools`; a school with no
 * designated teacher on record is absent from `designated_teachers`.
 */
export interface EdStudentBatchIncluded {
  schools?: EdSchool[];
  designated_teachers?: EdDesignatedTeacher[];
}

/** What `POST /v1/students/batch` answers. */
export interface EdStudentBatchResult {
  data: EdStudentRecord[];
  meta: { missing: string[] };
  /** Only when `include` asks for related records. */
  included?: EdStudentBatchIncluded;
}

/** Body of `POST /v1/attendance/sessions/batch`: marks of many pupils over one range. */
export interface EdSessionMarksBatch {
  upns: string[];
  from: string;
  to: string;
}

/** One pupil's marks in `POST /v1/attendance/sessions/batch`'s answer. */
export interface EdPupilSessionMarks {
  upn: string;
  marks: EdSessionMark[];
}

/** Body of `POST /v1/schools/batch`. */
export interface EdSchoolBatch {
  urns: string[];
}

export interface EdStaff {
  staff_id: string;
  urn: string;
  title: string | null;
  forename: string;
  surname: string;
  /** HEAD, DT, TEACHER, SENCO, GOVERNOR, OFFICE */
  role: string;
  job_title: string;
  email: string;
}

/** Body of `POST /v1/staff/batch`. */
export interface EdStaffBatch {
  ids: string[];
}

/** The school's designated teacher for children looked after, as the LA maintains it. */
export interface EdDesignatedTeacher {
  urn: string;
  /** The DT's staff record at the school; null when the entry names someone not (yet) in it. */
  staff_id: string | null;
  title: string | null;
  forename: string;
  surname: string;
  job_title: string;
  email: string;
  phone: string;
  /** When the school last confirmed the entry. */
  confirmed_on: string;
  updated_at: string;
}

/**
 * Body of `PUT /v1/schools/{urn}/designated-teacher`: the entry as it should now stand. The
 * system links it to the school's staff record with the same e-mail address, if any.
 */
export interface EdDesignatedTeacherPut {
  title: string | null;
  forename: string;
  surname: string;
  job_title: string;
  email: string;
  phone: string;
  /** When the school last confirmed the entry (not in the future). */
  confirmed_on: string;
}

/** What the PUT answers: the entry now, the one it replaced, and whether anything changed. */
export interface EdDesignatedTeacherPutResult {
  data: EdDesignatedTeacher;
  meta: { previous: EdDesignatedTeacher | null; changed: boolean };
}

/** School-level figures for all pupils of one year group, for the gap to peers. */
export interface EdYearGroupAggregate {
  urn: string;
  academic_year: string;
  year_group: string;
  pupils: number;
  possible_sessions: number;
  attended_sessions: number;
  persistent_absentees: number;
  severe_absentees: number;
  /** Pupils with one or more suspensions this academic year so far. */
  suspended_pupils: number;
  /** Suspensions this academic year so far (the DfE's suspension rate is these per 100 pupils). */
  suspensions: number;
  permanently_excluded: number;
  ehc_plan: number;
  sen_support: number;
  ks2_pupils: number;
  ks2_rwm_expected: number;
  ks4_pupils: number;
  ks4_attainment8_total: number;
  ks4_em_4plus: number;
  ks4_em_5plus: number;
}

/** A session mark recorded through `POST /v1/students/{upn}/session-marks`, as the feed carries it. */
export interface EdSessionMarkRecord extends EdSessionMark {
  upn: string;
}

/**
 * Where an exclusion stands: a suspension (FIXED) is MADE when recorded; a permanent exclusion
 * is PROPOSED first (the Virtual School's views are sought), then MADE or WITHDRAWN.
 */
export type EdExclusionStatus = 'PROPOSED' | 'MADE' | 'WITHDRAWN';

/**
 * An exclusion recorded through the write routes, with its id and status. Only MADE ones
 * appear among the pupil's `exclusions` (as `EdExclusion`).
 */
export interface EdExclusionRecord extends EdExclusion {
  upn: string;
  exclusion_id: string;
  status: EdExclusionStatus;
}

/** An enrolment begun (leaving_date null) or ended (leaving_date set), as the feed carries it. */
export interface EdEnrolmentRecord extends EdEnrolment {
  upn: string;
}

interface EdChangeStamp {
  /** Whole number from 1, in the order the changes were made; never reused. */
  change_id: number;
  /** When the system recorded the change (wall-clock, ISO date-time). */
  changed_at: string;
}

/** One entry of `GET /v1/changes`: a change made through the write routes. */
export type EdChange = EdChangeStamp &
  (
    | { kind: 'session_mark'; record: EdSessionMarkRecord }
    | { kind: 'exclusion'; record: EdExclusionRecord }
    | { kind: 'enrolment'; record: EdEnrolmentRecord }
  );

export type EdChangeKind = EdChange['kind'];

/**
 * What `GET /v1/changes?updated_after=<change_id>&limit=<n>` answers: the changes after the
 * cursor in change_id order; `latest` the highest change_id so far (0 when none), `more` true
 * when entries after the last one here exist.
 */
export interface EdChangePage {
  data: EdChange[];
  meta: { latest: number; more: boolean };
}

/** Body of `POST /v1/students/{upn}/session-marks` (a new mark, or a correction of one). */
export interface EdSessionMarkPost {
  date: string;
  session: 'AM' | 'PM';
  /** A DfE attendance code (2024 codes). */
  code: string;
  /** The school whose main roll the pupil is on that day. */
  urn: string;
}

/** Body of `POST /v1/students/{upn}/exclusions`. */
export interface EdExclusionPost {
  category: 'FIXED' | 'PERMANENT';
  /** MADE for a suspension (FIXED); PROPOSED for a permanent exclusion. */
  status: EdExclusionStatus;
  urn: string;
  start_date: string;
  /** Sessions of a suspension (1..90); null for a permanent exclusion. */
  sessions: number | null;
  /** One to three reason codes. */
  reasons: string[];
}

/** Body of `POST /v1/students/{upn}/exclusions/{id}`: decides a PROPOSED permanent exclusion. */
export interface EdExclusionDecision {
  status: 'MADE' | 'WITHDRAWN';
}

/** Body of `POST /v1/students/{upn}/enrolments`: joins a roll (single registration). */
export interface EdEnrolmentPost {
  urn: string;
  year_group: string;
  entry_date: string;
}

/** Body of `POST /v1/students/{upn}/enrolments/leave`: leaves a roll. */
export interface EdLeavingPost {
  urn: string;
  leaving_date: string;
}

/** What a write route answers: the record now, and the change_ids it logged (none: no change). */
export interface EdWriteResult<T> {
  data: T;
  meta: { changes: number[] };
}

/** The routes CLA Graph calls. */
export const EDUCATION_ROUTES = {
  schools: {
    method: 'GET',
    path: '/v1/schools',
    query: ['la_code', 'looked_after_la', 'page', 'per_page'],
    response: 'PagedEdSchool',
  },
  schoolsBatch: { method: 'POST', path: '/v1/schools/batch', response: 'BatchEdSchool' },
  schoolStudents: {
    method: 'GET',
    path: '/v1/schools/{urn}/students',
    query: ['include', 'looked_after', 'page', 'per_page'],
    response: 'PagedEdStudentRecord',
  },
  schoolStaff: { method: 'GET', path: '/v1/schools/{urn}/staff' },
  designatedTeacher: { method: 'GET', path: '/v1/schools/{urn}/designated-teacher' },
  putDesignatedTeacher: {
    method: 'PUT',
    path: '/v1/schools/{urn}/designated-teacher',
    response: 'EdDesignatedTeacherPutResult',
  },
  studentsBatch: { method: 'POST', path: '/v1/students/batch', response: 'BatchEdStudentRecord' },
  /** NDJSON, one EdStudentRecord a line (a bulk export: `streamLines`). */
  studentsExport: { method: 'POST', path: '/v1/exports/students' },
  /** NDJSON, one EdYearGroupAggregate a line. */
  aggregatesExport: { method: 'POST', path: '/v1/exports/aggregates' },
  /** NDJSON, one EdSchool a line. */
  schoolsExport: { method: 'POST', path: '/v1/exports/schools' },
  sessionMarksBatch: {
    method: 'POST',
    path: '/v1/attendance/sessions/batch',
    response: 'BatchEdPupilSessionMarks',
  },
  staff: {
    method: 'GET',
    path: '/v1/staff',
    query: ['role', 'urn', 'page', 'per_page'],
    response: 'PagedEdStaff',
  },
  staffBatch: { method: 'POST', path: '/v1/staff/batch', response: 'BatchEdStaff' },
  designatedTeachers: {
    method: 'GET',
    path: '/v1/designated-teachers',
    query: ['page', 'per_page'],
    response: 'PagedEdDesignatedTeacher',
  },
  aggregates: {
    method: 'GET',
    path: '/v1/aggregates',
    query: ['academic_year', 'page', 'per_page'],
    response: 'PagedEdYearGroupAggregate',
  },
  changes: {
    method: 'GET',
    path: '/v1/changes',
    query: ['updated_after', 'limit'],
    response: 'EdChangePage',
  },
  recordSessionMark: {
    method: 'POST',
    path: '/v1/students/{upn}/session-marks',
    response: 'EdSessionMarkWriteResult',
  },
  recordExclusion: {
    method: 'POST',
    path: '/v1/students/{upn}/exclusions',
    response: 'EdExclusionWriteResult',
  },
  updateExclusion: {
    method: 'POST',
    path: '/v1/students/{upn}/exclusions/{id}',
    response: 'EdExclusionWriteResult',
  },
  recordEnrolment: {
    method: 'POST',
    path: '/v1/students/{upn}/enrolments',
    response: 'EdEnrolmentWriteResult',
  },
  recordLeaving: {
    method: 'POST',
    path: '/v1/students/{upn}/enrolments/leave',
    response: 'EdEnrolmentWriteResult',
  },
  health: { method: 'GET', path: '/health', response: 'Health' },
} as const satisfies Record<string, UpstreamRoute>;
