/**
 * Pupils as the LA's pupil database holds them: an enrolment history that follows the
 * English phases (Reception-Y6 primary, Y7-Y11 secondary, sixth form), mid-year moves, dual
 * registration at a PRU, this year's suspensions and exclusions, SEN, KS2/KS4 results and the
 * attendance summary.
 */
import type {
  EdDataCoverage,
  EdEnrolment,
  EdExclusion,
  EdKs2,
  EdKs4,
  EdSen,
} from '../../upstream/education/contract';
import {
  addSchoolDays,
  isoToDayNumber,
  schoolDaysInRange,
  yearGroupFor,
  yearGroupIndex,
  type YearGroup,
} from '../../domain/school-calendar';
import { attendanceSummary, attendanceWindow, mainUrnOn } from './attendance';
import { KS2_CANCELLED_YEARS } from './codes';
import {
  addDays,
  maxDate,
  minDate,
  randomDate,
  randomSchoolDay,
  timestampOn,
  type SeedContext,
} from './context';
import type { Rng } from './random';
import { Weighted, weighted } from './random';
import type { SchoolDirectory, SchoolInfo, SchoolKind } from './schools';
import type { UpnAllocator } from './upn';
import type { StudentFull } from './world';

export type EduStatus = 'SCHOOL' | 'FE' | 'NONE';

export interface StudentSpec {
  upn?: string;
  forename: string;
  surname: string;
  dob: string;
  gender: 'M' | 'F';
  yearGroup: YearGroup;
  status: EduStatus;
  /** Authority whose schools the pupil attends now. */
  la: string;
  lookedAfter: boolean;
  lookedAfterLa: string | null;
  /** When the pupil arrived in England, if recently (history starts there). */
  arrival: string | null;
  /** Put the pupil in this school (it must teach their year group). */
  school?: SchoolInfo;
  /** Permanently exclude the pupil this year (secondary, in-area only). */
  forcePermanentExclusion?: boolean;
  /** Chance of a permanent exclusion this year when not forced. */
  permanentExclusionChance: number;
}

export interface StudentEnv {
  ctx: SeedContext;
  dir: SchoolDirectory;
  upns: UpnAllocator;
}

const SEN_NEED = new Weighted([
  ['SEMH', 34],
  ['SLCN', 14],
  ['ASD', 14],
  ['MLD', 12],
  ['SPLD', 7],
  ['SLD', 3],
  ['PMLD', 1],
  ['VI', 1],
  ['HI', 1.5],
  ['PD', 2],
  ['MSI', 0.5],
  ['OTH', 4],
]);
const EXCLUSION_REASON = new Weighted([
  ['PH', 22],
  ['DB', 14],
  ['PA', 14],
  ['VA', 12],
  ['PP', 7],
  ['VP', 7],
  ['DA', 4],
  ['DS', 4],
  ['BU', 3],
  ['RA', 2],
  ['DM', 3],
  ['MT', 2],
  ['TH', 2],
  ['SM', 1.5],
  ['LG', 1],
  ['OW', 1.5],
]);
const SESSIONS = new Weighted([
  [1, 25],
  [2, 30],
  [3, 10],
  [4, 12],
  [5, 5],
  [6, 8],
  [8, 3],
  [10, 7],
]);

function label(idx: number): YearGroup {
  return (idx === 0 ? 'R' : String(idx)) as YearGroup;
}

/** Reception = 0 .. Year 13 = 13. */
export function schoolYearIndex(yg: YearGroup): number {
  return yearGroupIndex(yg) - 2;
}

const firstDayCache = new Map<number, string>();
/** First school day of the academic year starting in September `year`. */
function firstSchoolDay(year: number): string {
  let d = firstDayCache.get(year);
  if (!d) {
    d = addSchoolDays(`${year}-08-31`, 1);
    firstDayCache.set(year, d);
  }
  return d;
}
const lastDayCache = new Map<number, string>();
/** Last school day before the summer holiday of `year`. */
function lastSchoolDay(year: number): string {
  let d = lastDayCache.get(year);
  if (!d) {
    d = addSchoolDays(`${year}-07-22`, -1);
    lastDayCache.set(year, d);
  }
  return d;
}

