import type {
  ScChildRecord,
  ScEpisode,
  ScPep,
  ScPlacement,
} from '../../upstream/social-care/contract';
import { addSchoolDays, addWorkingDays, schoolDaysBetween } from '../school-calendar';
import {
  firstPep,
  isOfPepAge,
  isPepInDate,
  pepFactsOf,
  pepStanding,
  thirdBirthday,
  type PepFacts,
  type PepStanding,
  type PepStatus,
} from './pep';

// The LA's terms in 2025/26: autumn 1 Sep - 19 Dec (Christmas holiday 20 Dec - 4 Jan), spring
// 5 Jan - 31 Mar (Easter holiday 1-14 Apr), summer 15 Apr - 21 Jul. Summer 2024/25 ended 21 Jul.
const AUTUMN_END = '2025-12-19';
const SPRING_END = '2026-03-31';

type Held = readonly [meeting: string, status?: ScPep['STATUS']];

/** A Year 6 child in care since March 2023 (not an emergency placement), with these PEPs. */
function facts(peps: readonly Held[], overrides: Partial<PepFacts> = {}): PepFacts {
  return {
    dob: '2014-05-05',
    inCareSince: '2023-03-01',
    emergencyPlacement: false,
    peps: peps.map(([MEETING_DATE, STATUS = 'COMPLETE']) => ({ MEETING_DATE, STATUS })),
    ...overrides,
  };
}

// Entered care on Wednesday 1 October 2025: the 20th school day after is 5 November (autumn
// half-term, 27-31 October, in between).
const ENTERED = '2025-10-01';
const FIRST_DUE = '2025-11-05';
// Entered by emergency placement on Monday 30 March 2026: 10 working days over Good Friday and
// Easter Monday is 15 April; 20 school days over the Easter holiday would be 11 May.
const EMERGENCY_ENTRY = '2026-03-30';
const EMERGENCY_DUE = '2026-04-15';

const cases: ReadonlyArray<
  readonly [name: string, on: string, facts: PepFacts, expected: Partial<PepStanding>]
