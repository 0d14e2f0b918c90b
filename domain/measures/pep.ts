/**
 * Personal Education Plan status (domain.md, "Personal Education Plans"): who needs a PEP, when
 * the first one is due, and whether a child's PEP is CURRENT, DUE, OVERDUE, NONE or
 * NOT_REQUIRED on a date. This is the single place the rule lives: the social care subgraph
 * uses it for a child's PEP record and the reporting subgraph for its PEP measures (and the
 * simulator's seed to shape its PEPs), so a report and a child's record always agree. Pure;
 * dates, terms and working days from the school calendar.
 *
 * - Only a completed PEP counts (the case system's STATUS COMPLETE or QA_APPROVED; a DRAFT is
 *   not held), and only a meeting on or before the date (a later one is planned, not held),
 *   in the period of care the child is in (a new period of care needs a new first PEP).
 * - The first PEP is due 20 school days after entering care, or after the third birthday for a
 *   child who entered care younger; 10 working days after an emergency placement (the
 *   placement that began the period of care, as the case system records it).
 * - Terms are the LA's (school-calendar.ts); during a holiday "this term" is the term just
 *   ended, which is what `termOf` answers.
 */
import type { ScChildRecord, ScPep } from '../../upstream/social-care/contract';
import {
  addSchoolDays,
  addWorkingDays,
  ageOn,
  nextTerm,
  previousTerm,
  termOf,
  yearGroupFor,
} from '../school-calendar';
import { chronological, episodeOn, isShortBreak, periodStart } from './period-of-care';

export type PepStatus = 'CURRENT' | 'DUE' | 'OVERDUE' | 'NONE' | 'NOT_REQUIRED';

/** The first PEP is due this many school days after entering care (or the third birthday). */
export const FIRST_PEP_SCHOOL_DAYS = 20;
/** ... or this many working days after an emergency placement. */
export const FIRST_PEP_WORKING_DAYS_AFTER_EMERGENCY = 10;

/** The case system's PEP statuses that mean the PEP was held and completed. */
const COMPLETED: ReadonlySet<ScPep['STATUS']> = new Set(['COMPLETE', 'QA_APPROVED']);

/** What the rule reads about a child on a date. */
export interface PepFacts {
  dob: string;
  /** First day of the period of care the child is in on the date; null when not looked after. */
  inCareSince: string | null;
  /** The placement that began that period of care was an emergency placement. */
  emergencyPlacement: boolean;
  /** Every PEP the case system holds for the child (drafts and planned meetings included). */
  peps: ReadonlyArray<Pick<ScPep, 'MEETING_DATE' | 'STATUS'>>;
}

/** A child's PEP standing on a date: one answer for the profile and the reports. */
export interface PepStanding {
  status: PepStatus;
  /**
   * NONE: the first PEP's deadline. Otherwise the current term's last day when no completed
   * PEP is held this term, else the next term's last day. Null when no PEP is required.
   */
  nextReviewDue: string | null;
  /** The deadline for the first PEP of this period of care; null when no PEP is required. */
  firstPepDue: string | null;
  /** Meeting date of the latest completed PEP held in this period of care, if any. */
  lastCompleted: string | null;
}

/** The first PEP of a period of care: required from, due by, and the first completed one held. */
export interface FirstPep {
  /** Entry to care, or the third birthday for a child who entered younger. */
  requiredFrom: string;
  due: string;
  /** Meeting date of the first completed PEP of the period of care held by the date, if any. */
  held: string | null;
}

/** A PEP that counts: held and completed (COMPLETE or QA_APPROVED), not a draft. */
export function isCompletedPep(pep: Pick<ScPep, 'STATUS'>): boolean {
  return COMPLETED.has(pep.STATUS);
}

/** "PEP in date": CURRENT or DUE. */
export function isPepInDate(status: PepStatus): boolean {
  return status === 'CURRENT' || status === 'DUE';
}

/** The day a child turns 3 (a 29 February birthday counts from 1 March in other years). */
export function thirdBirthday(dob: string): string {
  const day = `${Number(dob.slice(0, 4)) + 3}${dob.slice(4)}`;
  if (dob.slice(5) === '02-29' && ageOn(dob, day.replace('-02-29', '-02-28')) < 3) {
    return day.replace('-02-29', '-03-01');
  }
  return day;
}

