/**
 * A pupil's place on a school roll from the education system's enrolments: which school they
 * are on roll at on a date, and whether they moved school. Only single (C) and main dual (M)
 * registrations place a pupil at a school; a subsidiary (S) registration is the other school's
 * part of a dual registration. Pure.
 */
import type { EdEnrolment } from '../../upstream/education/contract';
import { academicYearStart, yearGroupFor, yearGroupIndex } from '../school-calendar';

/** A single or main dual registration: the ones that place a pupil at a school. */
export const isMainRegistration = (enrolment: EdEnrolment): boolean =>
  enrolment.enrolment_status !== 'S';

/**
 * Of school age for the question "is the child on a school's roll?": Reception to Year 11 by
 * date of birth (the worklists' `notOnRoll` and the NO_SCHOOL_PLACE alert ask it the same way).
 */
export function isOfSchoolAge(dob: string, on: string): boolean {
  const index = yearGroupIndex(yearGroupFor(dob, on) ?? '');
  return index >= yearGroupIndex('R') && index <= yearGroupIndex('11');
}

/** Every registration open on `date`, subsidiary dual ones too (each school the child attends). */
export function enrolmentsOpenOn(enrolments: readonly EdEnrolment[], date: string): EdEnrolment[] {
  return enrolments.filter(
    (e) => e.entry_date <= date && (e.leaving_date === null || e.leaving_date >= date),
  );
}

/** The single or main registration open on `date` (single preferred, newest first); null if none. */
export function enrolmentOn(enrolments: readonly EdEnrolment[], date: string): EdEnrolment | null {
  const open = enrolments.filter(
    (e) =>
      isMainRegistration(e) &&
      e.entry_date <= date &&
      (e.leaving_date === null || e.leaving_date >= date),
  );
  open.sort(
    (a, b) =>
      Number(a.enrolment_status !== 'C') - Number(b.enrolment_status !== 'C') ||
      b.entry_date.localeCompare(a.entry_date),
  );
  return open[0] ?? null;
}

/**
 * The pupil joined a school's roll (single or main registration) from `since` to `asOf`
 * inclusive after leaving another school's roll no later than that day: a move, not a first
 * admission.
 */
export function movedSchoolSince(
  enrolments: readonly EdEnrolment[],
  since: string,
  asOf: string,
): boolean {
  const main = enrolments.filter(isMainRegistration);
  return main.some(
    (joined) =>
      joined.entry_date >= since &&
      joined.entry_date <= asOf &&
      main.some(
        (left) =>
          left.urn !== joined.urn &&
          left.leaving_date !== null &&
          left.leaving_date <= joined.entry_date,
      ),
  );
}

/**
 * A mid-year school move in the period: a new single or main registration that started in the
 * period, after another one ended earlier in the same academic year (a move over the summer,
 * from one phase to the next, is not mid-year).
 */
export function movedMidYear(
  enrolments: readonly EdEnrolment[],
  from: string,
  to: string,
): boolean {
  const main = enrolments.filter(isMainRegistration);
  return main.some((joined) => {
    if (joined.entry_date < from || joined.entry_date > to) return false;
    const yearStart = academicYearStart(joined.entry_date);
    return main.some(
      (left) =>
        left !== joined &&
        left.urn !== joined.urn &&
        left.leaving_date !== null &&
        left.leaving_date >= yearStart &&
        left.leaving_date < joined.entry_date,
    );
  });
}