> = [
  [
    'a PEP this term: CURRENT, the next review by the end of next term',
    '2025-11-14',
    facts([['2025-06-10'], ['2025-10-01', 'QA_APPROVED']]),
    { status: 'CURRENT', nextReviewDue: SPRING_END, lastCompleted: '2025-10-01' },
  ],
  [
    'a December PEP on the last day of autumn term: CURRENT',
    AUTUMN_END,
    facts([['2025-06-10'], ['2025-12-10']]),
    { status: 'CURRENT', nextReviewDue: SPRING_END },
  ],
  [
    'a December PEP in the Christmas holiday: CURRENT ("this term" is the term just ended)',
    '2025-12-28',
    facts([['2025-06-10'], ['2025-12-10']]),
    { status: 'CURRENT', nextReviewDue: SPRING_END },
  ],
  [
    'a December PEP on the first day of spring term: DUE by the end of spring',
    '2026-01-05',
    facts([['2025-06-10'], ['2025-12-10']]),
    { status: 'DUE', nextReviewDue: SPRING_END, lastCompleted: '2025-12-10' },
  ],
  [
    'a PEP held in the Christmas holiday counts for the autumn term',
    '2026-01-05',
    facts([['2025-12-22']]),
    { status: 'DUE', nextReviewDue: SPRING_END },
  ],
  [
    'a summer PEP seen in the Christmas holiday: DUE, its review was due by the end of autumn',
    '2025-12-28',
    facts([['2025-06-10']]),
    { status: 'DUE', nextReviewDue: AUTUMN_END },
  ],
  [
    'a PEP only two terms ago: OVERDUE',
    '2026-01-20',
    facts([['2025-06-10']]),
    { status: 'OVERDUE', nextReviewDue: SPRING_END, lastCompleted: '2025-06-10' },
  ],
  [
    'a draft this term does not count: DUE on last term’s completed PEP',
    '2025-11-14',
    facts([['2025-06-10'], ['2025-11-10', 'DRAFT']]),
    { status: 'DUE', nextReviewDue: AUTUMN_END, lastCompleted: '2025-06-10' },
  ],
  [
    'a draft this term and a completed PEP two terms ago: OVERDUE',
    '2025-11-14',
    facts([['2025-03-10'], ['2025-11-10', 'DRAFT']]),
    { status: 'OVERDUE', nextReviewDue: AUTUMN_END },
  ],
  [
    'a meeting dated after today is not held',
    '2025-11-14',
    facts([['2025-06-10'], ['2025-12-01']]),
    { status: 'DUE', lastCompleted: '2025-06-10' },
  ],
  [
    'entered care 19 school days ago without a PEP: NONE, the first PEP due in one school day',
    '2025-11-04',
    facts([], { inCareSince: ENTERED }),
    { status: 'NONE', nextReviewDue: FIRST_DUE, firstPepDue: FIRST_DUE, lastCompleted: null },
  ],
  [
    'entered care 20 school days ago without a PEP: NONE on the deadline itself',
    FIRST_DUE,
    facts([], { inCareSince: ENTERED }),
    { status: 'NONE', nextReviewDue: FIRST_DUE },
  ],
  [
    'entered care 21 school days ago without a PEP: OVERDUE',
    '2025-11-06',
    facts([], { inCareSince: ENTERED }),
    { status: 'OVERDUE', nextReviewDue: AUTUMN_END, firstPepDue: FIRST_DUE },
  ],
  [
    'only a draft first PEP past the deadline: OVERDUE',
    '2025-11-06',
    facts([['2025-10-20', 'DRAFT']], { inCareSince: ENTERED }),
    { status: 'OVERDUE' },
  ],
  [
    'a first PEP held late, this term: CURRENT',
    '2025-11-14',
    facts([['2025-11-12']], { inCareSince: ENTERED }),
    { status: 'CURRENT', nextReviewDue: SPRING_END, firstPepDue: FIRST_DUE },
  ],
  [
    'a PEP from an earlier period of care does not count for this one',
    '2025-11-06',
    facts([['2025-09-15']], { inCareSince: ENTERED }),
    { status: 'OVERDUE', lastCompleted: null },
  ],
  [
    'emergency placement: NONE up to 10 working days (over Good Friday and Easter Monday)',
    EMERGENCY_DUE,
    facts([], { inCareSince: EMERGENCY_ENTRY, emergencyPlacement: true }),
    { status: 'NONE', nextReviewDue: EMERGENCY_DUE, firstPepDue: EMERGENCY_DUE },
  ],
  [
    'emergency placement: OVERDUE the working day after',
    '2026-04-16',
    facts([], { inCareSince: EMERGENCY_ENTRY, emergencyPlacement: true }),
    { status: 'OVERDUE', firstPepDue: EMERGENCY_DUE, nextReviewDue: '2026-07-21' },
  ],
  [
    'the same entry planned: still NONE, 20 school days run to 11 May',
    '2026-04-16',
    facts([], { inCareSince: EMERGENCY_ENTRY }),
    { status: 'NONE', nextReviewDue: '2026-05-11', firstPepDue: '2026-05-11' },
  ],
  [
    'entered care under 3: the first PEP is due 20 school days after the third birthday',
    '2025-11-04',
    // Third birthday 1 October 2025; the emergency rule is for a child who entered at 3 or over.
    facts([], { dob: '2022-10-01', inCareSince: '2023-05-01', emergencyPlacement: true }),
    { status: 'NONE', nextReviewDue: FIRST_DUE, firstPepDue: FIRST_DUE },
  ],
  [
    'under 3: NOT_REQUIRED',
    '2025-11-14',
    facts([], { dob: '2022-11-15' }),
    { status: 'NOT_REQUIRED', nextReviewDue: null, firstPepDue: null },
  ],
  [
    'past Year 13 (18 on the 31 August before the year): NOT_REQUIRED',
    '2025-11-14',
    facts([['2025-06-10']], { dob: '2007-08-31' }),
    { status: 'NOT_REQUIRED', nextReviewDue: null, firstPepDue: null, lastCompleted: null },
  ],
  [
    'in Year 13 though 18 now: required',
    '2025-11-14',
    facts([['2025-10-01']], { dob: '2007-09-01' }),
    { status: 'CURRENT' },
  ],
  [
    'not looked after: NOT_REQUIRED',
    '2025-11-14',
    facts([['2025-10-01']], { inCareSince: null }),
    { status: 'NOT_REQUIRED', nextReviewDue: null },
  ],
];

