/**
 * The worklist criteria, table by table: each boundary (due in exactly N days, attendance at
 * exactly X%, the day a period starts) on both sides, and every bad input refused naming its
 * field. Records are built by hand; dates are in the 2025/26 spring term (5 January to
 * 31 March 2026) unless a row says otherwise.
 */
import { addDays } from '../../domain/school-calendar';
import type {
  EdEnrolment,
  EdSessionMark,
  EdStudentRecord,
} from '../../upstream/education/contract';
import type { ScChildRecord, ScEpisode, ScPep } from '../../upstream/social-care/contract';
import {
  hasNoDesignatedTeacher,
  isAttendanceBelowIn,
  isNotOnRoll,
  isPepDueWithin,
  isPepOverdue,
  isSuspendedSince,
  movedPlacementSince,
  toWorklist,
  worklistReasons,
  type Worklist,
} from './worklist';
import { movedSchoolSince } from '../../domain/measures/school-roll';

const AS_OF = '2026-02-10';
const TERM_END = '2026-03-31';

function episode(DECOM: string, RNE: string, DEC: string | null = null): ScEpisode {
  return {
    CHILD: '1000001',
    DECOM,
    RNE,
    LS: 'C2',
    CIN: 'N1',
    PLACE: 'U4',
    PLACE_PROVIDER: 'PR1',
    DEC,
    REC: DEC === null ? null : 'X1',
    REASON_PLACE_CHANGE: null,
    HOME_POST: null,
    PL_POST: null,
    URN: null,
  } as ScEpisode;
}

function pep(MEETING_DATE: string, STATUS: ScPep['STATUS'] = 'COMPLETE'): ScPep {
  return {
    PEP_ID: `P${MEETING_DATE}`,
    CHILD: '1000001',
    MEETING_DATE,
    INITIAL: false,
    STATUS,
    SCHOOL_URN: null,
    CHILD_VIEWS: null,
    SUPPORT_STRATEGIES: [],
    TARGETS: [],
    ATTENDEES: [],
    STRENGTHS: null,
    BARRIERS: null,
    SIGN_OFF: [],
    QA: null,
    VERSION: 1,
    COMPLETED_ON: null,
  };
}

function child(parts: Partial<ScChildRecord> = {}): ScChildRecord {
  return {
    CHILD: '1000001',
    SEX: '2',
    DOB: '2015-05-01',
    ETHNIC: 'WBRI',
    UPN: 'A123456789012',
    FORENAME: 'Test',
    SURNAME: 'Child',
    PREFERRED_NAME: null,
    LA: '340',
    UASC: false,
    UASC_CEASED: null,
    RESTRICTED: false,
    SW_ID: null,
    VS_CASEWORKER_ID: null,
    DELEGATED_AUTHORITY: [],
    LAST_UPDATED: '2026-01-01T00:00:00Z',
    episodes: [episode('2020-01-06', 'S')],
    placements: [],
    peps: [],
    ...parts,
  };
}

const enrolment = (
  urn: string,
  entry_date: string,
  leaving_date: string | null = null,
  enrolment_status: EdEnrolment['enrolment_status'] = 'C',
): EdEnrolment => ({ urn, year_group: '5', entry_date, leaving_date, enrolment_status });

function student(parts: Partial<EdStudentRecord> = {}): EdStudentRecord {
  return {
    upn: 'A123456789012',
    forename: 'Test',
    surname: 'Child',
    dob: '2015-05-01',
    gender: 'F',
    looked_after: true,
    looked_after_la: '340',
    updated_at: '2026-01-01T00:00:00Z',
    coverage: { source: 'LA_FEED', latest_return_on: null },
    enrolments: [enrolment('100001', '2019-09-01')],
    exclusions: [],
    ...parts,
  };
}

/** `attended` present marks then `absent` unauthorised ones, and `notPossible` D marks, all on `date`. */
function marks(date: string, attended: number, absent: number, notPossible = 0): EdSessionMark[] {
  const mark = (code: string): EdSessionMark => ({ date, session: 'AM', code, urn: '100001' });
  return [
    ...Array.from({ length: attended }, () => mark('/')),
    ...Array.from({ length: absent }, () => mark('N')),
    ...Array.from({ length: notPossible }, () => mark('D')),
  ];
}

