/**
 * The detectors, table by table: which change raises which event, with which key and facts,
 * to whom, and which changes raise nothing.
 */
import type { EdChange, EdEnrolment } from '../../upstream/education/contract';
import type { ScChange, ScChildRecord, ScEpisode } from '../../upstream/social-care/contract';
import { contextOf, type ChildContext } from './child-context';
import { eventsFromEducationChange, mayRaiseEducationEvent } from './education-changes';
import { eventsFromSocialCareChange } from './social-care-changes';
import {
  attendanceEvents,
  noSchoolPlaceEvents,
  pepEvents,
  schoolsWithoutDesignatedTeacher,
  type SweepSettings,
} from './daily-sweep';
import { SC_PEP_DEFAULTS } from '../../upstream/social-care/contract';

const TODAY = '2026-02-10';
const LA = '340';

const episode = (over: Partial<ScEpisode> = {}): ScEpisode => ({
  CHILD: '1000001',
  DECOM: '2025-06-01',
  RNE: 'S',
  LS: 'C2',
  CIN: 'N1',
  PLACE: 'U1',
  PLACE_PROVIDER: 'PR1',
  DEC: null,
  REC: null,
  REASON_PLACE_CHANGE: null,
  HOME_POST: 'L36 9',
  PL_POST: 'L36 1',
  URN: null,
  PL_LA: LA,
  ...over,
});

const record = (over: Partial<ScChildRecord> = {}): ScChildRecord => ({
  CHILD: '1000001',
  SEX: '1',
  DOB: '2014-03-03',
  ETHNIC: 'WBRI',
  UPN: 'A123456789012',
  FORENAME: 'Test',
  SURNAME: 'Child',
  PREFERRED_NAME: null,
  LA,
  UASC: false,
  UASC_CEASED: null,
  RESTRICTED: false,
  SW_ID: 'SW1',
  VS_CASEWORKER_ID: 'VSO1',
  DELEGATED_AUTHORITY: [],
  LAST_UPDATED: '2026-01-01',
  episodes: [episode()],
  placements: [],
  peps: [],
  ...over,
});

function child(
  over: Partial<ScChildRecord> = {},
  rate: number | null = 95,
  enrolments: EdEnrolment[] = [
    {
      urn: '100001',
      year_group: '6',
      entry_date: '2025-09-01',
      leaving_date: null,
      enrolment_status: 'C' as const,
    },
  ],
): ChildContext {
  const context = contextOf(
    record(over),
    {
      upn: 'A123456789012',
      forename: 'Test',
      surname: 'Child',
      dob: '2014-03-03',
      gender: 'M',
      looked_after: true,
      looked_after_la: LA,
      updated_at: '2026-01-01',
      coverage: { source: 'LA_FEED', latest_return_on: null },
      enrolments,
    },
    LA,
    TODAY,
  );
  return { ...context, attendanceRate: rate };
}

const stamp = { change_id: 7, changed_at: '2026-02-10T09:30:00.000Z' };
const settings = { today: TODAY, attendanceThresholdPercent: 90 };

function mark(code: string, date = TODAY): EdChange {
  return {
    ...stamp,
    kind: 'session_mark',
    record: { upn: 'A123456789012', date, session: 'AM', code, urn: '100001' },
  };
}

