/**
 * Attendance for the current academic year, held as counts per DfE code (2024 codes) per
 * pupil, never as session arrays: total sessions = 2 x school days on roll from the year's
 * start (or entry) to asOf (or to the latest return of a school outside the authority, which
 * is all the LA's system holds of it). `expandSessionMarks` lays the counts out over those sessions on
 * demand, deterministically, so the raw marks add up exactly to the summary.
 */
import type {
  EdAttendanceSummary,
  EdEnrolment,
  EdSessionMark,
} from '../../upstream/education/contract';
import {
  academicYearOf,
  academicYearStart,
  isSchoolDay,
  isoToDayNumber,
  dayNumberToIso,
  schoolDaysInRange,
} from '../../domain/school-calendar';
import { ALL_ATTENDANCE_CODES } from './codes';
import { maxDate, minDate, type SeedContext } from './context';
import { Rng, hash32, splitCount } from './random';
import type { StudentFull } from './world';

/** Enrolments that carry the pupil's attendance: single registrations and main dual ones. */
export function mainEnrolments(enrolments: readonly EdEnrolment[]): EdEnrolment[] {
  return enrolments.filter((e) => e.enrolment_status !== 'S');
}

/** URN of the school whose roll carries the pupil's attendance on `date`, if any. */
export function mainUrnOn(enrolments: readonly EdEnrolment[], date: string): string | null {
  for (const e of enrolments) {
    if (e.enrolment_status === 'S') continue;
    if (e.entry_date <= date && (e.leaving_date === null || e.leaving_date >= date)) return e.urn;
  }
  return null;
}

/** The part of the current academic year the pupil was on a main roll, or null if none. */
export function attendanceWindow(
  ctx: SeedContext,
  enrolments: readonly EdEnrolment[],
): { from: string; to: string } | null {
  let from: string | null = null;
  let to: string | null = null;
  for (const e of mainEnrolments(enrolments)) {
    const end = e.leaving_date ?? ctx.asOf;
    if (end < ctx.yearStart || e.entry_date > ctx.asOf) continue;
    const a = maxDate(e.entry_date, ctx.yearStart);
    const b = minDate(end, ctx.asOf);
    if (from === null || a < from) from = a;
    if (to === null || b > to) to = b;
  }
  if (from === null || to === null || from > to) return null;
  return { from, to };
}

export interface AttendanceProfile {
  kind: 'MAINSTREAM' | 'SPECIAL' | 'PRU';
  yearGroup: string;
  /** Sessions the pupil was suspended or excluded (code E), decided with the exclusions. */
  excludedSessions: number;
  /**
   * Sessions at a subsidiary (dual) school, recorded D by the main school: not possible
   * sessions there (the other school records them), so out of its denominator.
   */
  dualSessions: number;
}

/** Share of pupils missing 10%+ (persistent) and 50%+ (severe), by kind of school and phase. */
function absenceRisk(p: AttendanceProfile): { severe: number; persistent: number } {
  const yg = p.yearGroup;
  const secondary = yg !== 'R' && Number(yg) >= 7;
  let m = secondary ? 1.25 : 0.7;
  if (p.kind === 'PRU') m = 3.2;
  else if (p.kind === 'SPECIAL') m = 1.3;
  return { severe: 0.018 * m, persistent: 0.125 * m };
}