describe('PEP criteria', () => {
  // DUE: a completed PEP last term (autumn 2025), none yet this term: due by the term's end.
  const due = child({ peps: [pep('2025-10-15')] });
  it.each([
    ['the term ends in exactly 14 days', addDays(TERM_END, -14), 14, true],
    ['the term ends in 15 days', addDays(TERM_END, -15), 14, false],
    ['the term ends today', TERM_END, 1, true],
    ['the term ends in 2 days, asked 1', addDays(TERM_END, -2), 1, false],
  ])('due within N days: %s', (_case, asOf, days, expected) => {
    expect(isPepDueWithin(due, asOf, days)).toBe(expected);
  });

  it.each([
    ['a completed PEP last term (DUE)', [pep('2025-10-15')], false],
    ['a completed PEP this term (CURRENT)', [pep('2026-01-20')], false],
    ['the last completed PEP two terms ago', [pep('2025-05-15')], true],
    ['only a draft last term', [pep('2025-10-15', 'DRAFT')], true],
  ])('overdue: %s', (_case, peps, expected) => {
    expect(isPepOverdue(child({ peps }), AS_OF)).toBe(expected);
  });

  it('an overdue PEP is not "due within" however near the term end is', () => {
    const overdue = child({ peps: [pep('2025-05-15')] });
    expect(isPepDueWithin(overdue, addDays(TERM_END, -3), 60)).toBe(false);
  });

  it('a first PEP not yet held is due by its own deadline (NONE), not the term end', () => {
    // Entered care 2026-02-02 (no emergency): first PEP due 20 school days later.
    const entered = child({ episodes: [episode('2026-02-02', 'S')], peps: [] });
    expect(isPepDueWithin(entered, AS_OF, 60)).toBe(true);
    expect(isPepDueWithin(entered, AS_OF, 1)).toBe(false);
    expect(isPepOverdue(entered, AS_OF)).toBe(false);
  });
});

describe('attendance below X%', () => {
  const term = { from: '2026-01-05', to: AS_OF };
  it.each([
    ['exactly 90% is not below 90', marks('2026-02-02', 90, 10), 90, false],
    ['89 of 100 is below 90', marks('2026-02-02', 89, 11), 90, true],
    [
      'D marks are not possible sessions: 9 of 10 with 5 D is 90%',
      marks('2026-02-02', 9, 1, 5),
      90,
      false,
    ],
    ['no possible session is never below', marks('2026-02-02', 0, 0, 4), 90, false],
    ['below 100 when one session is missed', marks('2026-02-02', 99, 1), 100, true],
    ['never below 0', marks('2026-02-02', 0, 10), 0, false],
  ])('%s', (_case, held, percent, expected) => {
    expect(isAttendanceBelowIn(student(), held, term, percent)).toBe(expected);
  });

  it('counts only the marks in the period (THIS_TERM vs LAST_WEEKS)', () => {
    // Absent all through January, present every session of the last two weeks.
    const held = [...marks('2026-01-12', 0, 20), ...marks('2026-02-02', 20, 0)];
    const thisTerm = toWorklist({ attendanceBelowPercent: 90 }, AS_OF)!.attendance!;
    const lastTwo = toWorklist(
      { attendanceBelowPercent: 90, attendancePeriod: 'LAST_WEEKS', attendanceWeeks: 2 },
      AS_OF,
    )!.attendance!;
    expect(thisTerm.range).toEqual({ from: '2026-01-05', to: AS_OF });
    expect(lastTwo.range).toEqual({ from: '2026-01-28', to: AS_OF });
    expect(isAttendanceBelowIn(student(), held, thisTerm.range, 90)).toBe(true);
    expect(isAttendanceBelowIn(student(), held, lastTwo.range, 90)).toBe(false);
  });

  it('during a holiday, THIS_TERM is the term just ended', () => {
    expect(toWorklist({ attendanceBelowPercent: 90 }, '2026-04-08')!.attendance!.range).toEqual({
      from: '2026-01-05',
      to: TERM_END,
    });
  });

  it('never matches a pupil whose attendance is not held (NO_RETURN), whatever the marks', () => {
    const noReturn = student({ coverage: { source: 'NO_RETURN', latest_return_on: null } });
    expect(isAttendanceBelowIn(noReturn, marks('2026-02-02', 0, 10), term, 90)).toBe(false);
    expect(isAttendanceBelowIn(null, marks('2026-02-02', 0, 10), term, 90)).toBe(false);
  });
});

