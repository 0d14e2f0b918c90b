import { toKs2, toKs4 } from './attainment';

describe('attainment', () => {
  it('KS2 expected standard needs reading and maths 100+ and writing EXS or GDS', () => {
    const ks2 = { year: '2024', reading_scaled: 100, maths_scaled: 100, writing_ta: 'EXS' };
    expect(toKs2(ks2)).toEqual({
      year: '2024',
      readingScaledScore: 100,
      mathsScaledScore: 100,
      writingTeacherAssessment: 'EXS',
      expectedStandardRwm: true,
    });
    expect(toKs2({ ...ks2, writing_ta: 'GDS' }).expectedStandardRwm).toBe(true);
    expect(toKs2({ ...ks2, writing_ta: 'WTS' }).expectedStandardRwm).toBe(false);
    expect(toKs2({ ...ks2, writing_ta: null }).expectedStandardRwm).toBe(false);
    expect(toKs2({ ...ks2, maths_scaled: 99 }).expectedStandardRwm).toBe(false);
    expect(toKs2({ ...ks2, reading_scaled: null }).expectedStandardRwm).toBe(false);
  });

  it('KS4 English and maths 4+ and 5+ need both grades', () => {
    const ks4 = { year: '2025', attainment8: 38.5, english_grade: 4, maths_grade: 5 };
    expect(toKs4(ks4)).toEqual({
      year: '2025',
      attainment8: 38.5,
      englishGrade: 4,
      mathsGrade: 5,
      englishAndMaths4Plus: true,
      englishAndMaths5Plus: false,
    });
    expect(toKs4({ ...ks4, english_grade: 5 }).englishAndMaths5Plus).toBe(true);
    expect(toKs4({ ...ks4, maths_grade: 3 }).englishAndMaths4Plus).toBe(false);
    expect(toKs4({ ...ks4, english_grade: null, attainment8: null })).toMatchObject({
      attainment8: null,
      englishAndMaths4Plus: false,
      englishAndMaths5Plus: false,
    });
  });
});
