/**
 * The key stage thresholds: KS2 expected standard in reading, writing and maths (scaled scores
 * of 100 or more in reading and maths, writing assessed EXS or GDS) and KS4 English and maths at
 * grade 4+ and 5+. This is the single place those thresholds live: the education subgraph uses
 * them for a pupil's attainment and the reporting subgraph for its attainment measures, so a
 * report and a pupil's record always agree. Pure functions.
 */
import type { EdKs2, EdKs4 } from '../../upstream/education/contract';

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
