/**
 * The virtual school head's list to chase: schools with no designated teacher on record, then
 * entries not confirmed for 12 months or more (the oldest confirmation first).
 */
import type { RegisterEntryShape } from './entries';

export type ChaseReason = 'NO_DESIGNATED_TEACHER' | 'NOT_CONFIRMED_FOR_12_MONTHS';

export interface ToChaseShape {
  reason: ChaseReason;
  entry: RegisterEntryShape;
}

/** The same day a year earlier (29 February becomes 28 February). */
export function twelveMonthsBefore(today: string): string {
  const year = String(Number(today.slice(0, 4)) - 1).padStart(4, '0');
  const monthDay = today.slice(4);
  const date = `${year}${monthDay}`;
  return Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
    ? `${year}-02-28`
    : date;
}

export function toChase(entries: readonly RegisterEntryShape[], today: string): ToChaseShape[] {
  const cutoff = twelveMonthsBefore(today);
  const none = entries.filter((entry) => entry.designatedTeacher === null);
  const stale = entries
    .filter((entry) => entry.designatedTeacher !== null)
    .filter((entry) => entry.designatedTeacher!.confirmedOn <= cutoff)
    .sort(
      (a, b) =>
        a.designatedTeacher!.confirmedOn.localeCompare(b.designatedTeacher!.confirmedOn) ||
        a.urn.localeCompare(b.urn),
    );
  return [
    ...none.map((entry) => ({ reason: 'NO_DESIGNATED_TEACHER' as const, entry })),
    ...stale.map((entry) => ({ reason: 'NOT_CONFIRMED_FOR_12_MONTHS' as const, entry })),
  ];
}
