/**
 * What every part of the generator shares: the options resolved once (dates, the authority),
 * and small date helpers on ISO strings.
 */
import {
  academicYearOf,
  academicYearStart,
  addDays,
  addSchoolDays,
  ageOn,
  isoToDayNumber,
  dayNumberToIso,
  schoolDaysInRange,
} from '../../domain/school-calendar';
import { neighbourWeightsFor, type Authority } from './authorities';
import { Rng, Weighted } from './random';

export interface SeedContext {
  seed: number;
  asOf: string;
  la: Authority;
  /** e.g. "2025/26" */
  academicYear: string;
  /** 1 September that starts the current academic year. */
  yearStart: string;
  /** Calendar year of `yearStart`. */
  yearStartYear: number;
  rng: Rng;
  /** Other authorities, weighted, for out-of-area placements and COLA (never the home one). */
  neighbours: Weighted<string>;
}

export function makeContext(seed: number, asOf: string, la: Authority): SeedContext {
  const yearStart = academicYearStart(asOf);
  return {
    seed,
    asOf,
    la,
    academicYear: academicYearOf(asOf),
    yearStart,
    yearStartYear: Number(yearStart.slice(0, 4)),
    rng: new Rng(seed),
    neighbours: new Weighted(neighbourWeightsFor(la.code)),
  };
}

/** "2024/25" for the academic year starting in 2024. */
export function academicYearLabel(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** The same day `years` years earlier (29 February becomes 28 February when needed). */
export function minusYears(iso: string, years: number): string {
  const y = Number(iso.slice(0, 4)) - years;
  let md = iso.slice(4);
  if (md === '-02-29' && !isLeap(y)) md = '-02-28';
  return `${String(y).padStart(4, '0')}${md}`;
}

export function plusYears(iso: string, years: number): string {
  return minusYears(iso, -years);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** A uniformly random date in the inclusive range [from, to]; `from` when the range is empty. */
export function randomDate(rng: Rng, from: string, to: string): string {
  const a = isoToDayNumber(from);
  const b = isoToDayNumber(to);
  if (b <= a) return from;
  return dayNumberToIso(rng.int(a, b));
}

/** A random Monday-Friday date in [from, to] (falls back to `from` when there is none). */
export function randomWeekday(rng: Rng, from: string, to: string): string {
  const a = isoToDayNumber(from);
  const b = isoToDayNumber(to);
  for (let attempt = 0; attempt < 8; attempt++) {
    const d = b <= a ? a : rng.int(a, b);
    const wd = (((d + 4) % 7) + 7) % 7;
    if (wd !== 0 && wd !== 6) return dayNumberToIso(d);
  }
  return from;
}

/** A random school day in [from, to], or null when there is none. */
export function randomSchoolDay(rng: Rng, from: string, to: string): string | null {
  if (from > to) return null;
  const n = schoolDaysInRange(from, to);
  if (n === 0) return null;
  return addSchoolDays(addDays(from, -1), rng.int(1, n));
}

/** A time on a working day, as an ISO timestamp, for `updated_at` fields. */
export function timestampOn(rng: Rng, date: string): string {
  const h = String(rng.int(8, 17)).padStart(2, '0');
  const m = String(rng.int(0, 59)).padStart(2, '0');
  const s = String(rng.int(0, 59)).padStart(2, '0');
  return `${date}T${h}:${m}:${s}Z`;
}

export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}

export { addDays, ageOn };
