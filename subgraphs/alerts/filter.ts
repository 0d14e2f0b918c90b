/** `AlertFilter` checked and turned into the outbox's query: bad values are named, nothing runs. */
import { CHILD_ID } from '../../domain/identifiers';
import { EVENT_TYPE_NAMES, type EventType } from '../../events/types';
import { badUserInput } from '../../lib/errors';

export interface AlertFilterInput {
  types?: readonly string[] | null;
  childId?: string | null;
  since?: string | null;
  acknowledged?: boolean | null;
}

export interface CheckedAlertFilter {
  types?: EventType[];
  childIds?: string[];
  since?: string;
  acknowledged?: boolean;
}

const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** An ISO date or date-time as an ISO instant; bad input otherwise. */
export function instant(field: string, value: string): string {
  const parsed = DATE_OR_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed)) {
    throw badUserInput(`\`${field}\` must be an ISO 8601 date or date-time, e.g. 2026-02-10.`);
  }
  return new Date(parsed).toISOString();
}

export function checkAlertFilter(filter: AlertFilterInput | null | undefined): CheckedAlertFilter {
  const f = filter ?? {};
  const problems: string[] = [];
  const checked: CheckedAlertFilter = {};
  if (f.types) {
    const known = new Set<string>(EVENT_TYPE_NAMES);
    const unknown = f.types.filter((type) => !known.has(type));
    if (unknown.length > 0) problems.push('`filter.types` holds types that are not alert types');
    else checked.types = [...new Set(f.types)] as EventType[];
  }
  if (f.childId !== null && f.childId !== undefined) {
    if (!CHILD_ID.test(f.childId))
      problems.push('`filter.childId` must be a 7-digit social care id');
    else checked.childIds = [f.childId];
  }
  if (f.since !== null && f.since !== undefined) {
    try {
      checked.since = instant('filter.since', f.since);
    } catch {
      problems.push('`filter.since` must be an ISO 8601 date or date-time');
    }
  }
  if (typeof f.acknowledged === 'boolean') checked.acknowledged = f.acknowledged;
  if (problems.length > 0) throw badUserInput(`${problems.join('; ')}.`);
  return checked;
}
