import {
  academicYearEnd,
  academicYearOf,
  academicYearStart,
  addDays,
  addSchoolDays,
  ageOn,
  financialYearBounds,
  financialYearOf,
  isSchoolDay,
  listSchoolDays,
  previousTerm,
  schoolDaysBetween,
  schoolDaysInRange,
  termOf,
  yearGroupFor,
} from './school-calendar';

describe('academic and financial years', () => {
  it('starts the academic year on 1 September', () => {
    expect(academicYearOf('2026-09-01')).toBe('2026/27');
    expect(academicYearOf('2026-08-31')).toBe('2025/26');
    expect(academicYearOf('2099-12-31')).toBe('2099/00');
    expect(academicYearStart('2027-03-10')).toBe('2026-09-01');
    expect(academicYearStart('2026-09-01')).toBe('2026-09-01');
    expect(academicYearEnd('2026-10-01')).toBe('2027-08-31');
  });

  it('runs the financial year April to March', () => {
    expect(financialYearOf('2026-04-01')).toBe('2026-27');
    expect(financialYearOf('2026-03-31')).toBe('2025-26');
    expect(financialYearOf('2027-01-15')).toBe('2026-27');
    expect(financialYearBounds('2025-06-01')).toEqual({ start: '2025-04-01', end: '2026-03-31' });
  });

  it('rejects what is not an ISO calendar date', () => {
    expect(() => academicYearOf('2026-02-30')).toThrow(RangeError);
    expect(() => isSchoolDay('15/01/2026')).toThrow(RangeError);
    expect(() => termOf('2026-13-01')).toThrow(RangeError);
  });
});

describe('school days', () => {
  it('is a weekday outside the holiday pattern', () => {
    expect(isSchoolDay('2025-09-01')).toBe(true); // Monday, first day of the year
    expect(isSchoolDay('2025-09-06')).toBe(false); // Saturday
    expect(isSchoolDay('2025-09-07')).toBe(false); // Sunday
    expect(isSchoolDay('2025-10-27')).toBe(false); // autumn half-term (last Monday of Oct)
    expect(isSchoolDay('2025-10-31')).toBe(false);
    expect(isSchoolDay('2025-10-24')).toBe(true);
    expect(isSchoolDay('2025-11-03')).toBe(true);
    expect(isSchoolDay('2025-12-19')).toBe(true);
    expect(isSchoolDay('2025-12-22')).toBe(false); // Christmas
    expect(isSchoolDay('2026-01-02')).toBe(false);
    expect(isSchoolDay('2026-01-05')).toBe(true);
    expect(isSchoolDay('2026-02-16')).toBe(false); // spring half-term (third Monday of Feb)
    expect(isSchoolDay('2026-02-23')).toBe(true);
    expect(isSchoolDay('2026-04-01')).toBe(false); // Easter
    expect(isSchoolDay('2026-04-14')).toBe(false);
    expect(isSchoolDay('2026-04-15')).toBe(true);
    expect(isSchoolDay('2026-05-25')).toBe(false); // summer half-term (last Monday of May)
    expect(isSchoolDay('2026-06-01')).toBe(true);
    expect(isSchoolDay('2026-07-21')).toBe(true);
    expect(isSchoolDay('2026-07-22')).toBe(false); // summer
    expect(isSchoolDay('2026-08-31')).toBe(false);
  });

  it('gives a school year of about 190-200 days', () => {
    for (const y of [2019, 2023, 2024, 2025, 2026, 2030]) {
      const days = schoolDaysInRange(`${y}-09-01`, `${y + 1}-08-31`);
      expect(days).toBeGreaterThanOrEqual(188);
      expect(days).toBeLessThanOrEqual(202);
    }
  });

  it('counts between dates consistently with adding school days', () => {
    expect(schoolDaysBetween('2025-09-01', '2025-09-05')).toBe(4);
    expect(schoolDaysBetween('2025-09-05', '2025-09-01')).toBe(-4);
    expect(schoolDaysBetween('2025-09-05', '2025-09-05')).toBe(0);
    expect(schoolDaysInRange('2025-09-01', '2025-09-05')).toBe(5);
    expect(schoolDaysInRange('2025-09-05', '2025-09-01')).toBe(0);
    expect(addSchoolDays('2025-09-05', 1)).toBe('2025-09-08');
    expect(addSchoolDays('2025-09-08', -1)).toBe('2025-09-05');
    expect(addSchoolDays('2025-09-06', 0)).toBe('2025-09-06');
    expect(addSchoolDays('2025-12-19', 1)).toBe('2026-01-05');
    for (const start of ['2025-09-01', '2025-12-20', '2026-04-03', '2026-07-21', '2026-08-15']) {
      for (const n of [-45, -20, -1, 0, 1, 5, 20, 60, 250]) {
        expect(schoolDaysBetween(start, addSchoolDays(start, n))).toBe(n);
      }
    }
  });

  it('adds school days like stepping one day at a time', () => {
    const naive = (date: string, n: number): string => {
      let d = date;
      for (let left = Math.abs(n); left > 0;) {
        d = addDays(d, n > 0 ? 1 : -1);
        if (isSchoolDay(d)) left--;
      }
      return d;
    };
    for (let d = '2024-07-01'; d <= '2026-10-01'; d = addDays(d, 23)) {
      for (const n of [-400, -61, -20, -3, -1, 1, 2, 20, 45, 300]) {
        expect(addSchoolDays(d, n)).toBe(naive(d, n));
      }
    }
  });

  it('round-trips dates through leap years and centuries', () => {
    for (const d of ['1999-12-31', '2000-02-29', '2024-02-29', '2100-03-01', '1970-01-01']) {
      expect(addDays(addDays(d, 400), -400)).toBe(d);
    }
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(() => isSchoolDay('2100-02-29')).toThrow(RangeError);
    expect(() => isSchoolDay('2026-1-05')).toThrow(RangeError);
  });

  it('agrees with a day-by-day count across year boundaries', () => {
    const from = '2024-06-03';
    const to = '2026-02-10';
    const listed = listSchoolDays(from, to);
    expect(listed.every((d) => isSchoolDay(d))).toBe(true);
    expect(schoolDaysInRange(from, to)).toBe(listed.length);
    let naive = 0;
    for (let d = from; d <= to; d = addDays(d, 1)) if (isSchoolDay(d)) naive++;
    expect(naive).toBe(listed.length);
  });
});