describe('education changes', () => {
  it('an unauthorised absence today is ABSENT_TODAY for everyone who works with the child', () => {
    const [event, ...rest] = eventsFromEducationChange(mark('O'), child(), settings);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      key: 'ABSENT_TODAY:1000001:2026-02-10:AM',
      type: 'ABSENT_TODAY',
      category: 'EDU',
      childId: '1000001',
      urn: '100001',
      occurredAt: '2026-02-10T09:30:00.000Z',
      facts: { date: TODAY, session: 'AM', code: 'O', authorised: false },
      audience: [
        'virtual-school-head@340',
        'social-worker:SW1',
        'virtual-school-officer:VSO1',
        'designated-teacher@100001',
      ],
    });
  });

  it.each([
    ['authorised absence, attendance 95%', 'I', 95, 0],
    ['authorised absence, attendance 89.9%', 'I', 89.9, 1],
    ['authorised absence, attendance 90% exactly', 'I', 90, 0],
    ['authorised absence, attendance not held', 'I', null, 0],
    ['present', '/', 50, 0],
    ['not a possible session (D)', 'D', 50, 0],
    ['unauthorised, attendance 99%', 'G', 99, 1],
  ])('%s: %s events', (_name, code, rate, count) => {
    expect(
      eventsFromEducationChange(mark(code as string), child({}, rate as number | null), settings),
    ).toHaveLength(count as number);
  });

  it('only an absence today is looked up at all (a present mark costs no request)', () => {
    expect(mayRaiseEducationEvent(mark('O'), TODAY)).toBe(true);
    expect(mayRaiseEducationEvent(mark('I'), TODAY)).toBe(true);
    expect(mayRaiseEducationEvent(mark('/'), TODAY)).toBe(false);
    expect(mayRaiseEducationEvent(mark('D'), TODAY)).toBe(false);
    expect(mayRaiseEducationEvent(mark('O', '2026-02-09'), TODAY)).toBe(false);
  });

  it('a mark for another day is not an absence today', () => {
    expect(eventsFromEducationChange(mark('O', '2026-02-09'), child(), settings)).toEqual([]);
  });

  it('a change about a pupil who is not our child raises nothing', () => {
    expect(eventsFromEducationChange(mark('O'), null, settings)).toEqual([]);
  });

  const exclusion = (
    category: 'FIXED' | 'PERMANENT',
    status: 'PROPOSED' | 'MADE' | 'WITHDRAWN',
  ): EdChange => ({
    ...stamp,
    kind: 'exclusion',
    record: {
      upn: 'A123456789012',
      exclusion_id: 'EX1',
      status,
      category,
      urn: '100001',
      start_date: TODAY,
      sessions: category === 'FIXED' ? 4 : null,
      reasons: ['PP', 'VA'],
    },
  });

  it.each([
    ['FIXED', 'MADE', 'SUSPENSION'],
    ['PERMANENT', 'PROPOSED', 'PERMANENT_EXCLUSION_PROPOSED'],
    ['PERMANENT', 'MADE', 'PERMANENT_EXCLUSION'],
    ['PERMANENT', 'WITHDRAWN', null],
  ] as const)('a %s exclusion %s is %s', (category, status, type) => {
    const events = eventsFromEducationChange(exclusion(category, status), child(), settings);
    if (type === null) return expect(events).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type,
      key: `${type}:1000001:EX1`,
      facts: { reasons: 'PP,VA' },
    });
  });

  it('joining a roll is a school move; leaving one is LEFT_ROLL', () => {
    const join: EdChange = {
      ...stamp,
      kind: 'enrolment',
      record: {
        upn: 'A123456789012',
        urn: '100002',
        year_group: '6',
        entry_date: TODAY,
        leaving_date: null,
        enrolment_status: 'C',
      },
    };
    const leave: EdChange = {
      ...stamp,
      kind: 'enrolment',
      record: {
        upn: 'A123456789012',
        urn: '100001',
        year_group: '6',
        entry_date: '2025-09-01',
        leaving_date: '2026-02-09',
        enrolment_status: 'C',
      },
    };
    expect(eventsFromEducationChange(join, child(), settings)[0]).toMatchObject({
      type: 'SCHOOL_MOVE',
      key: 'SCHOOL_MOVE:1000001:100002:2026-02-10',
    });
    expect(eventsFromEducationChange(leave, child(), settings)[0]).toMatchObject({
      type: 'LEFT_ROLL',
      key: 'LEFT_ROLL:1000001:100001:2026-02-09',
    });
  });
});

