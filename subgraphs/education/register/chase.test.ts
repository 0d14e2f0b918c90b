import { toChase, twelveMonthsBefore } from './chase';
import type { RegisterEntryShape } from './entries';

describe('twelveMonthsBefore', () => {
  it.each([
    ['2026-02-10', '2025-02-10'],
    ['2024-02-29', '2023-02-28'],
    ['2025-01-01', '2024-01-01'],
  ])('%s -> %s', (today, expected) => {
    expect(twelveMonthsBefore(today)).toBe(expected);
  });
});

describe('toChase', () => {
  const entry = (urn: string, confirmedOn: string | null): RegisterEntryShape => ({
    urn,
    schoolName: `School ${urn}`,
    phase: 'PRIMARY',
    localAuthority: { code: '340', name: 'Knowsley' },
    inAuthority: true,
    designatedTeacher:
      confirmedOn === null
        ? null
        : {
            name: 'A B',
            title: null,
            forename: 'A',
            surname: 'B',
            jobTitle: 'DT',
            workEmail: 'a.b@school.example',
            workPhone: '0151 496 0000',
            confirmedOn,
          },
    virtualSchoolContact: null,
    updatedAt: '2025-01-01T00:00:00.000Z',
  });

  it('lists schools with no DT, then entries confirmed 12 months ago or more, oldest first', () => {
    const chase = toChase(
      [
        entry('100001', '2025-02-11'),
        entry('100002', '2025-02-10'),
        entry('100003', null),
        entry('100004', '2023-06-01'),
        entry('100005', '2026-02-10'),
      ],
      '2026-02-10',
    );
    expect(chase.map((c) => [c.reason, c.entry.urn])).toEqual([
      ['NO_DESIGNATED_TEACHER', '100003'],
      ['NOT_CONFIRMED_FOR_12_MONTHS', '100004'],
      ['NOT_CONFIRMED_FOR_12_MONTHS', '100002'],
    ]);
  });
});
