import type { EdKs2, EdKs4 } from '../../upstream/education/contract';
import {
  academicYearOfResult,
  ks2For,
  ks4For,
  latestResult,
  oldestFirst,
  toKs2,
  toKs4,
} from './attainment';

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

  it.each([
    ['2025', '2024/25'],
    ['2024', '2023/24'],
    ['2019', '2018/19'],
    ['2026', '2025/26'],
    ['25', null],
    ['2025/26', null],
    ['', null],
    ['20x5', null],
  ])('the result of summer %j belongs to academic year %j', (year, academicYear) => {
    expect(academicYearOfResult(year)).toBe(academicYear);
  });

  const ks2 = (year: string, reading: number): EdKs2 => ({
    year,
    reading_scaled: reading,
    maths_scaled: 101,
    writing_ta: 'EXS',
  });
  // A pupil who sat the tests with the year above and again after repeating Year 6.
  const twice = [ks2('2024', 96), ks2('2025', 103)];

  it.each([
    { name: 'one result, its year', results: [ks2('2025', 103)], year: '2024/25', reading: 103 },
    {
      name: 'one result, another year',
      results: [ks2('2019', 103)],
      year: '2024/25',
      reading: null,
    },
    { name: 'two years: the later', results: twice, year: '2024/25', reading: 103 },
    { name: 'two years: the earlier', results: twice, year: '2023/24', reading: 96 },
    { name: 'two years: neither', results: twice, year: '2025/26', reading: null },
    { name: 'no results', results: [], year: '2024/25', reading: null },
    { name: 'an unreadable year', results: [ks2('25', 110)], year: '2024/25', reading: null },
  ])('ks2For counts the academic year’s result only: $name', ({ results, year, reading }) => {
    expect(ks2For(results, year)?.reading_scaled ?? null).toBe(reading);
  });

  it('ks4For picks the academic year’s result the same way', () => {
    const ks4 = (year: string, attainment8: number): EdKs4 => ({
      year,
      attainment8,
      english_grade: 4,
      maths_grade: 4,
    });
    const results = [ks4('2024', 30), ks4('2025', 41.5)];
    expect(ks4For(results, '2024/25')?.attainment8).toBe(41.5);
    expect(ks4For(results, '2023/24')?.attainment8).toBe(30);
    expect(ks4For(results, '2025/26')).toBeNull();
  });

  it('the latest result is the latest summer, whatever the order held', () => {
    expect(latestResult(twice)?.year).toBe('2025');
    expect(latestResult([...twice].reverse())?.year).toBe('2025');
    expect(latestResult([ks2('2025', 1), ks2('bad', 2)])?.year).toBe('2025');
    expect(latestResult([])).toBeNull();
    const held = [ks2('2025', 1), ks2('2023', 2), ks2('2024', 3)];
    expect(oldestFirst(held).map((r) => r.year)).toEqual(['2023', '2024', '2025']);
  });
});