/** The attendance summary for one pupil over [from, to] of the current academic year. */
export function attendanceSummary(
  rng: Rng,
  ctx: SeedContext,
  window: { from: string; to: string },
  profile: AttendanceProfile,
): EdAttendanceSummary {
  const days = schoolDaysInRange(window.from, window.to);
  const total = 2 * days;
  const counts = new Map<string, number>();
  const add = (code: string, n: number): void => {
    if (n > 0) counts.set(code, (counts.get(code) ?? 0) + n);
  };

  // Sessions that were not possible (left out of the denominator).
  let notPossible = 0;
  if (total > 0 && rng.chance(0.08)) {
    notPossible = Math.min(rng.int(1, 4), Math.floor(total / 10));
    const split = splitCount(rng, notPossible, [
      ['#', 50],
      ['Y1', 30],
      ['Y2', 8],
      ['X', profile.yearGroup === 'R' ? 40 : 0],
    ]);
    for (const [code, n] of split) add(code, n);
  }
  // Sessions at the other school of a dual registration: recorded D here, not possible either.
  const dual = Math.min(profile.dualSessions, total - notPossible);
  add('D', dual);
  const possible = total - notPossible - dual;

  // How much of the possible time was missed.
  const risk = absenceRisk(profile);
  const x = rng.next();
  let missed: number;
  if (x < risk.severe) {
    const lo = Math.ceil(possible / 2);
    missed = Math.max(lo, Math.min(possible, Math.round(possible * rng.real(0.5, 0.85))));
  } else if (x < risk.severe + risk.persistent) {
    const lo = Math.ceil(possible / 10);
    const hi = Math.ceil(possible / 2) - 1;
    const rate = Math.min(0.49, 0.1 + Math.abs(rng.normal(0, 0.09)));
    missed = Math.max(lo, Math.min(hi, Math.round(possible * rate)));
  } else {
    const hi = Math.ceil(possible / 10) - 1;
    const rate = Math.min(0.099, Math.max(0.002, rng.normal(0.045, 0.022)));
    missed = Math.max(0, Math.min(hi, Math.round(possible * rate)));
  }
  const excluded = Math.min(profile.excludedSessions, possible);
  missed = Math.min(possible, Math.max(missed, excluded));
  const attended = possible - missed;

  // Absence: suspension first, then authorised and unauthorised reasons.
  add('E', excluded);
  const rest = missed - excluded;
  const heavy = missed * 5 >= possible;
  const unauthorisedShare = heavy ? 0.5 : 0.25;
  const unauthorised = Math.round(rest * unauthorisedShare * rng.real(0.6, 1.4));
  const u = Math.min(rest, unauthorised);
  const ygNum = profile.yearGroup === 'R' ? 0 : Number(profile.yearGroup);
  const studyLeave =
    (ygNum === 11 || ygNum === 13) && window.to.slice(5) >= '05-01' && window.to.slice(5) < '09-01';
  for (const [code, n] of splitCount(rng, rest - u, [
    ['I', 62],
    ['M', 14],
    ['C', 8],
    ['C2', profile.kind === 'PRU' || heavy ? 15 : 2],
    ['R', 2],
    ['C1', 0.5],
    ['J1', ygNum >= 10 ? 1 : 0],
    ['S', studyLeave ? 6 : 0],
    ['T', 0.2],
  ])) {
    add(code, n);
  }
  for (const [code, n] of splitCount(rng, u, [
    ['O', 45],
    ['N', 25],
    ['G', 18],
    ['U', 12],
  ])) {
    add(code, n);
  }

  // Attended: approved activities, late, then present AM / PM.
  let left = attended;
  if (left > 0 && rng.chance(0.25)) {
    const aea = Math.min(left, rng.int(1, 6));
    for (const [code, n] of splitCount(rng, aea, [
      ['K', 20],
      ['V', 35],
      ['P', 25],
      ['W', ygNum >= 10 ? 15 : 0],
      ['B', 10],
    ])) {
      add(code, n);
    }
    left -= aea;
  }
  const late = Math.min(left, Math.round(left * rng.real(0, 0.035)));
  add('L', late);
  left -= late;
  add('/', Math.ceil(left / 2));
  add('\\', Math.floor(left / 2));

  const codes: Record<string, number> = {};
  for (const code of ALL_ATTENDANCE_CODES) {
    const n = counts.get(code);
    if (n) codes[code] = n;
  }
  return { academic_year: ctx.academicYear, from: window.from, to: window.to, codes };
}

/**
 * The session marks behind a pupil's summary, at school `urn`, between `from` and `to`
 * (inclusive), as of `asOf`. The summary's code counts are laid out over the AM and PM
 * sessions of every school day from its `from` to its `to` ('D' on whole days the pupil's
 * subsidiary (dual) registration covers, when the pupil is at the other school; '/' only in the
 * morning, '\' only in the afternoon; everything else shuffled by a stream seeded from the UPN
 * and year), so over the summary's whole range the marks of all the pupil's main schools add up
 * exactly to the summary's counts. Each day belongs to the school whose main (C or M) enrolment covers it;
 * only that school's days are returned for `urn`. Nothing after `asOf` is returned.
 */
