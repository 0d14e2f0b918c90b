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

  it('counts approved educational activity, D included, as attended', () => {
    const attendance = toAttendance(summary({ '/': 10, K: 2, V: 1, P: 1, W: 1, B: 1, D: 4, L: 1 }));
    expect(attendance.attendedSessions).toBe(21);
    expect(attendance.possibleSessions).toBe(21);
    expect(attendance.ratePercent).toBe(100);
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
