/**
 * The key stage thresholds: KS2 expected standard in reading, writing and maths (scaled scores
 * of 100 or more in reading and maths, writing assessed EXS or GDS) and KS4 English and maths at
 * grade 4+ and 5+. This is the single place those thresholds live: the education subgraph uses
 * them for a pupil's attainment and the reporting subgraph for its attainment measures, so a
 * report and a pupil's record always agree. Also the one rule for which academic year a result
 * belongs to: a pupil may hold results from more than one year (one who sat the KS2 tests and
 * then repeated Year 6), and a measure of an academic year counts that year's result only.
 * Pure functions.
 */
import type { EdKs2, EdKs4 } from '../../upstream/education/contract';
import { academicYearOf } from '../school-calendar';

export interface Ks2Shape {
  year: string;
  readingScaledScore: number | null;
  mathsScaledScore: number | null;
  writingTeacherAssessment: string | null;
  expectedStandardRwm: boolean;
}

export interface Ks4Shape {
  year: string;
  attainment8: number | null;
  englishGrade: number | null;
  mathsGrade: number | null;
  englishAndMaths4Plus: boolean;
  englishAndMaths5Plus: boolean;
}

const WRITING_AT_EXPECTED = new Set(['EXS', 'GDS']);

export function toKs2(ks2: EdKs2): Ks2Shape {
  return {
    year: ks2.year,
    readingScaledScore: ks2.reading_scaled,
    mathsScaledScore: ks2.maths_scaled,
    writingTeacherAssessment: ks2.writing_ta,
    expectedStandardRwm:
      (ks2.reading_scaled ?? 0) >= 100 &&
      (ks2.maths_scaled ?? 0) >= 100 &&
      ks2.writing_ta !== null &&
      WRITING_AT_EXPECTED.has(ks2.writing_ta),
  };
}

export function toKs4(ks4: EdKs4): Ks4Shape {
  const bothAtLeast = (grade: number): boolean =>
    (ks4.english_grade ?? 0) >= grade && (ks4.maths_grade ?? 0) >= grade;
  return {
    year: ks4.year,
    attainment8: ks4.attainment8,
    englishGrade: ks4.english_grade,
    mathsGrade: ks4.maths_grade,
    englishAndMaths4Plus: bothAtLeast(4),
    englishAndMaths5Plus: bothAtLeast(5),
  };
}

// ---------------------------------------------------------------- results of an academic year

/** A key stage result: `year` is the calendar year of the summer the assessment was taken. */
interface DatedResult {
  year: string;
}

const RESULT_YEAR = /^\d{4}$/;

/**
 * The academic year a result belongs to: the tests are sat in May and June, so the result of
 * summer "2025" belongs to 2024/25. Null for a `year` that is not a four-digit year (never
 * guessed into some academic year).
 */
export function academicYearOfResult(year: string): string | null {
  if (!RESULT_YEAR.test(year) || year === '0000') return null;
  return academicYearOf(`${year}-06-30`);
}

/** The result of `academicYear` (e.g. "2024/25") among `results`, or null when none is. */
function resultOf<T extends DatedResult>(results: readonly T[], academicYear: string): T | null {
  let found: T | null = null;
  // The last one wins: the list is oldest first, so a corrected result replaces the first.
  for (const result of results) {
    if (academicYearOfResult(result.year) === academicYear) found = result;
  }
  return found;
}

/** The pupil's KS2 result of `academicYear` (e.g. "2024/25"), or null when they hold none. */
export function ks2For(results: readonly EdKs2[], academicYear: string): EdKs2 | null {
  return resultOf(results, academicYear);
}

/** The pupil's KS4 result of `academicYear` (e.g. "2024/25"), or null when they hold none. */
export function ks4For(results: readonly EdKs4[], academicYear: string): EdKs4 | null {
  return resultOf(results, academicYear);
}

/** The most recent result (the latest summer; the later one listed on a tie), or null. */
export function latestResult<T extends DatedResult>(results: readonly T[]): T | null {
  let latest: T | null = null;
  for (const result of results) {
    if (academicYearOfResult(result.year) === null) continue;
    if (latest === null || result.year >= latest.year) latest = result;
  }
  return latest;
}

/** The results oldest first (by summer; the order held kept on a tie and for unreadable years). */
export function oldestFirst<T extends DatedResult>(results: readonly T[]): T[] {
  return results
    .map((result, index) => ({ result, index }))
    .sort((a, b) => a.result.year.localeCompare(b.result.year) || a.index - b.index)
    .map(({ result }) => result);
}