/**
 * Of PEP age: from the third birthday to the end of Year 13 (the national curriculum year
 * group by the school calendar's rule; none above Year 13).
 */
export function isOfPepAge(dob: string, on: string): boolean {
  return ageOn(dob, on) >= 3 && yearGroupFor(dob, on) !== null;
}

/** Completed PEPs held in the period of care by `on`, oldest first (meeting dates). */
function completedHeld(facts: PepFacts, since: string, on: string): string[] {
  return facts.peps
    .filter((pep) => isCompletedPep(pep) && pep.MEETING_DATE >= since && pep.MEETING_DATE <= on)
    .map((pep) => pep.MEETING_DATE)
    .sort();
}

/**
 * The first PEP of the period of care the child is in, as of `on`. Null when not looked after,
 * or when the child is not of PEP age on the day it would be required (past Year 13).
 */
export function firstPep(facts: PepFacts, on: string): FirstPep | null {
  const entered = facts.inCareSince;
  if (entered === null) return null;
  const birthday = thirdBirthday(facts.dob);
  const requiredFrom = entered > birthday ? entered : birthday;
  if (!isOfPepAge(facts.dob, requiredFrom)) return null;
  // The emergency rule is about the placement that began care: not for a child who turns 3 later.
  const due =
    facts.emergencyPlacement && requiredFrom === entered
      ? addWorkingDays(entered, FIRST_PEP_WORKING_DAYS_AFTER_EMERGENCY)
      : addSchoolDays(requiredFrom, FIRST_PEP_SCHOOL_DAYS);
  return { requiredFrom, due, held: completedHeld(facts, entered, on)[0] ?? null };
}

const NOT_REQUIRED: PepStanding = {
  status: 'NOT_REQUIRED',
  nextReviewDue: null,
  firstPepDue: null,
  lastCompleted: null,
};

/** The PEP status on `on` (domain.md's rules; see the file comment). */
export function pepStanding(facts: PepFacts, on: string): PepStanding {
  if (facts.inCareSince === null || !isOfPepAge(facts.dob, on)) return NOT_REQUIRED;
  const first = firstPep(facts, on);
  if (first === null) return NOT_REQUIRED;
  const held = completedHeld(facts, facts.inCareSince, on);
  const lastCompleted = held[held.length - 1] ?? null;
  // During a holiday this is the term just ended.
  const thisTerm = termOf(on);
  const base = { firstPepDue: first.due, lastCompleted };
  if (lastCompleted === null) {
    return on <= first.due
      ? { status: 'NONE', nextReviewDue: first.due, ...base }
      : { status: 'OVERDUE', nextReviewDue: thisTerm.end, ...base };
  }
  const lastTerm = termOf(lastCompleted).start;
  if (lastTerm === thisTerm.start) {
    return { status: 'CURRENT', nextReviewDue: nextTerm(on).end, ...base };
  }
  const status = lastTerm === previousTerm(on).start ? 'DUE' : 'OVERDUE';
  return { status, nextReviewDue: thisTerm.end, ...base };
}

/**
 * What the rule reads from a case record on `on`: the period of care open that day (short
 * breaks, V3/V4, are not looked after for this), whether the placement that began it was an
 * emergency placement, and the PEPs. Needs the record's episodes, placements and PEPs.
 */
export function pepFactsOf(
  record: Pick<ScChildRecord, 'CHILD' | 'DOB' | 'episodes' | 'placements' | 'peps'>,
  on: string,
): PepFacts {
  const episodes = chronological(record.episodes ?? []);
  const episode = episodeOn(episodes, on);
  const inCareSince =
    episode === null || isShortBreak(episode) ? null : periodStart(episodes, episode);
  const placement =
    inCareSince === null
      ? undefined
      : (record.placements ?? []).find((p) => p.CHILD === record.CHILD && p.DECOM === inCareSince);
  return {
    dob: record.DOB,
    inCareSince,
    emergencyPlacement: placement?.EMERGENCY === true,
    peps: record.peps ?? [],
  };
}

/** The PEP standing of a case record on `on`: what the profile and the reports both show. */
export function pepStandingOf(
  record: Pick<ScChildRecord, 'CHILD' | 'DOB' | 'episodes' | 'placements' | 'peps'>,
  on: string,
): PepStanding {
  return pepStanding(pepFactsOf(record, on), on);
}
