/**
 * Events no single change raises, found once a day over every child we look after: a PEP due
 * within N days or overdue, no school place for N school days (a child of compulsory school
 * age on no roll), attendance over the last N weeks under the threshold, and schools with our
 * children on roll but no designated teacher on the register. Each key names the deadline,
 * the date or the term it is about, so running the sweep again the same day (or after a
 * restart) raises nothing new, and a new deadline raises a new event.
 */
import { toAttendance } from '../../domain/measures/attendance';
import { pepStandingOf } from '../../domain/measures/pep';
import { academicYearOf, addDays, schoolDaysBetween, termOf } from '../../domain/school-calendar';
import type { EdSessionMark } from '../../upstream/education/contract';
import { audienceForSchool } from '../routing';
import type { NewEvent } from '../types';
import { enrolmentOn, isOfSchoolAge } from '../../domain/measures/school-roll';
import type { ChildContext } from './child-context';
import { childEvent } from './event';

export interface SweepSettings {
  today: string;
  la: string;
  pepDueDays: number;
  noSchoolPlaceDays: number;
  attendanceThresholdPercent: number;
  attendanceWeeks: number;
}

/** The window "the last N weeks" covers, ending today. */
export function attendanceWindow(today: string, weeks: number): { from: string; to: string } {
  return { from: addDays(today, -7 * weeks + 1), to: today };
}

export function pepEvents(child: ChildContext, settings: SweepSettings): NewEvent[] {
  const standing = pepStandingOf(child.record, settings.today);
  if (standing.nextReviewDue === null) return [];
  const at = `${settings.today}T00:00:00.000Z`;
  const facts = {
    status: standing.status,
    due: standing.nextReviewDue,
    firstPepDue: standing.firstPepDue,
    lastCompleted: standing.lastCompleted,
  };
  if (standing.status === 'OVERDUE') {
    return [
      childEvent('PEP_OVERDUE', child, {
        identity: [standing.nextReviewDue],
        occurredAt: at,
        urn: null,
        facts,
      }),
    ];
  }
  const daysLeft = schoolDaysBetween(settings.today, standing.nextReviewDue);
  const calendarDaysLeft = Math.round(
    (Date.parse(standing.nextReviewDue) - Date.parse(settings.today)) / 86_400_000,
  );
  if (calendarDaysLeft < 0 || calendarDaysLeft > settings.pepDueDays) return [];
  return [
    childEvent('PEP_DUE_SOON', child, {
      identity: [standing.nextReviewDue],
      occurredAt: at,
      urn: null,
      facts: { ...facts, daysLeft: calendarDaysLeft, schoolDaysLeft: daysLeft },
    }),
  ];
}

export function noSchoolPlaceEvents(child: ChildContext, settings: SweepSettings): NewEvent[] {
  // The same question as the worklists' `notOnRoll`: of school age, no single or main registration.
  if (!isOfSchoolAge(child.record.DOB, settings.today)) return [];
  if (enrolmentOn(child.enrolments, settings.today) !== null) return [];
  const lastLeft = child.enrolments
    .map((e) => e.leaving_date)
    .filter((d): d is string => d !== null && d < settings.today)
    .sort()
    .pop();
  // Never on a roll the system knows of: counted from the start of this period of care.
  const since = lastLeft ? addDays(lastLeft, 1) : periodOfCareStart(child);
  if (since === null) return [];
  const days = schoolDaysBetween(addDays(since, -1), settings.today);
  if (days < settings.noSchoolPlaceDays) return [];
  return [
    childEvent('NO_SCHOOL_PLACE', child, {
      identity: [since],
      occurredAt: `${settings.today}T00:00:00.000Z`,
      urn: null,
      facts: { since, schoolDays: days },
    }),
  ];
}

function periodOfCareStart(child: ChildContext): string | null {
  const open = (child.record.episodes ?? []).filter((e) => e.DEC === null);
  return open.map((e) => e.DECOM).sort()[0] ?? null;
}

export function attendanceEvents(
  child: ChildContext,
  marks: readonly EdSessionMark[] | undefined,
  settings: SweepSettings,
): NewEvent[] {
  if (!marks || marks.length === 0) return [];
  const window = attendanceWindow(settings.today, settings.attendanceWeeks);
  const codes: Record<string, number> = {};
  for (const mark of marks) {
    if (mark.date < window.from || mark.date > window.to) continue;
    codes[mark.code] = (codes[mark.code] ?? 0) + 1;
  }
  const rate = toAttendance({
    academic_year: academicYearOf(settings.today),
    from: window.from,
    to: window.to,
    codes,
  }).ratePercent;
  if (rate === null || rate >= settings.attendanceThresholdPercent) return [];
  // At most one a term: the first day the window is under the threshold.
  return [
    childEvent('ATTENDANCE_BELOW_THRESHOLD', child, {
      identity: [termOf(settings.today).start],
      occurredAt: `${settings.today}T00:00:00.000Z`,
      urn: null,
      facts: {
        ratePercent: rate,
        thresholdPercent: settings.attendanceThresholdPercent,
        weeks: settings.attendanceWeeks,
        from: window.from,
        to: window.to,
      },
    }),
  ];
}

/** Schools with our children on roll and no designated teacher: one event per school and year. */
export function schoolsWithoutDesignatedTeacher(
  children: readonly ChildContext[],
  registered: ReadonlySet<string>,
  linkOfficers: ReadonlyMap<string, string>,
  settings: SweepSettings,
): NewEvent[] {
  const counts = new Map<string, number>();
  for (const child of children) {
    if (child.record.RESTRICTED) continue;
    for (const urn of new Set(child.routing.schoolUrns))
      counts.set(urn, (counts.get(urn) ?? 0) + 1);
  }
  const year = academicYearOf(settings.today);
  return [...counts.keys()]
    .filter((urn) => !registered.has(urn))
    .sort()
    .map((urn) => {
      const officer = linkOfficers.get(urn);
      return {
        key: `SCHOOL_WITHOUT_DESIGNATED_TEACHER:${urn}:${year}`,
        type: 'SCHOOL_WITHOUT_DESIGNATED_TEACHER' as const,
        category: 'EDU' as const,
        childId: null,
        urn,
        occurredAt: `${settings.today}T00:00:00.000Z`,
        facts: { academicYear: year },
        audience: audienceForSchool(settings.la, officer ? [officer] : []),
      };
    });
}
