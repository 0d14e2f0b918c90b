/**
 * The reporting rules that decide who is in a cohort and which band they fall in: the DfE
 * outcome cohort, mid-year school moves, the fixed bands, and periods of whole terms.
 */
import type { EdEnrolment } from '../../upstream/education/contract';
import type { ScEpisode } from '../../upstream/social-care/contract';
import { ageBand, keyStageOf, legalStatusGroup, placementGroup, yearGroupBand } from './bands';
import { enrolmentOn, movedMidYear } from '../../domain/measures/school-roll';
import { continuouslyLookedAfter } from './facts';
import { resolvePeriod } from './period';

const episode = (overrides: Partial<ScEpisode>): ScEpisode => ({
  CHILD: '1',
  DECOM: '2020-01-01',
  RNE: 'S',
  LS: 'C2',
  CIN: 'N1',
  PLACE: 'U4',
  PLACE_PROVIDER: 'PR1',
  DEC: null,
  REC: null,
  REASON_PLACE_CHANGE: null,
  HOME_POST: null,
  PL_POST: null,
  URN: null,
  PL_LA: '340',
  ...overrides,
});

describe('looked after continuously for 12 months at 31 March', () => {
  const at = '2025-03-31';

  it('counts a child in care all year, through a change of placement (X1)', () => {
    expect(
      continuouslyLookedAfter(
        [
          episode({ DECOM: '2022-05-01', DEC: '2024-10-01', REC: 'X1' }),
          episode({ DECOM: '2024-10-01', RNE: 'P', PLACE: 'K2' }),
        ],
        at,
      ),
    ).toBe(true);
  });

  it('counts a child who came into care on 1 April, twelve months before', () => {
    expect(continuouslyLookedAfter([episode({ DECOM: '2024-04-01' })], at)).toBe(true);
  });

  it('leaves out a child who came into care during the year', () => {
    expect(continuouslyLookedAfter([episode({ DECOM: '2024-04-02' })], at)).toBe(false);
  });

  it('leaves out a child who left and came back during the year', () => {
    expect(
      continuouslyLookedAfter(
        [
          episode({ DECOM: '2020-01-01', DEC: '2024-08-01', REC: 'E13' }),
          episode({ DECOM: '2024-09-01', RNE: 'S' }),
        ],
        at,
      ),
    ).toBe(false);
  });

  it('leaves out a child with a short-break (V3/V4) episode in the year', () => {
    expect(
      continuouslyLookedAfter(
        [
          episode({ DECOM: '2020-01-01', DEC: '2024-06-01', REC: 'X1', LS: 'V3' }),
          episode({ DECOM: '2024-06-01', RNE: 'L' }),
        ],
        at,
      ),
    ).toBe(false);
  });

  it('leaves out a child no longer looked after on the day', () => {
    expect(
      continuouslyLookedAfter(
        [episode({ DECOM: '2020-01-01', DEC: '2025-03-31', REC: 'E4A' })],
        at,
      ),
    ).toBe(false);
  });
});

const enrolment = (overrides: Partial<EdEnrolment>): EdEnrolment => ({
  urn: '100001',
  year_group: '7',
  entry_date: '2024-09-02',
  leaving_date: null,
  enrolment_status: 'C',
  ...overrides,
});

describe('mid-year school moves', () => {
  it('counts a new school after leaving another earlier in the same academic year', () => {
    const history = [
      enrolment({ urn: '100001', entry_date: '2024-09-02', leaving_date: '2025-01-31' }),
      enrolment({ urn: '100002', entry_date: '2025-02-03' }),
    ];
    expect(movedMidYear(history, '2024-09-01', '2025-08-31')).toBe(true);
    // The move is in the spring term, not the autumn one.
    expect(movedMidYear(history, '2024-09-01', '2024-12-31')).toBe(false);
  });

  it('does not count the move from primary to secondary over the summer', () => {
    const history = [
      enrolment({ urn: '100001', entry_date: '2018-09-03', leaving_date: '2024-07-19' }),
      enrolment({ urn: '100002', entry_date: '2024-09-02' }),
    ];
    expect(movedMidYear(history, '2024-09-01', '2025-08-31')).toBe(false);
  });

  it('does not count a subsidiary dual registration as a move', () => {
    const history = [
      enrolment({ urn: '100001', entry_date: '2020-09-02' }),
      enrolment({ urn: '100004', entry_date: '2024-11-04', enrolment_status: 'S' }),
    ];
    expect(movedMidYear(history, '2024-09-01', '2025-08-31')).toBe(false);
    expect(enrolmentOn(history, '2024-12-01')?.urn).toBe('100001');
  });
});

