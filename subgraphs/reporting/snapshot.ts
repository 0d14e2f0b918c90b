/**
 * Published snapshot dates (shared/spec/access.md, "Time is a channel"). Roles without
 * individual access (analyst, governor) see figures as of the last completed month end, and
 * term measures (PEP in date) as of the last completed term end: the same answer all month,
 * so two reports a day apart cannot single out the child who came into or left care that day.
 * Each snapshot is checked against the one before it (disclosure/, the change rule). The
 * virtual school head, who may read every child's record anyway, keeps current figures.
 */
import type { Caller } from '../../identity/caller';
import { addDays, previousTerm, termOf } from '../../domain/school-calendar';

export interface Snapshot {
  /** The last completed month end: the report is as of this day. */
  date: string;
  /** The month end before it: the snapshot the change rule compares with. */
  previous: string;
  /** The last completed term end on or before `date`: term measures are as of this day. */
  termDate: string;
  /** The same for `previous`. */
  previousTermDate: string;
}

/** The last day of the month before the one `date` is in. */
export function lastMonthEnd(date: string): string {
  return addDays(`${date.slice(0, 7)}-01`, -1);
}

/**
 * The last term end on or before `date` (the day itself when it ends a term): terms are the
 * LA's, so in a holiday it is the last school day of the term just ended.
 */
export function lastTermEnd(date: string): string {
  const term = termOf(date);
  return term.end <= date ? term.end : previousTerm(date).end;
}

/** The published snapshot on `today`: the same from the 1st to the last day of a month. */
export function snapshotOn(today: string): Snapshot {
  const date = lastMonthEnd(today);
  const previous = lastMonthEnd(date);
  return {
    date,
    previous,
    termDate: lastTermEnd(date),
    previousTermDate: lastTermEnd(previous),
  };
}

/**
 * True when the caller reads published snapshots: none of its roles may read an individual
 * child's record here (of the roles that read reports, only this authority's virtual school
 * head may; another authority's token is not one).
 */
export function readsSnapshots(caller: Caller, homeLa: string): boolean {
  return !(caller.roles.includes('virtual-school-head') && caller.la === homeLa);
}
