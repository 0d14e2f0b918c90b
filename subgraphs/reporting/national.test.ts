import { NATIONAL_COMPARISON, nationalFor, type NationalReference } from './national';

const OUTCOME = 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS' as const;
const AT_DATE = 'LOOKED_AFTER_AT_DATE' as const;

const TABLE: NationalReference = {
  version: 'test',
  source: 'test',
  releases: [
    { id: 'r2024', title: 'Release 2024', url: 'https://example.invalid/2024' },
    { id: 'r2019', title: 'Release 2019', url: 'https://example.invalid/2019' },
  ],
  figures: [
    {
      measure: 'KS2_RWM_EXPECTED',
      academicYear: '2023/24',
      cohortRule: 'ALL_PUPILS',
      value: 61,
      release: 'r2024',
    },
    {
      measure: 'KS2_RWM_EXPECTED',
      academicYear: '2023/24',
      cohortRule: 'LOOKED_AFTER_12_MONTHS_AT_31_MARCH',
      value: 33,
      release: 'r2024',
    },
    {
      measure: 'KS2_RWM_EXPECTED',
      academicYear: '2018/19',
      cohortRule: 'LOOKED_AFTER_12_MONTHS_AT_31_MARCH',
      value: 37,
      release: 'r2019',
    },
  ],
};

describe('national comparison: like for like, named in every answer', () => {
  it.each([
    // [report year, basis, looked-after year (or null), all-pupils year (or null), same year?]
    ['2023/24', OUTCOME, '2023/24', '2023/24', true],
    ['2024/25', OUTCOME, '2023/24', '2023/24', false],
    ['2020/21', OUTCOME, '2018/19', null, false],
    ['2017/18', OUTCOME, null, null, false],
    ['2023/24', AT_DATE, null, '2023/24', true],
  ] as const)('a %s report on %s', (year, basis, lookedAfterYear, allPupilsYear, same) => {
    const answer = nationalFor('KS2_RWM_EXPECTED', year, basis, TABLE)!;
    expect(answer.lookedAfter?.academicYear ?? null).toBe(lookedAfterYear);
    expect(answer.allPupils?.academicYear ?? null).toBe(allPupilsYear);
    if (answer.lookedAfter) {
      expect(answer.lookedAfter.sameAcademicYear).toBe(same);
      expect(answer.lookedAfter.cohortRule).toBe('LOOKED_AFTER_12_MONTHS_AT_31_MARCH');
      expect(answer.note).toContain(answer.lookedAfter.release);
    }
    if (basis === AT_DATE) expect(answer.note).toMatch(/12 months at 31 March/);
  });

  it('a 2024/25 report is never compared with a figure of another measure or a later year', () => {
    expect(nationalFor('PEP_IN_DATE', '2024/25', OUTCOME, TABLE)).toBeNull();
    const answer = nationalFor('KS2_RWM_EXPECTED', '2022/23', OUTCOME, TABLE)!;
    expect(answer.lookedAfter?.value).toBe(37);
  });

  it('names a release for every figure of the reference table', () => {
    const ids = new Set(NATIONAL_COMPARISON.releases.map((r) => r.id));
    for (const figure of NATIONAL_COMPARISON.figures) expect(ids.has(figure.release)).toBe(true);
    expect(NATIONAL_COMPARISON.releases[0]!.title).toMatch(/reporting year 2024/);
  });
});