interface Span {
  school: SchoolInfo;
  entry: string;
  leaving: string | null;
}

function historicLa(rng: Rng, ctx: SeedContext): string {
  return rng.chance(0.65) ? ctx.la.code : ctx.neighbours.draw(rng);
}

function drawSen(rng: Rng): EdSen {
  const x = rng.next();
  if (x < 0.28) return { status: 'E', primary_need: SEN_NEED.draw(rng) };
  if (x < 0.58) return { status: 'K', primary_need: rng.chance(0.04) ? 'NSA' : SEN_NEED.draw(rng) };
  return { status: 'N', primary_need: null };
}

/** A date of birth that puts a child in `yg` in the current academic year. */
export function dobForYearGroup(rng: Rng, ctx: SeedContext, yg: YearGroup): string {
  const ageOnAug31 = yearGroupIndex(yg) + 2;
  const y = ctx.yearStartYear - ageOnAug31;
  return randomDate(rng, `${y - 1}-09-01`, minDate(`${y}-08-31`, ctx.asOf));
}

interface Built {
  spans: Span[];
  permanent: { date: string; urn: string } | null;
  dual: Span | null;
}

/** The enrolment history: one span per school, oldest first. */
function buildSpans(rng: Rng, env: StudentEnv, spec: StudentSpec, kind: SchoolKind): Built {
  const { ctx, dir } = env;
  const idx = schoolYearIndex(spec.yearGroup);
  const ry = ctx.yearStartYear - idx;
  const top = spec.status === 'FE' ? Math.min(idx, 11) : idx;
  const topYg = label(top);
  const current = spec.school ?? dir.pick(rng, spec.la, topYg, kind);
  let start: number;
  if (current.kind === 'SPECIAL') {
    const first = Math.max(0, schoolYearIndex(current.yearGroups[0]!));
    start = Math.max(first, top - rng.int(0, 5));
  } else if (top <= 6) start = 0;
  else if (top <= 11) start = 7;
  else start = current.yearGroups.includes('7') && rng.chance(0.65) ? 7 : 12;

  const raw: Array<{ from: number; to: number; school: SchoolInfo }> = [
    { from: start, to: top, school: current },
  ];
  for (let t = start - 1; t >= 0;) {
    const phaseStart = t >= 12 ? 12 : t >= 7 ? 7 : 0;
    raw.unshift({
      from: phaseStart,
      to: t,
      school: dir.pick(rng, historicLa(rng, ctx), label(t), 'MAINSTREAM'),
    });
    t = phaseStart - 1;
  }

  let spans: Span[] = raw.map((r, i) => ({
    school: r.school,
    entry: firstSchoolDay(ry + r.from),
    leaving: i === raw.length - 1 && spec.status !== 'FE' ? null : lastSchoolDay(ry + r.to + 1),
  }));

  // A pupil new to England starts where they arrived.
  if (spec.arrival) {
    const arrival = spec.arrival;
    const kept = spans.filter((s) => s.leaving === null || s.leaving > arrival);
    // Arrived after the last place would have ended: only that last place, from arrival.
    spans = kept.length > 0 ? kept : [{ ...spans[spans.length - 1]!, leaving: null }];
    const head = spans[0]!;
    let entry = minDate(addSchoolDays(maxDate(arrival, head.entry), rng.int(5, 30)), ctx.asOf);
    if (head.leaving !== null && head.leaving < entry) entry = head.leaving;
    spans[0] = { ...head, entry };
  }

  // Some moved school within a phase in earlier years.
  const split: Span[] = [];
  for (const s of spans) {
    const end = s.leaving ?? addDays(ctx.yearStart, -1);
    const room = isoToDayNumber(end) - isoToDayNumber(s.entry);
    if (room > 240 && rng.chance(0.15)) {
      const d = randomSchoolDay(rng, addDays(s.entry, 90), addDays(end, -90));
      if (d) {
        const yg = yearGroupFor(spec.dob, d) ?? spec.yearGroup;
        const earlier = dir.pick(
          rng,
          historicLa(rng, ctx),
          yg,
          s.school.kind === 'SPECIAL' ? 'MAINSTREAM' : s.school.kind,
          s.school.school.urn,
        );
        split.push({ school: earlier, entry: s.entry, leaving: addDays(d, -1) });
        split.push({ ...s, entry: d });
        continue;
      }
    }
    split.push(s);
  }
  spans = split;

  const last = spans[spans.length - 1]!;
  let permanent: { date: string; urn: string } | null = null;
  let dual: Span | null = null;

  if (spec.status === 'NONE') {
    // Off roll: the last place ended within the last ten months.
    const lo = maxDate(addDays(last.entry, 20), addDays(ctx.asOf, -300));
    last.leaving = randomDate(rng, minDate(lo, addDays(ctx.asOf, -1)), addDays(ctx.asOf, -1));
    if (last.leaving < last.entry) last.leaving = last.entry;
  } else if (spec.status === 'SCHOOL') {
    const wantPermanent =
      spec.forcePermanentExclusion === true ||
      (spec.la === ctx.la.code &&
        idx >= 7 &&
        idx <= 11 &&
        rng.chance(spec.permanentExclusionChance));
    const pru =
      wantPermanent || (spec.la === ctx.la.code && idx >= 7 && idx <= 11 && rng.chance(0.015))
        ? dir.pick(rng, ctx.la.code, spec.yearGroup, 'PRU')
        : null;
    // An exclusion needs a few days on roll first, and the move to the PRU (six school days
    // later) must have happened by asOf.
    const lo = addSchoolDays(addDays(maxDate(last.entry, ctx.yearStart), -1), 5);
    const hi = addSchoolDays(ctx.asOf, -7);
    if (wantPermanent && pru && pru.kind === 'PRU' && last.school.kind !== 'PRU') {
      const date = randomSchoolDay(rng, lo, hi);
      if (date) {
        const entry = addSchoolDays(date, 6);
        last.leaving = addDays(entry, -1);
        spans.push({ school: pru, entry, leaving: null });
        permanent = { date, urn: last.school.school.urn };
      }
    } else if (pru && pru.kind === 'PRU' && last.school.kind !== 'PRU') {
      const entry = randomSchoolDay(
        rng,
        maxDate(last.entry, ctx.yearStart),
        addSchoolDays(ctx.asOf, -5),
      );
      if (entry) dual = { school: pru, entry, leaving: null };
    } else if (rng.chance(0.1)) {
      // A mid-year move this academic year.
      const lo2 = addSchoolDays(addDays(maxDate(last.entry, ctx.yearStart), -1), 10);
      const date = randomSchoolDay(rng, lo2, addSchoolDays(ctx.asOf, -3));
      if (date) {
        const kindBefore = last.school.kind === 'SPECIAL' ? 'MAINSTREAM' : last.school.kind;
        const la = rng.chance(0.6) ? spec.la : historicLa(rng, ctx);
        const before = dir.pick(rng, la, spec.yearGroup, kindBefore, last.school.school.urn);
        spans.splice(spans.length - 1, 0, {
          school: before,
          entry: last.entry,
          leaving: addDays(date, -1),
        });
        last.entry = date;
      }
    }
  }
  return { spans, permanent, dual };
}

