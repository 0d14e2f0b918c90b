/**
 * PEP timeliness: who needs a personal education plan (looked after and of PEP age, from the
 * third birthday to the end of Year 13) and whether the last meeting held is in date (within the
 * current term or the previous 20 school days). This is the single place the rule lives: the
 * social care subgraph uses it for a child's PEP status and the reporting subgraph for its PEP
 * measures, so a report and a child's record always agree. Pure functions; dates by the school
 * calendar.
 */
import { addSchoolDays, ageOn, termOf, yearGroupFor } from '../school-calendar';

export type PepTimeliness = 'IN_DATE' | 'OVERDUE' | 'NONE' | 'NOT_REQUIRED';

/** A PEP is in date when its last review is within the current term or these school days. */
export const PEP_IN_DATE_SCHOOL_DAYS = 20;

/**
 * Of PEP age: from the third birthday to the end of Year 13 (the national curriculum year
 * group by the school calendar's rule; none above Year 13).
 */
export function isOfPepAge(dob: string, asOf: string): boolean {
  return ageOn(dob, asOf) >= 3 && yearGroupFor(dob, asOf) !== null;
}

/**
 * The domain rule: no PEP is required once care has ended or outside PEP age; otherwise NONE
 * without a PEP, IN_DATE when the last meeting held is within the current term or the previous
 * 20 school days, OVERDUE when it is older.
 */
export function pepTimeliness(
  lookedAfter: boolean,
  ofPepAge: boolean,
  lastMeeting: string | null,
  asOf: string,
): PepTimeliness {
  if (!lookedAfter || !ofPepAge) return 'NOT_REQUIRED';
  if (lastMeeting === null) return 'NONE';
  const inTerm = lastMeeting >= termOf(asOf).start;
  const inLastSchoolDays = lastMeeting >= addSchoolDays(asOf, -PEP_IN_DATE_SCHOOL_DAYS);
  return inTerm || inLastSchoolDays ? 'IN_DATE' : 'OVERDUE';
}
