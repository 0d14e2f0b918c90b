/**
 * Published snapshot dates (issue 9, point 5: reports a day apart were differenced down to the
 * child who came into or left care that day). Every day of a month gives the same snapshot.
 */
import { addDays } from '../../domain/school-calendar';
import { caller } from '../../tests/support/identity';
import { lastTermEnd, readsSnapshots, snapshotOn } from './snapshot';

describe('snapshot dates', () => {
  it('is the last completed month end, and the month end before it', () => {
    expect(snapshotOn('2026-02-10')).toEqual({
      date: '2026-01-31',
      previous: '2025-12-31',
      // Autumn term 2025 ended on Friday 19 December (the LA's calendar).
      termDate: '2025-12-19',
      previousTermDate: '2025-12-19',
    });
    expect(snapshotOn('2026-03-01')).toMatchObject({ date: '2026-02-28', previous: '2026-01-31' });
    expect(snapshotOn('2024-03-31')).toMatchObject({ date: '2024-02-29', previous: '2024-01-31' });
    expect(snapshotOn('2026-01-01')).toMatchObject({ date: '2025-12-31', previous: '2025-11-30' });
  });

  it('is the same on every day of a month, never a nearer date', () => {
    for (let day = '2026-03-01'; day <= '2026-03-31'; day = addDays(day, 1)) {
      expect(snapshotOn(day)).toEqual(snapshotOn('2026-03-01'));
      expect(snapshotOn(day).date < day).toBe(true);
    }
    expect(snapshotOn('2026-04-01')).not.toEqual(snapshotOn('2026-03-31'));
  });

  it("takes term measures at the last completed term end (the LA's last school day of a term)", () => {
    // 2025/26: autumn ends 19 Dec, spring 31 Mar, summer 21 Jul; 2024/25's summer 21 Jul 2025.
    expect(lastTermEnd('2025-12-18')).toBe('2025-07-21');
    expect(lastTermEnd('2025-12-19')).toBe('2025-12-19');
    expect(lastTermEnd('2025-12-31')).toBe('2025-12-19'); // Christmas holiday
    expect(lastTermEnd('2026-02-28')).toBe('2025-12-19');
    expect(lastTermEnd('2026-03-31')).toBe('2026-03-31');
    expect(lastTermEnd('2026-04-30')).toBe('2026-03-31');
    expect(lastTermEnd('2026-08-31')).toBe('2026-07-21');
    expect(lastTermEnd('2026-09-30')).toBe('2026-07-21');
    expect(snapshotOn('2026-05-12')).toEqual({
      date: '2026-04-30',
      previous: '2026-03-31',
      termDate: '2026-03-31',
      previousTermDate: '2026-03-31',
    });
  });
});

describe('who reads snapshots', () => {
  it.each([
    [['analyst'], '340', true],
    [['governor'], '340', true],
    [['virtual-school-head'], '340', false],
    [['analyst', 'virtual-school-head'], '340', false],
    [['virtual-school-head'], '359', true],
  ] as const)('%j of %s: %s', (roles, la, expected) => {
    expect(readsSnapshots(caller([...roles], { la }), '340')).toBe(expected);
  });
});