function drawKs2(rng: Rng, year: number, ability: number, sen: EdSen): EdKs2 | null {
  const y = String(year);
  if (KS2_CANCELLED_YEARS.has(y)) return null;
  if (sen.status === 'E' && ability < -1.8) {
    return { year: y, reading_scaled: null, maths_scaled: null, writing_ta: 'PK' };
  }
  const score = (): number =>
    Math.max(80, Math.min(120, Math.round(101.5 + 7 * (ability + 0.55 * rng.normal()))));
  const w = ability + 0.6 * rng.normal();
  const writing = w > 1.3 ? 'GDS' : w > -0.25 ? 'EXS' : w > -1.9 ? 'WTS' : 'PK';
  return { year: y, reading_scaled: score(), maths_scaled: score(), writing_ta: writing };
}

function drawKs4(rng: Rng, year: number, ability: number): EdKs4 {
  const grade = (): number | null => {
    const g = Math.round(2.5 + 1.9 * (ability + 0.5 * rng.normal()));
    return g < 1 ? null : Math.min(9, g);
  };
  const a8 = Math.max(
    0,
    Math.min(90, Math.round(2 * (20 + 15 * (ability + 0.4 * rng.normal()))) / 2),
  );
  return { year: String(year), attainment8: a8, english_grade: grade(), maths_grade: grade() };
}