describe('roll, school, suspension and placement criteria', () => {
  it.each([
    ['on roll today', student(), false],
    [
      'left last week, no new school',
      student({ enrolments: [enrolment('100001', '2019-09-01', '2026-02-03')] }),
      true,
    ],
    [
      'leaving today is still on roll today',
      student({ enrolments: [enrolment('100001', '2019-09-01', AS_OF)] }),
      false,
    ],
    [
      'only a subsidiary dual registration',
      student({ enrolments: [enrolment('100001', '2019-09-01', null, 'S')] }),
      true,
    ],
    ['no education record at all', null, true],
  ])('not on roll: %s', (_case, pupil, expected) => {
    expect(isNotOnRoll(child(), pupil, AS_OF)).toBe(expected);
  });

  it.each([
    ['a 3-year-old (nursery)', '2022-06-01', false],
    ['Reception', '2021-06-01', true],
    ['Year 11', '2010-06-01', true],
    ['Year 12', '2009-06-01', false],
  ])('not on roll is asked only from Reception to Year 11: %s', (_case, DOB, expected) => {
    expect(isNotOnRoll(child({ DOB }), null, AS_OF)).toBe(expected);
  });

  it.each([
    ['a suspension on the date', '2026-02-03', 'FIXED', true],
    ['a suspension the day before', '2026-02-02', 'FIXED', false],
    ['a permanent exclusion on the date', '2026-02-03', 'PERMANENT', false],
  ] as const)('suspended since 2026-02-03: %s', (_case, start_date, category, expected) => {
    const pupil = student({
      exclusions: [{ category, urn: '100001', start_date, sessions: 2, reasons: ['PP'] }],
    });
    expect(isSuspendedSince(pupil, '2026-02-03', AS_OF)).toBe(expected);
  });

  it('exclusions not held (null) never match', () => {
    expect(isSuspendedSince(student({ exclusions: null }), '2025-09-01', AS_OF)).toBe(false);
  });

  it.each([
    [
      'moved on the date',
      [enrolment('100001', '2019-09-01', '2026-01-30'), enrolment('100002', '2026-02-02')],
      true,
    ],
    [
      'moved the day before the date',
      [enrolment('100001', '2019-09-01', '2026-01-30'), enrolment('100002', '2026-02-01')],
      false,
    ],
    ['first admission on the date (no earlier school)', [enrolment('100002', '2026-02-02')], false],
    [
      'a subsidiary registration is not a move',
      [
        enrolment('100001', '2019-09-01', '2026-01-30'),
        enrolment('100002', '2026-02-02', null, 'S'),
      ],
      false,
    ],
  ])('school moved since 2026-02-02: %s', (_case, enrolments, expected) => {
    expect(movedSchoolSince(enrolments, '2026-02-02', AS_OF)).toBe(expected);
  });

  it.each([
    ['a placement change (P) on the date', 'P', '2026-02-02', true],
    ['a same-carer placement change (T)', 'T', '2026-02-05', true],
    ['a legal status change only (L)', 'L', '2026-02-05', false],
    ['entering care (S) is not a move', 'S', '2026-02-05', false],
    ['a placement change before the date', 'B', '2026-02-01', false],
  ])('placement moved since 2026-02-02: %s', (_case, rne, decom, expected) => {
    const record = child({ episodes: [episode('2020-01-06', 'S', decom), episode(decom, rne)] });
    expect(movedPlacementSince(record, '2026-02-02', AS_OF)).toBe(expected);
  });

  it('no designated teacher: only for the school the child is on roll at today', () => {
    const withDt = new Set(['100001']);
    expect(hasNoDesignatedTeacher(student(), withDt, AS_OF)).toBe(false);
    expect(hasNoDesignatedTeacher(student(), new Set(), AS_OF)).toBe(true);
    expect(hasNoDesignatedTeacher(null, new Set(), AS_OF)).toBe(false);
  });
});

describe('toWorklist: the input checked before anything runs', () => {
  it('is null when no criterion is given (false flags select nothing)', () => {
    expect(toWorklist(null, AS_OF)).toBeNull();
    expect(toWorklist({ pepOverdue: false, notOnRoll: false }, AS_OF)).toBeNull();
  });

  it.each([
    [{ pepDueWithinDays: 0 }, 'filter.worklist.pepDueWithinDays'],
    [{ pepDueWithinDays: 61 }, 'filter.worklist.pepDueWithinDays'],
    [{ attendanceBelowPercent: 100.5 }, 'filter.worklist.attendanceBelowPercent'],
    [{ attendanceBelowPercent: -1 }, 'filter.worklist.attendanceBelowPercent'],
    [
      { attendanceBelowPercent: 90, attendancePeriod: 'LAST_WEEKS' },
      'filter.worklist.attendanceWeeks',
    ],
    [
      { attendanceBelowPercent: 90, attendancePeriod: 'LAST_WEEKS', attendanceWeeks: 53 },
      'filter.worklist.attendanceWeeks',
    ],
    [{ attendanceBelowPercent: 90, attendanceWeeks: 4 }, 'filter.worklist.attendanceWeeks'],
    [{ attendancePeriod: 'THIS_TERM' }, 'filter.worklist.attendancePeriod'],
    [{ suspendedSince: '2026-02-30' }, 'filter.worklist.suspendedSince'],
    [{ schoolMovedSince: 'last week' }, 'filter.worklist.schoolMovedSince'],
    [{ placementMovedSince: '2026-02-11' }, 'filter.worklist.placementMovedSince'],
  ] as const)('refuses %j naming %s', (input, field) => {
    let error: unknown;
    try {
      toWorklist(input, AS_OF);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect((error as Error).message).toContain(`\`${field}\``);
  });

  it('lists every criterion matched, in the schema order', () => {
    const worklist = toWorklist(
      { pepOverdue: true, suspendedSince: '2026-02-01', notOnRoll: true },
      AS_OF,
    ) as Worklist;
    const facts = {
      record: child({ peps: [pep('2025-05-15')] }),
      student: student({
        enrolments: [enrolment('100001', '2019-09-01', '2026-02-04')],
        exclusions: [
          {
            category: 'FIXED' as const,
            urn: '100001',
            start_date: '2026-02-02',
            sessions: 2,
            reasons: [],
          },
        ],
      }),
      marks: null,
      schoolsWithDesignatedTeacher: new Set<string>(),
    };
    expect(worklistReasons(worklist, facts, AS_OF)).toEqual([
      'PEP_OVERDUE',
      'SUSPENDED',
      'NOT_ON_ROLL',
    ]);
  });
});