describe('PEP status (domain.md, Personal Education Plans)', () => {
  it('has calendar facts the cases rely on', () => {
    expect(schoolDaysBetween(ENTERED, '2025-11-04')).toBe(19);
    expect(schoolDaysBetween(ENTERED, '2025-11-06')).toBe(21);
    expect(addSchoolDays(ENTERED, 20)).toBe(FIRST_DUE);
    expect(addWorkingDays(EMERGENCY_ENTRY, 10)).toBe(EMERGENCY_DUE);
    expect(addSchoolDays(EMERGENCY_ENTRY, 20)).toBe('2026-05-11');
  });

  it.each(cases)('%s', (_name, on, input, expected) => {
    expect(pepStanding(input, on)).toMatchObject(expected);
  });

  it('counts CURRENT and DUE as in date', () => {
    const all: PepStatus[] = ['CURRENT', 'DUE', 'OVERDUE', 'NONE', 'NOT_REQUIRED'];
    expect(all.filter(isPepInDate)).toEqual(['CURRENT', 'DUE']);
  });

  it('is required from the third birthday to the end of Year 13', () => {
    expect(isOfPepAge('2022-11-14', '2025-11-14')).toBe(true);
    expect(isOfPepAge('2022-11-15', '2025-11-14')).toBe(false);
    expect(isOfPepAge('2007-09-01', '2025-11-14')).toBe(true);
    expect(isOfPepAge('2007-08-31', '2025-11-14')).toBe(false);
    expect(thirdBirthday('2020-02-29')).toBe('2023-03-01');
    expect(thirdBirthday('2021-02-28')).toBe('2024-02-28');
  });
});

describe('the first PEP of a period of care', () => {
  it('is due by the deadline and met only by a completed PEP of this period of care', () => {
    const input = facts([['2025-09-15'], ['2025-10-20', 'DRAFT'], ['2025-11-10', 'QA_APPROVED']], {
      inCareSince: ENTERED,
    });
    expect(firstPep(input, '2025-11-14')).toEqual({
      requiredFrom: ENTERED,
      due: FIRST_DUE,
      held: '2025-11-10',
    });
    expect(firstPep(input, '2025-11-01')).toMatchObject({ held: null });
    expect(firstPep(facts([], { inCareSince: null }), '2025-11-14')).toBeNull();
  });
});

describe('what the rule reads from a case record', () => {
  function episode(DECOM: string, DEC: string | null, LS = 'C2', RNE = 'P'): ScEpisode {
    return {
      CHILD: '1234567',
      DECOM,
      RNE,
      LS,
      CIN: 'N1',
      PLACE: 'U4',
      PLACE_PROVIDER: 'PR1',
      DEC,
      REC: DEC === null ? null : 'X1',
      REASON_PLACE_CHANGE: null,
      HOME_POST: null,
      PL_POST: null,
      URN: null,
      PL_LA: '340',
    };
  }
  function placement(DECOM: string, EMERGENCY: boolean): ScPlacement {
    return {
      CHILD: '1234567',
      DECOM,
      EMERGENCY,
      CARER_NAME: 'Carer',
      CARER_WORK_PHONE: null,
      CARER_WORK_EMAIL: null,
      ADDRESS_LINE1: '1 Test Row',
      ADDRESS_TOWN: 'Kirkby',
      POSTCODE: 'L34 0ZZ',
    };
  }
  type CaseRecord = Pick<ScChildRecord, 'CHILD' | 'DOB' | 'episodes' | 'placements' | 'peps'>;
  const record = (over: Partial<CaseRecord>): CaseRecord => ({
    CHILD: '1234567',
    DOB: '2014-05-05',
    peps: [],
    ...over,
  });

  it('takes the emergency flag from the placement that began the period of care', () => {
    // Left care in 2022 and came back on 1 October 2025 by emergency placement, then moved.
    const r = record({
      episodes: [
        episode('2020-01-10', '2022-03-01', 'C2', 'S'),
        episode('2025-10-01', '2025-10-20', 'C1', 'S'),
        episode('2025-10-20', null, 'C1', 'P'),
      ],
      placements: [
        placement('2020-01-10', false),
        placement('2025-10-01', true),
        placement('2025-10-20', false),
      ],
    });
    expect(pepFactsOf(r, '2025-11-14')).toMatchObject({
      inCareSince: '2025-10-01',
      emergencyPlacement: true,
    });
    expect(pepFactsOf(r, '2021-06-01')).toMatchObject({
      inCareSince: '2020-01-10',
      emergencyPlacement: false,
    });
    // Between the two periods of care the child was not looked after.
    expect(pepFactsOf(r, '2023-06-01').inCareSince).toBeNull();
  });

  it('is not looked after for PEPs on short breaks only, nor without placements fetched', () => {
    const shortBreaks = record({ episodes: [episode('2025-01-10', null, 'V4', 'S')] });
    expect(pepFactsOf(shortBreaks, '2025-11-14').inCareSince).toBeNull();
    const noPlacements = record({ episodes: [episode('2025-01-10', null, 'C2', 'S')] });
    expect(pepFactsOf(noPlacements, '2025-11-14')).toMatchObject({
      inCareSince: '2025-01-10',
      emergencyPlacement: false,
    });
  });
});