/** Share of pupils with a KS2 result who hold one from the year before as well. */
const KS2_TWICE_SHARE = 0.015;

/**
 * Where the LA's system gets the pupil's attendance, exclusions and attainment: the pupil's
 * current main school (the one open span; a subsidiary dual registration never carries them),
 * or for a pupil now on no roll (in further education, or without a place) the last one, whose
 * records the system kept. The authority's own schools feed it; a school elsewhere only
 * through its returns, if any.
 */
function coverageOf(spans: readonly Span[]): EdDataCoverage {
  const current = spans[spans.length - 1]?.school ?? null;
  if (current?.inArea) return { source: 'LA_FEED', latest_return_on: null };
  if (current?.latestReturnOn) {
    return { source: 'SCHOOL_RETURN', latest_return_on: current.latestReturnOn };
  }
  return { source: 'NO_RETURN', latest_return_on: null };
}

/**
 * The part of this year's attendance window the LA's system holds: all of it from its own
 * schools, up to the latest return from a school elsewhere, none without one.
 */
function heldWindow(
  window: { from: string; to: string } | null,
  coverage: EdDataCoverage,
): { from: string; to: string } | null {
  if (window === null || coverage.source === 'NO_RETURN') return null;
  if (coverage.source === 'LA_FEED' || coverage.latest_return_on === null) return window;
  const to = minDate(window.to, coverage.latest_return_on);
  return window.from <= to ? { from: window.from, to } : null;
}