export function expandSessionMarks(
  student: StudentFull,
  urn: string,
  from: string,
  to: string,
  asOf: string,
): EdSessionMark[] {
  const summary = student.attendance;
  if (!summary) return [];
  const a = isoToDayNumber(summary.from);
  const b = isoToDayNumber(summary.to);
  if (summary.academic_year !== academicYearOf(summary.from)) return [];
  const days: string[] = [];
  for (let d = a; d <= b; d++) {
    const iso = dayNumberToIso(d);
    if (isSchoolDay(iso)) days.push(iso);
  }
  const key = `${student.upn}|${summary.academic_year}`;
  const dual = layoutDual(
    new Rng(hash32(0xd0a1, key)),
    days,
    student.enrolments,
    summary.codes['D'] ?? 0,
  );
  const rng = new Rng(hash32(0x5e55, key));
  const am = fillFree(dual.am, layoutHalf(rng, dual.freeAm, summary.codes['/'] ?? 0, '/'));
  const pm = fillFree(dual.pm, layoutHalf(rng, dual.freePm, summary.codes['\\'] ?? 0, '\\'));
  const others: string[] = [];
  for (const [code, n] of Object.entries(summary.codes)) {
    if (code === '/' || code === '\\') continue;
    // D sessions laid out on whole days already; any that found no day join the rest.
    const count = code === 'D' ? n - dual.placed : n;
    for (let i = 0; i < count; i++) others.push(code);
  }
  others.sort();
  rng.shuffle(others);
  let next = 0;
  const lo = maxDate(from, summary.from);
  const hi = minDate(minDate(to, summary.to), asOf);
  const startOfYear = academicYearStart(summary.from);
  const marks: EdSessionMark[] = [];
  for (let i = 0; i < days.length; i++) {
    const date = days[i]!;
    const amCode = am[i] ?? others[next++];
    const pmCode = pm[i] ?? others[next++];
    if (date < lo || date > hi || date < startOfYear) continue;
    const dayUrn = mainUrnOn(student.enrolments, date);
    if (dayUrn !== urn) continue;
    if (amCode !== undefined) marks.push({ date, session: 'AM', code: amCode, urn });
    if (pmCode !== undefined) marks.push({ date, session: 'PM', code: pmCode, urn });
  }
  return marks;
}

interface DualLayout {
  /** Per school day, 'D' where the morning / afternoon is at the other school. */
  am: Array<string | undefined>;
  pm: Array<string | undefined>;
  freeAm: number;
  freePm: number;
  /** D sessions laid out (all of them unless too few days are covered by the registration). */
  placed: number;
}

/**
 * Where the `count` D sessions go: on days a subsidiary (dual) registration covers, as whole
 * days at the other school (both sessions), the odd one an afternoon. So at most half of them
 * fall in the mornings, which leaves room for every '/' (see attendanceSummary).
 */
function layoutDual(
  rng: Rng,
  days: readonly string[],
  enrolments: readonly EdEnrolment[],
  count: number,
): DualLayout {
  const am = new Array<string | undefined>(days.length).fill(undefined);
  const pm = new Array<string | undefined>(days.length).fill(undefined);
  let placed = 0;
  if (count > 0) {
    const covered = days
      .map((date, index) => ({ date, index }))
      .filter(({ date }) =>
        enrolments.some(
          (e) =>
            e.enrolment_status === 'S' &&
            e.entry_date <= date &&
            (e.leaving_date === null || e.leaving_date >= date),
        ),
      )
      .map(({ index }) => index);
    const chosen = rng.sample(covered, Math.min(covered.length, Math.ceil(count / 2)));
    chosen.sort((a, b) => a - b);
    for (const index of chosen) {
      if (placed < count) {
        pm[index] = 'D';
        placed++;
      }
      if (placed < count) {
        am[index] = 'D';
        placed++;
      }
    }
  }
  const free = (half: Array<string | undefined>) => half.filter((c) => c === undefined).length;
  return { am, pm, freeAm: free(am), freePm: free(pm), placed };
}

/** `half` with its free (undefined) slots filled, in order, from `fill`. */
function fillFree(
  half: Array<string | undefined>,
  fill: Array<string | undefined>,
): Array<string | undefined> {
  let next = 0;
  return half.map((code) => code ?? fill[next++]);
}

/** Which of `slots` sessions carry `code` (`count` of them), the rest left for other codes. */
function layoutHalf(
  rng: Rng,
  slots: number,
  count: number,
  code: string,
): Array<string | undefined> {
  const out = new Array<string | undefined>(slots).fill(undefined);
  const n = Math.min(count, slots);
  for (let i = 0; i < n; i++) out[i] = code;
  return rng.shuffle(out);
}