describe('bands', () => {
  it('places ages in the DfE bands', () => {
    expect(
      ['2025-06-01', '2024-03-01', '2015-03-01', '2010-03-01', '2008-03-01'].map((dob) =>
        ageBand(dob, '2025-11-14'),
      ),
    ).toEqual(['UNDER_1', 'AGE_1_TO_4', 'AGE_10_TO_15', 'AGE_10_TO_15', 'AGE_16_AND_OVER']);
  });

  it('gives year groups and key stages by age, with a band for none', () => {
    expect(yearGroupBand('2016-03-12', '2025-11-14')).toBe('YEAR_5');
    expect(keyStageOf('YEAR_5')).toBe('KEY_STAGE_2');
    expect(keyStageOf('RECEPTION')).toBe('EARLY_YEARS');
    expect(keyStageOf('YEAR_11')).toBe('KEY_STAGE_4');
    expect(keyStageOf('YEAR_12')).toBe('KEY_STAGE_5');
    expect(yearGroupBand('2025-06-01', '2025-11-14')).toBe('NO_YEAR_GROUP');
    expect(keyStageOf('NO_YEAR_GROUP')).toBe('NO_YEAR_GROUP');
  });

  it('groups placement types and legal statuses, historic and unknown codes included', () => {
    expect(
      ['U1', 'A5', 'P1', 'K3', 'H5', 'K2', 'S1', 'T2', 'Z1', 'Q9'].map(placementGroup),
    ).toEqual([
      'FOSTER',
      'PLACED_FOR_ADOPTION',
      'PLACED_WITH_PARENTS',
      'SUPPORTED_OR_INDEPENDENT_LIVING',
      'SUPPORTED_OR_INDEPENDENT_LIVING',
      'CHILDRENS_HOMES_AND_SECURE',
      'OTHER_RESIDENTIAL',
      'OTHER',
      'OTHER',
      'OTHER',
    ]);
    expect(['C1', 'C2', 'E1', 'V2', 'L2', 'J3', 'XX'].map(legalStatusGroup)).toEqual([
      'INTERIM_CARE_ORDER',
      'FULL_CARE_ORDER',
      'PLACEMENT_ORDER',
      'SECTION_20',
      'DETAINED_FOR_PROTECTION',
      'YOUTH_JUSTICE',
      'OTHER',
    ]);
  });
});

describe('periods', () => {
  it('measures the current academic year to today, and a past one to 31 August', () => {
    expect(resolvePeriod({ academicYear: '2025/26' }, '2026-02-10')).toMatchObject({
      from: '2025-09-01',
      to: '2026-08-31',
      measuredTo: '2026-02-10',
      referenceDate: '2026-02-10',
      financialYear: '2025-26',
    });
    expect(resolvePeriod({ academicYear: '2024/25' }, '2026-02-10').referenceDate).toBe(
      '2025-08-31',
    );
  });

  it('takes the outcome cohort on 31 March of the academic year', () => {
    expect(
      resolvePeriod(
        { academicYear: '2024/25', basis: 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS' },
        '2026-02-10',
      ),
    ).toMatchObject({ referenceDate: '2025-03-31', measuredTo: '2025-08-31' });
  });

  it("takes a range of whole terms (the LA's term dates) within one academic year, nothing finer", () => {
    // Spring term 2025/26: Monday 5 January to Tuesday 31 March.
    expect(
      resolvePeriod({ dateRange: { from: '2026-01-05', to: '2026-03-31' } }, '2026-06-01'),
    ).toMatchObject({ academicYear: '2025/26', measuredTo: '2026-03-31', fromYearStart: false });
    expect(
      resolvePeriod({ dateRange: { from: '2025-09-01', to: '2025-12-19' } }, '2026-06-01'),
    ).toMatchObject({ from: '2025-09-01', to: '2025-12-19', fromYearStart: true });
    // 1 September 2024 was a Sunday: the autumn term, and the year's figures, start on 2 September.
    expect(
      resolvePeriod({ dateRange: { from: '2024-09-02', to: '2025-07-21' } }, '2026-06-01'),
    ).toMatchObject({ academicYear: '2024/25', fromYearStart: true });
    for (const range of [
      { from: '2026-01-01', to: '2026-04-14' }, // the old calendar blocks
      { from: '2025-09-01', to: '2025-12-31' },
      { from: '2026-01-06', to: '2026-03-31' },
      { from: '2026-01-05', to: '2026-03-30' },
      { from: '2025-09-01', to: '2026-12-31' },
      { from: '2026-04-15', to: '2026-03-31' },
    ]) {
      expect(() => resolvePeriod({ dateRange: range }, '2027-01-01')).toThrow(/term|forwards/);
    }
    // The message names the LA's term dates for the year.
    expect(() =>
      resolvePeriod({ dateRange: { from: '2026-01-01', to: '2026-04-14' } }, '2027-01-01'),
    ).toThrow(
      'autumn 2025-09-01 to 2025-12-19, spring 2026-01-05 to 2026-03-31, summer 2026-04-15 to 2026-07-21',
    );
  });
});
