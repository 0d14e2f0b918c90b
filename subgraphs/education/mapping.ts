/**
 * Pure mapping from the education system's payloads to the GraphQL shapes of
 * `education.graphql`. Schools are referred to by URN here; resolvers load them, so
 * every school a response names is fetched in one batch. How attendance is counted and the key
 * stage thresholds are shared with reporting, so they live in domain/measures/.
 */
import type {
  EdAttainment,
  EdDataCoverage,
  EdDesignatedTeacher,
  EdEnrolment,
  EdExclusion,
  EdPhase,
  EdSchool,
  EdSen,
  EdStudentRecord,
} from '../../upstream/education/contract';
import {
  academicYearOfResult,
  latestResult,
  oldestFirst,
  toKs2,
  toKs4,
  type Ks2Shape,
  type Ks4Shape,
} from '../../domain/measures/attainment';
import { toAttendance, type AttendanceShape } from '../../domain/measures/attendance';
import { exclusionReasonLabel } from '../../domain/codes/exclusions';
import { senNeedLabel } from '../../domain/codes/sen';
import { localAuthorityName } from '../../domain/codes/local-authorities';

export interface CodedValue {
  code: string;
  label: string;
}

export interface LocalAuthority {
  code: string;
  name: string;
}

export interface PersonName {
  forename: string;
  surname: string;
  preferred: string | null;
  displayName: string;
}

export interface SchoolShape {
  urn: string;
  laestab: string;
  name: string;
  phase: EdPhase;
  type: string;
  localAuthority: LocalAuthority;
  inAuthority: boolean;
}

export type Registration = 'SINGLE' | 'DUAL_MAIN' | 'DUAL_SUBSIDIARY';

export interface EnrolmentShape {
  schoolUrn: string;
  yearGroup: string;
  entryDate: string;
  leavingDate: string | null;
  registration: Registration;
}

export type ExclusionKind = 'SUSPENSION' | 'PERMANENT_EXCLUSION';

export interface ExclusionShape {
  kind: ExclusionKind;
  startDate: string;
  sessions: number | null;
  reasons: CodedValue[];
  schoolUrn: string;
}

export type SenStatus = 'EHC_PLAN' | 'SEN_SUPPORT' | 'NONE';

export interface SenShape {
  status: SenStatus;
  primaryNeed: CodedValue | null;
}

/** A result with the academic year it belongs to (null when its year is not a year). */
export type Ks2ResultShape = Ks2Shape & { academicYear: string | null };
export type Ks4ResultShape = Ks4Shape & { academicYear: string | null };

export interface AttainmentShape {
  /** The most recent result. */
  ks2: Ks2ResultShape | null;
  ks4: Ks4ResultShape | null;
  /** Every result held, oldest first. */
  ks2Results: Ks2ResultShape[];
  ks4Results: Ks4ResultShape[];
}

export type EducationFeed = EdDataCoverage['source'];
export type EducationDataKind = 'ATTENDANCE' | 'EXCLUSIONS' | 'ATTAINMENT';

export interface EducationDataSourceShape {
  source: EducationFeed;
  latestReturnOn: string | null;
  /** What the education system holds none of for the pupil. */
  missing: EducationDataKind[];
}

export interface EducationShape {
  currentSchoolUrn: string | null;
  yearGroup: string | null;
  enrolments: EnrolmentShape[];
  dataSource: EducationDataSourceShape;
  /** Null when the system holds no attendance for the pupil this year. */
  attendance: AttendanceShape | null;
  /** Null when the system holds none (a school elsewhere that sends no returns): not "none". */
  exclusions: ExclusionShape[] | null;
  sen: SenShape;
  attainment: AttainmentShape;
}

export interface DesignatedTeacherShape {
  name: string;
  title: string | null;
  forename: string;
  surname: string;
  jobTitle: string;
  workEmail: string;
  workPhone: string;
  confirmedOn: string;
}

/**
 * A `Child` entity as this subgraph passes it on: social care's id (the federation key) and
 * the UPN social care records for the child (read from the scope facts, never sent as a key).
 */
export interface ChildReference {
  id: string;
  upn: string;
  /**
   * The facts this pupil's scope was decided on, under social care's seal (read from social
   * care in this request; lib/authz/vouched-facts.ts), so the subgraphs extending the child
   * need not read them again. Only on a pupil on roll (`PupilOnRoll.child` provides it).
   */
  scopeFacts?: string | null;
}

