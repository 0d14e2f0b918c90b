/**
 * Worklists: the questions a Virtual School officer asks each morning, as criteria on
 * `children(filter: {worklist: ...})`. A child is on the worklist when ANY criterion given
 * matches (the reasons say which); the worklist is combined with the rest of the filter by
 * AND. This module checks the input (bad values are BAD_USER_INPUT naming the field, before
 * anything runs) and decides each criterion from facts already read (`worklist-facts.ts`
 * reads them in batches). Pure, apart from the input errors.
 */
import type { ArgumentCategories } from '../../lib/authz/arguments';
import { badUserInput } from '../../lib/errors';
import { pepStandingOf } from '../../domain/measures/pep';
import {
  attendanceOfMarks,
  isAttendanceBelow,
  lastWeeksRange,
  thisTermRange,
  type AttendancePeriod,
  type DateRange,
} from '../../domain/measures/attendance-period';
import { enrolmentOn, isOfSchoolAge, movedSchoolSince } from '../../domain/measures/school-roll';
import { addDays, isoToDayNumber } from '../../domain/school-calendar';
import type { EdSessionMark, EdStudentRecord } from '../../upstream/education/contract';
import type { ScChildRecord } from '../../upstream/social-care/contract';

/** The schema's `WorklistFilter` as it arrives (omitted and null mean the same). */
export interface WorklistInput {
  pepOverdue?: boolean | null;
  pepDueWithinDays?: number | null;
  attendanceBelowPercent?: number | null;
  attendancePeriod?: AttendancePeriod | null;
  attendanceWeeks?: number | null;
  suspendedSince?: string | null;
  notOnRoll?: boolean | null;
  placementMovedSince?: string | null;
  schoolMovedSince?: string | null;
  noDesignatedTeacher?: boolean | null;
}

const isTrue = (value: unknown) => value === true;

/**
 * What each criterion reads (access.md, "Arguments are reads"): PEP timeliness is PEP;
 * attendance, suspensions, the roll, school moves and the school's designated teacher are
 * EDU; placement moves are PLACEMENT. A false flag selects nothing, so it reads nothing. The
 * period and weeks only qualify `attendanceBelowPercent`.
 */
export const WORKLIST_CATEGORIES: ArgumentCategories = {
  pepOverdue: { category: 'PEP', used: isTrue },
  pepDueWithinDays: { category: 'PEP' },
  attendanceBelowPercent: { category: 'EDU' },
  suspendedSince: { category: 'EDU' },
  notOnRoll: { category: 'EDU', used: isTrue },
  schoolMovedSince: { category: 'EDU' },
  noDesignatedTeacher: { category: 'EDU', used: isTrue },
  placementMovedSince: { category: 'PLACEMENT' },
};

export type WorklistReason =
  | 'PEP_OVERDUE'
  | 'PEP_DUE_SOON'
  | 'ATTENDANCE_BELOW'
  | 'SUSPENDED'
  | 'NOT_ON_ROLL'
  | 'SCHOOL_MOVED'
  | 'NO_DESIGNATED_TEACHER'
  | 'PLACEMENT_MOVED';

/** A checked worklist: each criterion, or null when not asked. */
export interface Worklist {
  pepOverdue: boolean;
  pepDueWithinDays: number | null;
  attendance: { belowPercent: number; range: DateRange } | null;
  suspendedSince: string | null;
  notOnRoll: boolean;
  schoolMovedSince: string | null;
  noDesignatedTeacher: boolean;
  placementMovedSince: string | null;
}

export const PEP_DUE_DAYS = { min: 1, max: 60 } as const;
export const ATTENDANCE_WEEKS = { min: 1, max: 52 } as const;

const field = (name: string) => `\`filter.worklist.${name}\``;

function wholeNumberIn(name: string, value: number, bounds: { min: number; max: number }) {
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw badUserInput(
      `${field(name)} must be a whole number from ${bounds.min} to ${bounds.max}.`,
    );
  }
}

/** A real calendar date (YYYY-MM-DD) no later than today. */
function pastDate(name: string, value: string | null | undefined, asOf: string): string | null {
  if (value === null || value === undefined) return null;
  try {
    isoToDayNumber(value);
  } catch {
    throw badUserInput(`${field(name)} must be a date (YYYY-MM-DD).`);
  }
  if (value > asOf) throw badUserInput(`${field(name)} must not be after today (${asOf}).`);
  return value;
}

