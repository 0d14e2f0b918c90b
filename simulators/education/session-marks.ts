/**
 * A pupil's session-by-session marks, from the seed's `expandSessionMarks` (which lays the
 * summary's code counts over the school days of its range, per school), for every school
 * whose main roll (C or M) carries the pupil's attendance, merged in date and session order.
 * The main school marks D on the days its dual-registered pupil is at the other school. As the
 * summary, the marks stop at the latest return of a school elsewhere, and there are none for a
 * pupil whose school sends no returns.
 */
import type { EdSessionMark } from '../../upstream/education/contract';
import { expandSessionMarks, mainEnrolments } from '../seed/attendance';
import type { StudentFull } from '../seed/world';

const SESSION_ORDER = { AM: 0, PM: 1 } as const;

/** Marks between `from` and `to` inclusive (default: the summary's range), none after `asOf`. */
export function sessionMarksFor(
  student: StudentFull,
  asOf: string,
  from?: string,
  to?: string,
): EdSessionMark[] {
  const summary = student.attendance;
  if (!summary) return [];
  const urns = new Set(mainEnrolments(student.enrolments).map((e) => e.urn));
  return [...urns]
    .flatMap((urn) =>
      expandSessionMarks(student, urn, from ?? summary.from, to ?? summary.to, asOf),
    )
    .sort(
      (a, b) => a.date.localeCompare(b.date) || SESSION_ORDER[a.session] - SESSION_ORDER[b.session],
    );
}