/** One pupil record, with the UPN allocated by their first school. */
export function buildStudent(rng: Rng, env: StudentEnv, spec: StudentSpec): StudentFull {
  const { ctx } = env;
  const sen = drawSen(rng);
  const wantSpecial = sen.status === 'E' && rng.chance(0.35);
  const kind: SchoolKind = spec.school?.kind ?? (wantSpecial ? 'SPECIAL' : 'MAINSTREAM');
  if (kind === 'SPECIAL' && sen.status !== 'E') {
    sen.status = 'E';
    sen.primary_need = sen.primary_need ?? SEN_NEED.draw(rng);
  }
  const { spans, permanent, dual } = buildSpans(rng, env, spec, kind);

  const enrolments: EdEnrolment[] = spans.map((s) => ({
    urn: s.school.school.urn,
    year_group:
      s.leaving === null ? spec.yearGroup : (yearGroupFor(spec.dob, s.leaving) ?? spec.yearGroup),
    entry_date: s.entry,
    leaving_date: s.leaving,
    enrolment_status: s.leaving === null && dual ? 'M' : 'C',
  }));
  if (dual) {
    enrolments.push({
      urn: dual.school.school.urn,
      year_group: spec.yearGroup,
      entry_date: dual.entry,
      leaving_date: null,
      enrolment_status: 'S',
    });
  }

  const first = spans[0]!;
  const upn =
    spec.upn ??
    env.upns.allocate(
      rng,
      first.school.school.laestab,
      Number(first.entry.slice(0, 4)) - (first.entry.slice(5) < '09-01' ? 1 : 0),
    );

  // This year's suspensions and exclusions, and the attendance they feed, as far as the LA's
  // system holds them (see coverageOf).
  const coverage = coverageOf(spans);
  const exclusions: EdExclusion[] = [];
  const window = heldWindow(attendanceWindow(ctx, enrolments), coverage);
  let excludedSessions = 0;
  const lastSchool = spans[spans.length - 1]!.school;
  const idx = schoolYearIndex(spec.yearGroup);
  const reasons = (): string[] => {
    const n = weighted(rng, [
      [1, 60],
      [2, 28],
      [3, 12],
    ]);
    const out = new Set<string>();
    for (let i = 0; out.size < n && i < 20; i++) out.add(EXCLUSION_REASON.draw(rng));
    return [...out];
  };
  if (permanent) {
    exclusions.push({
      category: 'PERMANENT',
      urn: permanent.urn,
      start_date: permanent.date,
      sessions: null,
      reasons: reasons(),
    });
    excludedSessions += 12;
  }
  if (window) {
    const p =
      lastSchool.kind === 'PRU'
        ? 0.35
        : lastSchool.kind === 'SPECIAL'
          ? 0.12
          : idx >= 12
            ? 0.03
            : idx >= 7
              ? 0.165
              : 0.04;
    if (rng.chance(p)) {
      const n = weighted(rng, [
        [1, 70],
        [2, 20],
        [3, 7],
        [4, 3],
      ]);
      for (let i = 0; i < n; i++) {
        const date = randomSchoolDay(rng, window.from, window.to);
        if (!date) break;
        const urn = mainUrnOn(enrolments, date);
        if (!urn) continue;
        const sessions = SESSIONS.draw(rng);
        exclusions.push({ category: 'FIXED', urn, start_date: date, sessions, reasons: reasons() });
        excludedSessions += sessions;
      }
      exclusions.sort((a, b) =>
        a.start_date < b.start_date ? -1 : a.start_date > b.start_date ? 1 : 0,
      );
    }
  }
  let dualSessions = 0;
  if (dual && window) {
    dualSessions = Math.round(2 * schoolDaysInRange(dual.entry, window.to) * rng.real(0.2, 0.5));
  }
  const attendance = window
    ? attendanceSummary(rng, ctx, window, {
        kind:
          lastSchool.kind === 'PRU'
            ? 'PRU'
            : lastSchool.kind === 'SPECIAL'
              ? 'SPECIAL'
              : 'MAINSTREAM',
        yearGroup: spec.yearGroup,
        excludedSessions,
        dualSessions,
      })
    : null;

  // Attainment: KS2 for Y7 and above (the summer they finished Y6), KS4 for Y12 and above.
  const ry = ctx.yearStartYear - idx;
  let ability = rng.normal(0.2, 1);
  if (sen.status === 'E') ability -= 0.8;
  else if (sen.status === 'K') ability -= 0.35;
  const present = (summer: number): boolean => !spec.arrival || spec.arrival < `${summer}-05-01`;
  const ks2 = idx >= 7 && present(ry + 7) ? drawKs2(rng, ry + 7, ability, sen) : null;
  const ks4 = idx >= 12 && present(ry + 12) ? drawKs4(rng, ry + 12, ability) : null;
  // A few sat the KS2 tests with the year above, then repeated Year 6 (often after arriving
  // mid-year) and sat them again with their own year: two results. Their own stream, so no
  // other draw moves.
  const again = rng.fork('ks2-year-above');
  const earlier =
    ks2 && present(ry + 6) && again.chance(KS2_TWICE_SHARE)
      ? drawKs2(again, ry + 6, ability - 0.3, sen)
      : null;

  return {
    upn,
    forename: spec.forename,
    surname: spec.surname,
    dob: spec.dob,
    gender: spec.gender,
    looked_after: spec.lookedAfter,
    looked_after_la: spec.lookedAfterLa,
    updated_at: timestampOn(rng, randomDate(rng, addDays(ctx.asOf, -60), ctx.asOf)),
    coverage,
    enrolments,
    // A school elsewhere that sends no return: the LA's system holds none of these.
    attendance: coverage.source === 'NO_RETURN' ? null : attendance,
    exclusions: coverage.source === 'NO_RETURN' ? null : exclusions,
    sen,
    attainment:
      coverage.source === 'NO_RETURN'
        ? null
        : {
            ks2: [earlier, ks2].filter((result): result is EdKs2 => result !== null),
            ks4: ks4 ? [ks4] : [],
          },
  };
}
