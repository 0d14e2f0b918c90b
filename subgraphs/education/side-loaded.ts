/**
 * What a students batch side-loads (`include=schools,designated_teachers`) put where the
 * resolvers look for it: the per-request school and designated-teacher loaders. Every school
 * the pupils' records name is primed, found or not, so naming a school the system does not
 * know, or one with no designated teacher on record, costs no further request either: the
 * batch's answer already says so (absent from `included`), exactly as the single look-ups
 * would (unknown: null; no teacher on record: null).
 */
import type DataLoader from 'dataloader';
import type {
  EdDesignatedTeacher,
  EdSchool,
  EdStudentRecord,
} from '../../upstream/education/contract';
import type { EdStudentsWithSchools } from '../../upstream/education/client';

/** Every school the records' enrolments and exclusions name (what the system side-loads). */
export function schoolsNamedBy(records: readonly EdStudentRecord[]): Set<string> {
  const urns = new Set<string>();
  for (const record of records) {
    for (const enrolment of record.enrolments ?? []) urns.add(enrolment.urn);
    for (const exclusion of record.exclusions ?? []) urns.add(exclusion.urn);
  }
  return urns;
}

/** Primes the loaders with the batch's schools and designated teachers (null where none). */
export function primeSchools(
  found: EdStudentsWithSchools,
  school: DataLoader<string, EdSchool | null>,
  designatedTeacher: DataLoader<string, EdDesignatedTeacher | null>,
): void {
  const schools = new Map(found.schools.map((record) => [record.urn, record]));
  const teachers = new Map(found.designatedTeachers.map((teacher) => [teacher.urn, teacher]));
  // Only the schools the records name: anything else in `included` is not vouched for as
  // complete, so it is not taken as an answer for its URN.
  for (const urn of schoolsNamedBy(found.students)) {
    // prime() keeps a value already loaded in this request: the first answer stands.
    school.prime(urn, schools.get(urn) ?? null);
    designatedTeacher.prime(urn, teachers.get(urn) ?? null);
  }
}
