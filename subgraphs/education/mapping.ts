/**
 * Pure mapping from the education system's payloads to the GraphQL shapes of
 * `education.graphql`. Schools are referred to by URN here; resolvers load them, so
 * every school a response names is fetched in one batch. How attendance is counted and the key
 * stage thresholds are shared with reporting, so they live in domain/measures/.
 */
import type {
  EdAttainment,
  EdDesignatedTeacher,
  EdEnrolment,
  EdExclusion,
  EdPhase,
  EdSchool,
  EdSen,
  EdStudentRecord,
} from '../../upstream/education/contract';
import { toKs2, toKs4, type Ks2Shape, type Ks4Shape } from '../../domain/measures/attainment';
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

export interface AttainmentShape {
  ks2: Ks2Shape | null;
  ks4: Ks4Shape | null;
}

export interface EducationShape {
  currentSchoolUrn: string | null;
  yearGroup: string | null;
  enrolments: EnrolmentShape[];
  attendance: AttendanceShape | null;
  exclusions: ExclusionShape[];
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

export function toAttainment(attainment: EdAttainment): AttainmentShape {
  return {
    ks2: attainment.ks2 ? toKs2(attainment.ks2) : null,
    ks4: attainment.ks4 ? toKs4(attainment.ks4) : null,
  };
}

// ---------------------------------------------------------------- a pupil

/**
 * A pupil's education. Every part is asked for with `include`; a part missing from the answer
 * reads as empty (no enrolments, no attendance summary, no exclusions, no SEN, no results).
 */
export function toEducation(record: EdStudentRecord): EducationShape {
  const enrolments = record.enrolments ?? [];
  const current = currentEnrolment(enrolments);
  return {
    currentSchoolUrn: current?.urn ?? null,
    yearGroup: current?.year_group ?? null,
    enrolments: toEnrolments(enrolments),
    attendance: record.attendance ? toAttendance(record.attendance) : null,
    exclusions: toExclusions(record.exclusions ?? []),
    sen: toSen(record.sen ?? { status: 'N', primary_need: null }),
    attainment: toAttainment(record.attainment ?? { ks2: null, ks4: null }),
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