/** A looked-after pupil on a school's roll, as the education system knows them. */
export interface PupilShape {
  upn: string;
  name: PersonName;
  yearGroup: string;
  lookedAfterBy: LocalAuthority;
  education: EducationShape;
}

/**
 * A pupil on roll the caller may see. `child` links to social care only for a pupil this
 * authority looks after, by the id in social care's facts (see scoped-pupils.ts).
 */
export interface PupilOnRollShape extends PupilShape {
  /** The school whose roll the pupil was read from (what the school holds is per school). */
  rollUrn: string;
  child: ChildReference | null;
}

// ---------------------------------------------------------------- schools

export function toSchool(school: EdSchool, laCode: string): SchoolShape {
  return {
    urn: school.urn,
    laestab: school.laestab,
    name: school.name,
    phase: school.phase,
    type: school.type,
    localAuthority: { code: school.la_code, name: school.la_name },
    inAuthority: school.la_code === laCode,
  };
}

export function toDesignatedTeacher(teacher: EdDesignatedTeacher): DesignatedTeacherShape {
  return {
    name: [teacher.title, teacher.forename, teacher.surname]
      .filter((part) => part && part.trim() !== '')
      .join(' '),
    title: teacher.title,
    forename: teacher.forename,
    surname: teacher.surname,
    jobTitle: teacher.job_title,
    workEmail: teacher.email,
    workPhone: teacher.phone,
    confirmedOn: teacher.confirmed_on,
  };
}

// ---------------------------------------------------------------- roll

const REGISTRATION: Record<EdEnrolment['enrolment_status'], Registration> = {
  C: 'SINGLE',
  M: 'DUAL_MAIN',
  S: 'DUAL_SUBSIDIARY',
};

/** Which open enrolment is "the" school: the single registration, else the main dual one. */
const CURRENT_PREFERENCE: Record<EdEnrolment['enrolment_status'], number> = { C: 0, M: 1, S: 2 };

/** Newest entry first; on the same entry date an open enrolment before a closed one. */
function newestFirst(a: EdEnrolment, b: EdEnrolment): number {
  if (a.entry_date !== b.entry_date) return a.entry_date < b.entry_date ? 1 : -1;
  return Number(a.leaving_date !== null) - Number(b.leaving_date !== null);
}

/** The enrolment with no leaving date, preferring C over M over S (newest on a tie); null if none. */
export function currentEnrolment(enrolments: readonly EdEnrolment[]): EdEnrolment | null {
  const open = enrolments.filter((enrolment) => enrolment.leaving_date === null);
  open.sort(
    (a, b) =>
      CURRENT_PREFERENCE[a.enrolment_status] - CURRENT_PREFERENCE[b.enrolment_status] ||
      newestFirst(a, b),
  );
  return open[0] ?? null;
}

export function toEnrolments(enrolments: readonly EdEnrolment[]): EnrolmentShape[] {
  return [...enrolments].sort(newestFirst).map((enrolment) => ({
    schoolUrn: enrolment.urn,
    yearGroup: enrolment.year_group,
    entryDate: enrolment.entry_date,
    leavingDate: enrolment.leaving_date,
    registration: REGISTRATION[enrolment.enrolment_status],
  }));
}

// ---------------------------------------------------------------- exclusions, SEN, attainment

export function toExclusions(exclusions: readonly EdExclusion[]): ExclusionShape[] {
  return [...exclusions]
    .sort((a, b) => (a.start_date === b.start_date ? 0 : a.start_date < b.start_date ? 1 : -1))
    .map((exclusion) => ({
      kind: exclusion.category === 'PERMANENT' ? 'PERMANENT_EXCLUSION' : 'SUSPENSION',
      startDate: exclusion.start_date,
      // A permanent exclusion has no length, whatever the record says.
      sessions: exclusion.category === 'PERMANENT' ? null : exclusion.sessions,
      reasons: exclusion.reasons.map((code) => ({ code, label: exclusionReasonLabel(code) })),
      schoolUrn: exclusion.urn,
    }));
}

const SEN_STATUS: Record<EdSen['status'], SenStatus> = {
  E: 'EHC_PLAN',
  K: 'SEN_SUPPORT',
  N: 'NONE',
};

