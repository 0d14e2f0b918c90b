/**
 * Per-request DataLoaders over the education system. Every look-up a request makes in one
 * tick goes out as one batch request; a list call primes the loaders with what it fetched,
 * so nothing is fetched twice. Made fresh per request: nothing cached outlives it.
 */
import DataLoader from 'dataloader';
import type {
  EdDesignatedTeacher,
  EdSchool,
  EdStudentRecord,
} from '../../upstream/education/contract';
import { ALL_INCLUDES, type EducationClient } from '../../upstream/education/client';
import { primeSchools } from './side-loaded';

export interface EducationLoaders {
  /** A pupil's full record by UPN (every part included); null when unknown. */
  student: DataLoader<string, EdStudentRecord | null>;
  /** A school by URN; null when unknown. */
  school: DataLoader<string, EdSchool | null>;
  /** A school's designated teacher by URN; null when none is recorded. */
  designatedTeacher: DataLoader<string, EdDesignatedTeacher | null>;
  /** The looked-after pupils on a school's roll by URN; null when the school is unknown. */
  lookedAfterPupils: DataLoader<string, EdStudentRecord[] | null>;
}

function byKey<T>(
  keys: readonly string[],
  records: readonly T[],
  keyOf: (record: T) => string,
): (T | null)[] {
  const found = new Map(records.map((record) => [keyOf(record), record]));
  return keys.map((key) => found.get(key) ?? null);
}

/**
 * From this many schools in one batch, read the system's whole designated-teacher list (paged,
 * 500 a request: one or two requests for an authority's schools) instead of one GET per school.
 */
export const DESIGNATED_TEACHER_LIST_THRESHOLD = 5;

/** One school's failure fails that school's field only, not every school's in the batch. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error('education look-up failed');
}

export function createEducationLoaders(client: EducationClient): EducationLoaders {
  const school = new DataLoader<string, EdSchool | null>(async (urns) =>
    byKey(urns, await client.schoolsByUrn(urns), (record) => record.urn),
  );

  const designatedTeacher = new DataLoader<string, EdDesignatedTeacher | null>(async (urns) => {
    if (urns.length < DESIGNATED_TEACHER_LIST_THRESHOLD) {
      return Promise.all(urns.map((urn) => client.designatedTeacher(urn).catch(asError)));
    }
    return byKey(urns, await client.designatedTeachers(), (teacher) => teacher.urn);
  });

  // The pupils' schools and designated teachers come in the same request (side-loaded), so a
  // profile's current school, enrolments, exclusions and designated teacher cost nothing more.
  const student = new DataLoader<string, EdStudentRecord | null>(async (upns) => {
    const found = await client.studentsWithSchools(upns, ALL_INCLUDES);
    primeSchools(found, school, designatedTeacher);
    return byKey(upns, found.students, (record) => record.upn);
  });

  const pupilsAt = async (urn: string): Promise<EdStudentRecord[] | null> => {
    const records = await client.lookedAfterStudents(urn, ALL_INCLUDES);
    // Fetched with every part included: a later reference to the same pupil is free.
    for (const record of records ?? []) student.prime(record.upn, record);
    return records;
  };
  const lookedAfterPupils = new DataLoader<string, EdStudentRecord[] | null>(async (urns) =>
    Promise.all(urns.map((urn) => pupilsAt(urn).catch(asError))),
  );

  return { student, school, designatedTeacher, lookedAfterPupils };
}