describe('social care changes', () => {
  it('a new placement is PLACEMENT_MOVE, with no address, postcode or carer', () => {
    const change: ScChange = {
      ...stamp,
      kind: 'placement',
      record: episode({
        DECOM: TODAY,
        RNE: 'P',
        PLACE: 'K2',
        PL_LA: '359',
        REASON_PLACE_CHANGE: 'CARPL',
      }),
    };
    const moved = child({
      episodes: [
        episode({ DEC: TODAY, REC: 'X1', REASON_PLACE_CHANGE: 'CARPL' }),
        episode({ DECOM: TODAY, RNE: 'P', PLACE: 'K2', PL_LA: '359' }),
      ],
    });
    const [event] = eventsFromSocialCareChange(change, moved);
    expect(event).toMatchObject({
      type: 'PLACEMENT_MOVE',
      category: 'PLACEMENT',
      key: 'PLACEMENT_MOVE:1000001:2026-02-10',
      facts: {
        startDate: TODAY,
        placementType: 'K2',
        placedOutOfArea: true,
        reasonForChange: 'CARPL',
      },
    });
    expect(JSON.stringify(event)).not.toMatch(/L36|PL_POST|HOME_POST|CARER/);
  });

  it('the episode a move ended raises nothing (the new one does)', () => {
    const ended: ScChange = {
      ...stamp,
      kind: 'placement',
      record: episode({ DEC: TODAY, REC: 'X1' }),
    };
    expect(eventsFromSocialCareChange(ended, child())).toEqual([]);
  });

  it('entering and leaving care', () => {
    const started: ScChange = {
      ...stamp,
      kind: 'period_of_care',
      record: { CHILD: '1000001', started: episode({ DECOM: TODAY }), ended: null },
    };
    const ended: ScChange = {
      ...stamp,
      kind: 'period_of_care',
      record: { CHILD: '1000001', started: null, ended: episode({ DEC: TODAY, REC: 'E11' }) },
    };
    expect(eventsFromSocialCareChange(started, child())[0]).toMatchObject({
      type: 'ENTERED_CARE',
      category: 'CARE',
      facts: { since: TODAY, legalStatus: 'C2' },
    });
    expect(eventsFromSocialCareChange(ended, child())[0]).toMatchObject({
      type: 'LEFT_CARE',
      facts: { endDate: TODAY, reason: 'E11' },
    });
  });
});