export function toSen(sen: EdSen): SenShape {
  const status = SEN_STATUS[sen.status];
  // A primary need is recorded only for pupils with SEN; a stray one on 'N' is noise.
  const primaryNeed =
    status !== 'NONE' && sen.primary_need
      ? { code: sen.primary_need, label: senNeedLabel(sen.primary_need) }
      : null;
  return { status, primaryNeed };
}

/**
 * Every key stage result held, oldest first, each naming its academic year, and the most recent
 * of each key stage. Null (none held, e.g. a school elsewhere that sends no returns) gives
 * empty lists; `EducationDataSource.missing` says which.
 */
export function toAttainment(attainment: EdAttainment | null): AttainmentShape {
  const ks2Results = oldestFirst(attainment?.ks2 ?? []);
  const ks4Results = oldestFirst(attainment?.ks4 ?? []);
  const ks2 = (result: EdAttainment['ks2'][number]): Ks2ResultShape => ({
    ...toKs2(result),
    academicYear: academicYearOfResult(result.year),
  });
  const ks4 = (result: EdAttainment['ks4'][number]): Ks4ResultShape => ({
    ...toKs4(result),
    academicYear: academicYearOfResult(result.year),
  });
  const latestKs2 = latestResult(ks2Results);
  const latestKs4 = latestResult(ks4Results);
  return {
    ks2: latestKs2 ? ks2(latestKs2) : null,
    ks4: latestKs4 ? ks4(latestKs4) : null,
    ks2Results: ks2Results.map(ks2),
    ks4Results: ks4Results.map(ks4),
  };
}

/**
 * Where the pupil's attendance, exclusions and attainment come from, and which of them the
 * system holds none of: a part it does not hold (null, or not in the answer) is missing, never
 * read as empty or zero.
 */
export function toDataSource(record: EdStudentRecord): EducationDataSourceShape {
  const missing: EducationDataKind[] = [];
  if (!record.attendance) missing.push('ATTENDANCE');
  if (!record.exclusions) missing.push('EXCLUSIONS');
  if (!record.attainment) missing.push('ATTAINMENT');
  return {
    source: record.coverage.source,
    // A return date only where the data come from returns.
    latestReturnOn:
      record.coverage.source === 'SCHOOL_RETURN' ? record.coverage.latest_return_on : null,
    missing,
  };
}

// ---------------------------------------------------------------- a pupil

/**
 * A pupil's education. Every part is asked for with `include`. Enrolments or SEN missing from
 * the answer read as none; attendance, exclusions or attainment missing (or null: the system
 * holds none, as for a school elsewhere that sends no returns) are not held, and `dataSource`
 * says so: never an empty list or zeros that would read as "no exclusions".
 */
export function toEducation(record: EdStudentRecord): EducationShape {
  const enrolments = record.enrolments ?? [];
  const current = currentEnrolment(enrolments);
  return {
    currentSchoolUrn: current?.urn ?? null,
    yearGroup: current?.year_group ?? null,
    enrolments: toEnrolments(enrolments),
    dataSource: toDataSource(record),
    attendance: record.attendance ? toAttendance(record.attendance) : null,
    exclusions: record.exclusions ? toExclusions(record.exclusions) : null,
    sen: toSen(record.sen ?? { status: 'N', primary_need: null }),
    attainment: toAttainment(record.attainment ?? null),
  };
}

/**
 * A looked-after pupil on a school's roll; null for a pupil who is not looked after. The link
 * to social care (`child`) needs social care's id, so it is added once scope is decided (see
 * scoped-pupils.ts), from the facts read for that.
 */
export function toPupil(record: EdStudentRecord, urn: string): PupilShape | null {
  const lookedAfterLa = record.looked_after_la;
  if (lookedAfterLa === null) return null;
  const enrolments = record.enrolments ?? [];
  const here = currentEnrolment(enrolments.filter((enrolment) => enrolment.urn === urn));
  const yearGroup =
    here?.year_group ??
    currentEnrolment(enrolments)?.year_group ??
    toEnrolments(enrolments)[0]?.yearGroup;
  return {
    upn: record.upn,
    name: {
      forename: record.forename,
      surname: record.surname,
      preferred: null,
      displayName: `${record.forename} ${record.surname}`,
    },
    // On a school's roll means enrolled there; an empty string only if the record says otherwise.
    yearGroup: yearGroup ?? '',
    lookedAfterBy: { code: lookedAfterLa, name: localAuthorityName(lookedAfterLa) },
    education: toEducation(record),
  };
}
