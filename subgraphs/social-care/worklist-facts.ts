/**
 * The facts a worklist reads about its candidate children, in batches: the education
 * system's pupil records (enrolments, attendance coverage, exclusions) one request per 500
 * pupils, the designated teacher register once, and, for an attendance criterion, session
 * marks over the period for the pupils whose attendance is held (one request per 500
 * pupils). Nothing is read that the worklist does not ask about.
 */
import type { EducationClient } from '../../upstream/education/client';
import type { EdSessionMark, EdStudentRecord } from '../../upstream/education/contract';
import type { ScChildRecord } from '../../upstream/social-care/contract';
import { isUpn } from './identifiers';
import { isAttendanceHeld, needsEducation, type Worklist, type WorklistFacts } from './worklist';

export type WorklistEducation = Pick<
  EducationClient,
  'studentsByUpn' | 'designatedTeachers' | 'sessionMarksByUpn'
>;

export async function readWorklistFacts(
  worklist: Worklist,
  records: readonly ScChildRecord[],
  education: WorklistEducation,
): Promise<WorklistFacts[]> {
  const students = new Map<string, EdStudentRecord>();
  const marks = new Map<string, EdSessionMark[]>();
  let schoolsWithDesignatedTeacher: ReadonlySet<string> = new Set();

  if (needsEducation(worklist)) {
    // UN1..UN5 are shared by every child whose UPN is unknown: never a key to one pupil.
    const upns = records.map((record) => record.UPN).filter(isUpn);
    const [found, register] = await Promise.all([
      upns.length > 0
        ? education.studentsByUpn(upns, ['enrolments', 'attendance', 'exclusions'])
        : Promise.resolve([]),
      worklist.noDesignatedTeacher ? education.designatedTeachers() : Promise.resolve([]),
    ]);
    for (const student of found) students.set(student.upn, student);
    schoolsWithDesignatedTeacher = new Set(register.map((entry) => entry.urn));

    const attendance = worklist.attendance;
    if (attendance !== null) {
      const held = [...students.values()].filter(isAttendanceHeld).map((s) => s.upn);
      if (held.length > 0) {
        const found = await education.sessionMarksByUpn(
          held,
          attendance.range.from,
          attendance.range.to,
        );
        for (const [upn, list] of found) marks.set(upn, list);
      }
    }
  }

  return records.map((record) => ({
    record,
    student: isUpn(record.UPN) ? (students.get(record.UPN) ?? null) : null,
    marks: isUpn(record.UPN) ? (marks.get(record.UPN) ?? null) : null,
    schoolsWithDesignatedTeacher,
  }));
}
