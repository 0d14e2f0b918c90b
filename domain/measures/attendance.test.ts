import type { EdAttendanceSummary } from '../../upstream/education/contract';
import { logger } from '../../lib/logger';
import { toAttendance } from './attendance';

const summary = (codes: Record<string, number>): EdAttendanceSummary => ({
  academic_year: '2025/26',
  from: '2025-09-03',
  to: '2025-11-14',
  codes,
});

describe('attendance', () => {
  it('counts the tiny world pupil: present, authorised, unauthorised and closures', () => {
    const attendance = toAttendance(summary({ '/': 46, '\\': 45, N: 3, C: 2, '#': 10 }));
    expect(attendance).toMatchObject({
      academicYear: '2025/26',
      from: '2025-09-03',
      to: '2025-11-14',
      possibleSessions: 96,
      attendedSessions: 91,
      authorisedAbsenceSessions: 2,
      unauthorisedAbsenceSessions: 3,
      ratePercent: 94.8,
      persistentAbsence: false,
      severeAbsence: false,
    });
    expect(attendance.byCode).toEqual([
      { code: '/', meaning: 'Present (AM)', category: 'PRESENT', sessions: 46 },
      { code: '\\', meaning: 'Present (PM)', category: 'PRESENT', sessions: 45 },
      {
        code: 'C',
        meaning: 'Leave of absence for exceptional circumstances',
        category: 'AUTHORISED_ABSENCE',
        sessions: 2,
      },
      {
        code: 'N',
        meaning: 'Reason for absence not yet established',
        category: 'UNAUTHORISED_ABSENCE',
        sessions: 3,
      },
      {
        code: '#',
        meaning: 'Planned whole or partial school closure',
        category: 'NOT_POSSIBLE',
        sessions: 10,
      },
    ]);
  });

  it('counts approved educational activity as attended', () => {
    const attendance = toAttendance(summary({ '/': 10, K: 2, V: 1, P: 1, W: 1, B: 1, L: 1 }));
    expect(attendance.attendedSessions).toBe(17);
    expect(attendance.possibleSessions).toBe(17);
    expect(attendance.ratePercent).toBe(100);
  });

  // D (dual registered): the other school records the session, so at this school it is not a
  // possible session: not attended, not absent, out of the denominator.
  it.each<{
    name: string;
    codes: Record<string, number>;
    possible: number;
    attended: number;
    absent: number;
    rate: number | null;
  }>([
    {
      name: 'a D session alone',
      codes: { D: 1 },
      possible: 0,
      attended: 0,
      absent: 0,
      rate: null,
    },
    {
      name: 'D beside present sessions',
      codes: { '/': 5, '\\': 5, D: 10 },
      possible: 10,
      attended: 10,
      absent: 0,
      rate: 100,
    },
    {
      // In alternative provision three days a week: the main school saw 4 of 8 sessions.
      name: 'a pupil in alternative provision, dual registered',
      codes: { '/': 2, '\\': 2, O: 3, I: 1, D: 12 },
      possible: 8,
      attended: 4,
      absent: 4,
      rate: 50,
    },
    {
      name: 'D with approved activity and an unauthorised absence',
      codes: { K: 4, N: 1, D: 5 },
      possible: 5,
      attended: 4,
      absent: 1,
      rate: 80,
    },
  ])('leaves D out of every total: $name', ({ codes, possible, attended, absent, rate }) => {
    const attendance = toAttendance(summary(codes));
    expect(attendance.possibleSessions).toBe(possible);
    expect(attendance.attendedSessions).toBe(attended);
    expect(attendance.authorisedAbsenceSessions + attendance.unauthorisedAbsenceSessions).toBe(
      absent,
    );
    expect(attendance.ratePercent).toBe(rate);
    expect(attendance.byCode.find((entry) => entry.code === 'D')).toMatchObject({
      category: 'NOT_POSSIBLE',
      sessions: codes['D'],
    });
  });

  it('flags the dual-registered pupil by the sessions the main school saw, not the D ones', () => {
    // 20 possible sessions at the main school, 3 missed (15%): persistent absence, whatever
    // the 40 D sessions at the other school, which once would have hidden it (3/60 = 5%).
    const attendance = toAttendance(summary({ '/': 9, '\\': 8, N: 3, D: 40 }));
    expect(attendance).toMatchObject({
      possibleSessions: 20,
      attendedSessions: 17,
      ratePercent: 85,
      persistentAbsence: true,
    });
  });

  it('leaves every not-possible code out of the denominator', () => {
    const notPossible = {
      Q: 1,
      Y1: 1,
      Y2: 1,
      Y3: 1,
      Y4: 1,
      Y5: 1,
      Y6: 1,
      Y7: 1,
      X: 1,
      Z: 1,
      '#': 1,
      D: 1,
    };
    const attendance = toAttendance(summary({ '/': 9, I: 1, ...notPossible }));
    expect(attendance.possibleSessions).toBe(10);
    expect(attendance.ratePercent).toBe(90);
  });

  it('flags persistent absence at exactly 10% missed, and severe at exactly 50%', () => {
    expect(toAttendance(summary({ '/': 91, O: 9 }))).toMatchObject({
      persistentAbsence: false,
      ratePercent: 91,
    });
    expect(toAttendance(summary({ '/': 90, O: 10 }))).toMatchObject({
      persistentAbsence: true,
      severeAbsence: false,
    });
    expect(toAttendance(summary({ '/': 51, E: 49 }))).toMatchObject({
      persistentAbsence: true,
      severeAbsence: false,
    });
    expect(toAttendance(summary({ '/': 50, G: 25, M: 25 }))).toMatchObject({
      persistentAbsence: true,
      severeAbsence: true,
      ratePercent: 50,
      authorisedAbsenceSessions: 25,
      unauthorisedAbsenceSessions: 25,
    });
  });

  it('rounds the rate to one decimal place', () => {
    expect(toAttendance(summary({ '/': 2, N: 1 })).ratePercent).toBe(66.7);
    expect(toAttendance(summary({ '/': 1, N: 2 })).ratePercent).toBe(33.3);
  });

  it('has no rate and no absence flags when there are no possible sessions', () => {
    const attendance = toAttendance(summary({ '#': 20, X: 4 }));
    expect(attendance).toMatchObject({
      possibleSessions: 0,
      attendedSessions: 0,
      ratePercent: null,
      persistentAbsence: false,
      severeAbsence: false,
    });
    expect(toAttendance(summary({})).byCode).toEqual([]);
  });

  it('lists an unknown code as NOT_POSSIBLE but leaves it out of every total', () => {
    const attendance = toAttendance(summary({ '/': 18, H: 5, N: 2 }));
    expect(attendance).toMatchObject({
      possibleSessions: 20,
      attendedSessions: 18,
      authorisedAbsenceSessions: 0,
      unauthorisedAbsenceSessions: 2,
      ratePercent: 90,
      persistentAbsence: true,
    });
    expect(attendance.byCode[attendance.byCode.length - 1]).toEqual({
      code: 'H',
      meaning: 'Unknown code (H)',
      category: 'NOT_POSSIBLE',
      sessions: 5,
    });
  });

  it('logs an unknown code, the code and count only', () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    try {
      toAttendance(summary({ '/': 18, H: 5 }));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith('unknown attendance code', { code: 'H', sessions: 5 });
    } finally {
      warn.mockRestore();
    }
  });

  it('ignores zero, negative and fractional counts', () => {
    const attendance = toAttendance(summary({ '/': 10, N: 0, I: -3, C: 1.5 }));
    expect(attendance.byCode.map((entry) => entry.code)).toEqual(['/']);
    expect(attendance.possibleSessions).toBe(10);
  });
});
