/**
 * Events from the education system's change feed: an absence today (unauthorised, or any
 * absence of a child whose attendance this year is under the threshold), a suspension, a
 * permanent exclusion proposed or made, joining a school's roll (a school move) and leaving
 * one. Pure: the poller reads the changes and the children's context, this decides.
 */
import { attendanceCategory, attendanceLabel } from '../../domain/codes/attendance';
import type { EdChange } from '../../upstream/education/contract';
import type { NewEvent } from '../types';
import type { ChildContext } from './child-context';
import { childEvent } from './event';

export interface EducationDetection {
  /** Today, in the authority's calendar (AS_OF in the simulated world). */
  today: string;
  attendanceThresholdPercent: number;
}

/** The UPN a change is about. */
export const upnOfChange = (change: EdChange): string => change.record.upn;

/** Whether a change can raise an event: an absence today, an exclusion, an enrolment. */
export function mayRaiseEducationEvent(change: EdChange, today: string): boolean {
  if (change.kind !== 'session_mark') return true;
  const category = attendanceCategory(change.record.code);
  return (
    change.record.date === today &&
    (category === 'UNAUTHORISED_ABSENCE' || category === 'AUTHORISED_ABSENCE')
  );
}

export function eventsFromEducationChange(
  change: EdChange,
  child: ChildContext | null,
  settings: EducationDetection,
): NewEvent[] {
  // Another authority's pupil, or not looked after: not ours to tell (issue 15).
  if (child === null) return [];
  const occurredAt = change.changed_at;
  switch (change.kind) {
    case 'session_mark': {
      const mark = change.record;
      if (mark.date !== settings.today) return [];
      const category = attendanceCategory(mark.code);
      const unauthorised = category === 'UNAUTHORISED_ABSENCE';
      const underThreshold =
        category === 'AUTHORISED_ABSENCE' &&
        child.attendanceRate !== null &&
        child.attendanceRate < settings.attendanceThresholdPercent;
      if (!unauthorised && !underThreshold) return [];
      return [
        childEvent('ABSENT_TODAY', child, {
          identity: [mark.date, mark.session],
          occurredAt,
          urn: mark.urn,
          facts: {
            date: mark.date,
            session: mark.session,
            code: mark.code,
            meaning: attendanceLabel(mark.code),
            authorised: !unauthorised,
            attendanceRatePercent: child.attendanceRate,
          },
        }),
      ];
    }
    case 'exclusion': {
      const exclusion = change.record;
      const type =
        exclusion.category === 'FIXED'
          ? exclusion.status === 'MADE'
            ? 'SUSPENSION'
            : null
          : exclusion.status === 'PROPOSED'
            ? 'PERMANENT_EXCLUSION_PROPOSED'
            : exclusion.status === 'MADE'
              ? 'PERMANENT_EXCLUSION'
              : null;
      if (type === null) return [];
      return [
        childEvent(type, child, {
          identity: [exclusion.exclusion_id],
          occurredAt,
          urn: exclusion.urn,
          facts: {
            startDate: exclusion.start_date,
            sessions: exclusion.sessions,
            reasons: exclusion.reasons.join(','),
          },
        }),
      ];
    }
    case 'enrolment': {
      const enrolment = change.record;
      if (enrolment.leaving_date === null) {
        return [
          childEvent('SCHOOL_MOVE', child, {
            identity: [enrolment.urn, enrolment.entry_date],
            occurredAt,
            urn: enrolment.urn,
            facts: { entryDate: enrolment.entry_date, yearGroup: enrolment.year_group },
          }),
        ];
      }
      return [
        childEvent('LEFT_ROLL', child, {
          identity: [enrolment.urn, enrolment.leaving_date],
          occurredAt,
          urn: enrolment.urn,
          facts: { leavingDate: enrolment.leaving_date },
        }),
      ];
    }
    default:
      return [];
  }
}
