/**
 * Attendance over part of a year, from session marks: this term (during a holiday, the term
 * just ended, as for PEPs) or the last N weeks. The marks are counted by code and measured by
 * the one attendance rule (`toAttendance`: D and the other not-possible codes out of every
 * total), so a period's rate and the year's summary never disagree about what counts. Pure.
 */
import type { EdSessionMark } from '../../upstream/education/contract';
import { academicYearOf, addDays, termOf } from '../school-calendar';
import { toAttendance, type AttendanceShape } from './attendance';

export type AttendancePeriod = 'THIS_TERM' | 'LAST_WEEKS';

export interface DateRange {
  from: string;
  to: string;
}

/** THIS_TERM: the term's first school day to today (or its last day, during a holiday). */
export function thisTermRange(asOf: string): DateRange {
  const term = termOf(asOf);
  return { from: term.start, to: asOf < term.end ? asOf : term.end };
}

/** LAST_WEEKS: the `weeks` * 7 days ending today, today included. */
export function lastWeeksRange(asOf: string, weeks: number): DateRange {
  return { from: addDays(asOf, 1 - weeks * 7), to: asOf };
}

/** The marks from `range.from` to `range.to` inclusive, measured as a summary would be. */
export function attendanceOfMarks(
  marks: readonly Pick<EdSessionMark, 'date' | 'code'>[],
  range: DateRange,
): AttendanceShape {
  const codes: Record<string, number> = {};
  for (const mark of marks) {
    if (mark.date < range.from || mark.date > range.to) continue;
    codes[mark.code] = (codes[mark.code] ?? 0) + 1;
  }
  return toAttendance({
    academic_year: academicYearOf(range.to),
    from: range.from,
    to: range.to,
    codes,
  });
}

/**
 * Attended strictly less than `percent` of possible sessions (exactly at it is not below).
 * Compared on the session counts, not the rounded rate. No possible session: not below.
 */
export function isAttendanceBelow(shape: AttendanceShape, percent: number): boolean {
  if (shape.possibleSessions === 0) return false;
  return shape.attendedSessions * 100 < percent * shape.possibleSessions;
}