describe('terms', () => {
  it('covers every day with three calendar blocks', () => {
    expect(termOf('2025-09-01')).toEqual({
      name: 'AUTUMN',
      start: '2025-09-01',
      end: '2025-12-31',
    });
    expect(termOf('2026-01-01')).toEqual({
      name: 'SPRING',
      start: '2026-01-01',
      end: '2026-04-14',
    });
    expect(termOf('2026-04-14').name).toBe('SPRING');
    expect(termOf('2026-04-15')).toEqual({
      name: 'SUMMER',
      start: '2026-04-15',
      end: '2026-08-31',
    });
    expect(termOf('2026-08-31').name).toBe('SUMMER');
    expect(previousTerm('2026-01-20')).toEqual(termOf('2025-10-01'));
    expect(previousTerm('2025-10-01')).toEqual(termOf('2025-06-01'));
  });
});

describe('yearGroupFor', () => {
  const asOf = '2026-01-15'; // academic year 2025/26: the rule reads age on 31 Aug 2025
  it('follows the age on the 31 August before the academic year', () => {
    expect(yearGroupFor('2021-08-31', asOf)).toBe('R'); // 4 on 31 Aug 2025
    expect(yearGroupFor('2021-09-01', asOf)).toBe('N2'); // 3 on 31 Aug 2025
    expect(yearGroupFor('2020-09-01', asOf)).toBe('R');
    expect(yearGroupFor('2020-08-31', asOf)).toBe('1');
    expect(yearGroupFor('2014-01-01', asOf)).toBe('7');
    expect(yearGroupFor('2008-09-01', asOf)).toBe('12');
    expect(yearGroupFor('2008-08-31', asOf)).toBe('13');
    expect(yearGroupFor('2007-08-31', asOf)).toBeNull(); // 18 on 31 Aug: past Year 13
    expect(yearGroupFor('2023-08-31', asOf)).toBe('N1');
    expect(yearGroupFor('2023-09-01', asOf)).toBeNull(); // too young for nursery
    expect(yearGroupFor('2027-01-01', asOf)).toBeNull(); // not born yet
  });

  it('moves everyone up on 1 September', () => {
    expect(yearGroupFor('2015-05-05', '2026-08-31')).toBe('6');
    expect(yearGroupFor('2015-05-05', '2026-09-01')).toBe('7');
  });

  it('counts ages with leap-day birthdays from 1 March', () => {
    expect(ageOn('2012-02-29', '2025-02-28')).toBe(12);
    expect(ageOn('2012-02-29', '2025-03-01')).toBe(13);
    expect(ageOn('2012-02-29', '2024-02-29')).toBe(12);
  });
});