/**
 * The worklist asked for, checked, with its dates fixed against `asOf` (the subgraph's
 * "today"); null when no criterion is given (then `children` lists as without a worklist).
 */
export function toWorklist(input: WorklistInput | null | undefined, asOf: string): Worklist | null {
  if (!input) return null;
  const pepDueWithinDays = input.pepDueWithinDays ?? null;
  if (pepDueWithinDays !== null) wholeNumberIn('pepDueWithinDays', pepDueWithinDays, PEP_DUE_DAYS);

  const percent = input.attendanceBelowPercent ?? null;
  const period = input.attendancePeriod ?? null;
  const weeks = input.attendanceWeeks ?? null;
  let attendance: Worklist['attendance'] = null;
  if (percent === null) {
    if (period !== null || weeks !== null) {
      throw badUserInput(
        `${field('attendancePeriod')} and ${field('attendanceWeeks')} qualify ${field('attendanceBelowPercent')}: give it too.`,
      );
    }
  } else {
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
      throw badUserInput(`${field('attendanceBelowPercent')} must be from 0 to 100.`);
    }
    if (period === 'LAST_WEEKS') {
      if (weeks === null) {
        throw badUserInput(`${field('attendanceWeeks')} is needed with LAST_WEEKS.`);
      }
      wholeNumberIn('attendanceWeeks', weeks, ATTENDANCE_WEEKS);
      attendance = { belowPercent: percent, range: lastWeeksRange(asOf, weeks) };
    } else {
      if (weeks !== null) {
        throw badUserInput(`${field('attendanceWeeks')} is only for LAST_WEEKS.`);
      }
      attendance = { belowPercent: percent, range: thisTermRange(asOf) };
    }
  }

  const worklist: Worklist = {
    pepOverdue: input.pepOverdue === true,
    pepDueWithinDays,
    attendance,
    suspendedSince: pastDate('suspendedSince', input.suspendedSince, asOf),
    notOnRoll: input.notOnRoll === true,
    schoolMovedSince: pastDate('schoolMovedSince', input.schoolMovedSince, asOf),
    noDesignatedTeacher: input.noDesignatedTeacher === true,
    placementMovedSince: pastDate('placementMovedSince', input.placementMovedSince, asOf),
  };
  return hasCriterion(worklist) ? worklist : null;
}

export function hasCriterion(worklist: Worklist): boolean {
  return (
    worklist.pepOverdue ||
    worklist.pepDueWithinDays !== null ||
    worklist.attendance !== null ||
    worklist.suspendedSince !== null ||
    worklist.notOnRoll ||
    worklist.schoolMovedSince !== null ||
    worklist.noDesignatedTeacher ||
    worklist.placementMovedSince !== null
  );
}

/** Which upstream facts the worklist needs beyond the case record. */
export function needsEducation(worklist: Worklist): boolean {
  return (
    worklist.attendance !== null ||
    worklist.suspendedSince !== null ||
    worklist.notOnRoll ||
    worklist.schoolMovedSince !== null ||
    worklist.noDesignatedTeacher
  );
}

/** What the criteria read about one child. */
export interface WorklistFacts {
  record: ScChildRecord;
  /** The pupil's education record (enrolments, attendance, exclusions); null when none is held. */
  student: EdStudentRecord | null;
  /** Session marks over the attendance range; null when not read or not held. */
  marks: readonly EdSessionMark[] | null;
  /** Schools with a designated teacher on the register. */
  schoolsWithDesignatedTeacher: ReadonlySet<string>;
}

// ---------------------------------------------------------------- the criteria

/** PEP overdue today (domain.md's rule, as the profile shows it). */
export function isPepOverdue(record: ScChildRecord, asOf: string): boolean {
  return pepStandingOf(record, asOf).status === 'OVERDUE';
}

/**
 * The next PEP (first or review) falls due from today to `days` days ahead, inclusive, and
 * is not already overdue.
 */
export function isPepDueWithin(record: ScChildRecord, asOf: string, days: number): boolean {
  const standing = pepStandingOf(record, asOf);
  if (standing.status === 'OVERDUE' || standing.nextReviewDue === null) return false;
  return standing.nextReviewDue >= asOf && standing.nextReviewDue <= addDays(asOf, days);
}

