/**
 * `POST /v1/students/batch` with `include=schools,designated_teachers`: the records a batch of
 * pupils refers to, side-loaded once under `included` (a compound document, as JSON:API's
 * `included`), so a caller showing pupils with their schools and designated teachers makes one
 * request instead of three in a row (students, then schools, then designated teachers).
 */
import type {
  EdDesignatedTeacher,
  EdInclude,
  EdRelatedInclude,
  EdSchool,
  EdStudentBatchIncluded,
  EdStudentRecord,
} from '../../upstream/education/contract';
import type { EducationStore } from './store';

type BatchInclude = EdInclude | EdRelatedInclude;

const RECORD_PARTS: ReadonlySet<BatchInclude> = new Set<EdInclude>([
  'enrolments',
  'attendance',
  'exclusions',
  'sen',
  'attainment',
]);

/** The parts of each record asked for (the rest of `include` names related records). */
export function recordParts(include: readonly BatchInclude[]): Set<EdInclude> {
  return new Set(include.filter((part): part is EdInclude => RECORD_PARTS.has(part)));
}

/**
 * Every school the records' enrolments and exclusions name (as returned: include those parts
 * for their schools), in the order first named.
 */
export function schoolsNamed(records: readonly EdStudentRecord[]): string[] {
  const urns = new Set<string>();
  for (const record of records) {
    for (const enrolment of record.enrolments ?? []) urns.add(enrolment.urn);
    for (const exclusion of record.exclusions ?? []) urns.add(exclusion.urn);
  }
  return [...urns];
}

/**
 * `included` for the related records `include` asks for; undefined when it asks for none
 * (the answer is then exactly what it was before the route could side-load).
 */
export function includedFor(
  records: readonly EdStudentRecord[],
  include: readonly BatchInclude[],
  store: Pick<EducationStore, 'school' | 'designatedTeacher'>,
): EdStudentBatchIncluded | undefined {
  const wantSchools = include.includes('schools');
  const wantTeachers = include.includes('designated_teachers');
  if (!wantSchools && !wantTeachers) return undefined;
  const urns = schoolsNamed(records);
  const included: EdStudentBatchIncluded = {};
  if (wantSchools) {
    included.schools = urns
      .map((urn) => store.school(urn))
      .filter((school): school is EdSchool => school !== undefined);
  }
  if (wantTeachers) {
    included.designated_teachers = urns
      .map((urn) => store.designatedTeacher(urn))
      .filter((teacher): teacher is EdDesignatedTeacher => teacher !== undefined);
  }
  return included;
}