describe('the daily sweep', () => {
  const sweep: SweepSettings = {
    today: TODAY,
    la: LA,
    pepDueDays: 14,
    noSchoolPlaceDays: 5,
    attendanceThresholdPercent: 90,
    attendanceWeeks: 4,
  };

  it('no completed PEP this term or last: overdue, keyed by the deadline', () => {
    const events = pepEvents(
      child({ peps: [], episodes: [episode({ DECOM: '2025-01-06' })] }),
      sweep,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'PEP_OVERDUE', key: 'PEP_OVERDUE:1000001:2026-03-31' });
  });

  it('a PEP held last term, this term ending within 14 days: due soon', () => {
    const events = pepEvents(
      child({
        episodes: [episode({ DECOM: '2025-01-06' })],
        peps: [
          {
            PEP_ID: 'P1',
            CHILD: '1000001',
            MEETING_DATE: '2025-11-01',
            INITIAL: false,
            STATUS: 'COMPLETE',
            SCHOOL_URN: null,
            CHILD_VIEWS: null,
            ...SC_PEP_DEFAULTS,
            SUPPORT_STRATEGIES: [],
            TARGETS: [],
          },
        ],
      }),
      { ...sweep, today: '2026-03-20' },
    );
    expect(events[0]).toMatchObject({
      type: 'PEP_DUE_SOON',
      key: 'PEP_DUE_SOON:1000001:2026-03-31',
    });
    // More than 14 days before the end of term: nothing yet.
    expect(
      pepEvents(
        child({
          episodes: [episode({ DECOM: '2025-01-06' })],
          peps: [
            {
              PEP_ID: 'P1',
              CHILD: '1000001',
              MEETING_DATE: '2025-11-01',
              INITIAL: false,
              STATUS: 'COMPLETE',
              SCHOOL_URN: null,
              CHILD_VIEWS: null,
              ...SC_PEP_DEFAULTS,
              SUPPORT_STRATEGIES: [],
              TARGETS: [],
            },
          ],
        }),
        sweep,
      ),
    ).toEqual([]);
  });

  it('a child of school age on no roll for 5 school days: NO_SCHOOL_PLACE; 4 days: nothing', () => {
    const left = (date: string) => [
      {
        urn: '100001',
        year_group: '6',
        entry_date: '2025-09-01',
        leaving_date: date,
        enrolment_status: 'C' as const,
      },
    ];
    // Last day on roll Tuesday 3 February: Wednesday 4 to Tuesday 10 (today) are 5 school days.
    expect(noSchoolPlaceEvents(child({}, 95, left('2026-02-03')), sweep)).toHaveLength(1);
    expect(noSchoolPlaceEvents(child({}, 95, left('2026-02-03')), sweep)[0]).toMatchObject({
      key: 'NO_SCHOOL_PLACE:1000001:2026-02-04',
      facts: { since: '2026-02-04', schoolDays: 5 },
    });
    expect(noSchoolPlaceEvents(child({}, 95, left('2026-02-04')), sweep)).toEqual([]);
    expect(noSchoolPlaceEvents(child(), sweep)).toEqual([]);
  });

  it('asks "on a roll?" as the worklists do: Reception to Year 11, a single or main registration', () => {
    const left = [
      {
        urn: '100001',
        year_group: 'R',
        entry_date: '2025-09-01',
        leaving_date: '2026-01-30',
        enrolment_status: 'C' as const,
      },
    ];
    // Reception (born 2021) counts; a nursery child (born 2022) does not.
    expect(noSchoolPlaceEvents(child({ DOB: '2021-03-03' }, 95, left), sweep)).toHaveLength(1);
    expect(noSchoolPlaceEvents(child({ DOB: '2022-03-03' }, 95, left), sweep)).toEqual([]);
    // Only the other school's part of a dual registration left: no school place of their own.
    const subsidiaryOnly = [
      ...left.map((e) => ({ ...e, year_group: '6' })),
      {
        urn: '100002',
        year_group: '6',
        entry_date: '2025-09-01',
        leaving_date: null,
        enrolment_status: 'S' as const,
      },
    ];
    expect(noSchoolPlaceEvents(child({}, 95, subsidiaryOnly), sweep)).toHaveLength(1);
  });

  it('attendance under 90% over the last four weeks: one event a term', () => {
    const marks = Array.from({ length: 20 }, (_v, i) => ({
      date: `2026-02-${String((i % 9) + 1).padStart(2, '0')}`,
      session: 'AM' as const,
      code: i < 3 ? 'O' : '/',
      urn: '100001',
    }));
    const [event] = attendanceEvents(child(), marks, sweep);
    expect(event).toMatchObject({
      type: 'ATTENDANCE_BELOW_THRESHOLD',
      key: 'ATTENDANCE_BELOW_THRESHOLD:1000001:2026-01-05',
      facts: { ratePercent: 85 },
    });
    const fine = marks.map((m, i) => ({ ...m, code: i < 2 ? 'O' : '/' }));
    expect(attendanceEvents(child(), fine, sweep)).toEqual([]);
  });

  it('a school with our children and no designated teacher, once a year, to the head and its link officer', () => {
    const events = schoolsWithoutDesignatedTeacher(
      [child(), child({ CHILD: '1000002' })],
      new Set(['100009']),
      new Map([['100001', 'VSO7']]),
      sweep,
    );
    expect(events).toEqual([
      expect.objectContaining({
        key: 'SCHOOL_WITHOUT_DESIGNATED_TEACHER:100001:2025/26',
        childId: null,
        audience: ['virtual-school-head@340', 'virtual-school-officer:VSO7'],
      }),
    ]);
    expect(
      schoolsWithoutDesignatedTeacher([child()], new Set(['100001']), new Map(), sweep),
    ).toEqual([]);
  });
});