/** Attendance is held for the pupil: not at a school that sends no returns (or none at all). */
export function isAttendanceHeld(student: EdStudentRecord | null): student is EdStudentRecord {
  return student !== null && student.coverage.source !== 'NO_RETURN';
}

/** Attended below `percent` of possible sessions over the range; never when not held. */
export function isAttendanceBelowIn(
  student: EdStudentRecord | null,
  marks: readonly EdSessionMark[] | null,
  range: DateRange,
  percent: number,
): boolean {
  if (!isAttendanceHeld(student) || marks === null) return false;
  return isAttendanceBelow(attendanceOfMarks(marks, range), percent);
}

/** A suspension (FIXED) starting from `since` to today; exclusions not held never match. */
export function isSuspendedSince(
  student: EdStudentRecord | null,
  since: string,
  asOf: string,
): boolean {
  return (student?.exclusions ?? []).some(
    (e) => e.category === 'FIXED' && e.start_date >= since && e.start_date <= asOf,
  );
}

/**
 * Reception to Year 11 and on no school's roll today (no single or main registration open),
 * including a child the education system holds no record for.
 */
export function isNotOnRoll(
  record: ScChildRecord,
  student: EdStudentRecord | null,
  asOf: string,
): boolean {
  if (!isOfSchoolAge(record.DOB, asOf)) return false;
  return enrolmentOn(student?.enrolments ?? [], asOf) === null;
}

/** The school the child is on roll at today has no designated teacher on the register. */
export function hasNoDesignatedTeacher(
  student: EdStudentRecord | null,
  schoolsWithDesignatedTeacher: ReadonlySet<string>,
  asOf: string,
): boolean {
  const enrolment = enrolmentOn(student?.enrolments ?? [], asOf);
  return enrolment !== null && !schoolsWithDesignatedTeacher.has(enrolment.urn);
}

/** SSDA903 reasons for a new episode that mean a new placement: P, T, U, B (not S, L). */
export const PLACEMENT_CHANGE_RNE: ReadonlySet<string> = new Set(['P', 'T', 'U', 'B']);

/** An episode for a change of placement began from `since` to today. */
export function movedPlacementSince(record: ScChildRecord, since: string, asOf: string): boolean {
  return (record.episodes ?? []).some(
    (e) => PLACEMENT_CHANGE_RNE.has(e.RNE) && e.DECOM >= since && e.DECOM <= asOf,
  );
}

/** Every criterion the child matches, in the schema's order; empty when none. */
export function worklistReasons(
  worklist: Worklist,
  facts: WorklistFacts,
  asOf: string,
): WorklistReason[] {
  const { record, student } = facts;
  const reasons: WorklistReason[] = [];
  if (worklist.pepOverdue && isPepOverdue(record, asOf)) reasons.push('PEP_OVERDUE');
  if (worklist.pepDueWithinDays !== null && isPepDueWithin(record, asOf, worklist.pepDueWithinDays))
    reasons.push('PEP_DUE_SOON');
  if (
    worklist.attendance !== null &&
    isAttendanceBelowIn(
      student,
      facts.marks,
      worklist.attendance.range,
      worklist.attendance.belowPercent,
    )
  )
    reasons.push('ATTENDANCE_BELOW');
  if (worklist.suspendedSince !== null && isSuspendedSince(student, worklist.suspendedSince, asOf))
    reasons.push('SUSPENDED');
  if (worklist.notOnRoll && isNotOnRoll(record, student, asOf)) reasons.push('NOT_ON_ROLL');
  if (
    worklist.schoolMovedSince !== null &&
    movedSchoolSince(student?.enrolments ?? [], worklist.schoolMovedSince, asOf)
  )
    reasons.push('SCHOOL_MOVED');
  if (
    worklist.noDesignatedTeacher &&
    hasNoDesignatedTeacher(student, facts.schoolsWithDesignatedTeacher, asOf)
  )
    reasons.push('NO_DESIGNATED_TEACHER');
  if (
    worklist.placementMovedSince !== null &&
    movedPlacementSince(record, worklist.placementMovedSince, asOf)
  )
    reasons.push('PLACEMENT_MOVED');
  return reasons;
}
