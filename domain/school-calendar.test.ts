import {
  academicYearEnd,
  academicYearOf,
  academicYearStart,
  addDays,
  addSchoolDays,
  addWorkingDays,
  ageOn,
  bankHolidaysOf,
  easterSunday,
  financialYearBounds,
  financialYearOf,
  isSchoolDay,
  isTermTime,
  isWorkingDay,
  listSchoolDays,
  nextTerm,
  previousTerm,
  schoolDaysBetween,
  schoolDaysInRange,
  termOf,
  termsOfAcademicYear,
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
  // 2025/26 in the LA's calendar: autumn 1 Sep (Mon) - 19 Dec (Fri), Christmas 21 Dec - 3 Jan;
  // spring 5 Jan (Mon) - 31 Mar (Tue), Easter 1-14 Apr; summer 15 Apr (Wed) - 21 Jul (Tue).
  const autumn = {
    name: 'AUTUMN',
    academicYear: '2025/26',
    start: '2025-09-01',
    end: '2025-12-19',
  };
  const spring = {
    name: 'SPRING',
    academicYear: '2025/26',
    start: '2026-01-05',
    end: '2026-03-31',
  };
  const summer = {
    name: 'SUMMER',
    academicYear: '2025/26',
    start: '2026-04-15',
    end: '2026-07-21',
  };
  const lastSummer = {
    name: 'SUMMER',
    academicYear: '2024/25',
    start: '2025-04-15',
    end: '2025-07-21',
  };

  it.each([
    ['2025-09-01', autumn, true], // first school day
    ['2025-10-29', autumn, true], // half-term is inside the term
    ['2025-12-19', autumn, true], // last school day before Christmas
    ['2025-12-20', autumn, false], // Saturday before the holiday: the term just ended
    ['2025-12-25', autumn, false],
    ['2026-01-04', autumn, false], // Sunday before spring term: still the Christmas holiday
    ['2026-01-05', spring, true],
    ['2026-03-31', spring, true],
    ['2026-04-01', spring, false], // Easter holiday
    ['2026-04-14', spring, false],
    ['2026-04-15', summer, true],
    ['2026-07-21', summer, true],
    ['2026-07-22', summer, false], // summer holiday
    ['2026-08-31', summer, false],
    ['2025-08-31', lastSummer, false],
  ] as const)('%s is in %j (term time: %s)', (date, term, termTime) => {
    expect(termOf(date)).toEqual(term);
    expect(isTermTime(date)).toBe(termTime);
  });

  it('runs each term from its first school day to its last, from the holiday pattern', () => {
    for (const year of ['2019-10-01', '2024-10-01', '2025-10-01', '2026-10-01', '2030-10-01']) {
      const terms = termsOfAcademicYear(year);
      expect(terms.map((t) => t.name)).toEqual(['AUTUMN', 'SPRING', 'SUMMER']);
      for (const term of terms) {
        expect(isSchoolDay(term.start)).toBe(true);
        expect(isSchoolDay(term.end)).toBe(true);
        expect(isSchoolDay(addSchoolDays(term.end, 1))).toBe(true);
        // No school day between a term's end and the next term's start.
        expect(addSchoolDays(term.end, 1)).toBe(nextTerm(term.start).start);
        expect(termOf(term.start)).toEqual(term);
        expect(termOf(term.end)).toEqual(term);
      }
      // Autumn starts on the first school day from 1 September.
      expect(schoolDaysInRange(academicYearStart(year), addDays(terms[0]!.start, -1))).toBe(0);
    }
  });

  it('starts autumn on the first weekday of September when 1 September is a weekend', () => {
    // 1 Sep 2024 was a Sunday: that day is still the summer holiday of 2023/24.
    expect(termOf('2024-09-02')).toMatchObject({ name: 'AUTUMN', start: '2024-09-02' });
    expect(termOf('2024-09-01')).toMatchObject({ name: 'SUMMER', academicYear: '2023/24' });
    expect(isTermTime('2024-09-01')).toBe(false);
  });

  it('steps to the previous and next term, across academic years and from a holiday', () => {
    expect(previousTerm('2026-01-20')).toEqual(autumn);
    expect(previousTerm('2025-10-01')).toEqual(lastSummer);
    expect(nextTerm('2025-10-01')).toEqual(spring);
    // In the Christmas holiday "this term" is autumn: the previous is summer, the next spring.
    expect(previousTerm('2025-12-28')).toEqual(lastSummer);
    expect(nextTerm('2025-12-28')).toEqual(spring);
    expect(nextTerm('2026-08-15')).toMatchObject({ name: 'AUTUMN', start: '2026-09-01' });
  });
});

describe('working days (England and Wales)', () => {
  it.each([
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'], // latest possible
    [2285, '2285-03-22'], // earliest possible
  ])('Easter %i is %s', (year, easter) => {
    expect(easterSunday(year)).toBe(easter);
  });

  it.each([
    // gov.uk/bank-holidays
    [
      2021,
      // New Year's Day Fri; Christmas Sat and Boxing Day Sun: substitutes Mon 27 and Tue 28.
      [
        '2021-01-01',
        '2021-04-02',
        '2021-04-05',
        '2021-05-03',
        '2021-05-31',
        '2021-08-30',
        '2021-12-27',
        '2021-12-28',
      ],
    ],
    [
      2022,
      // New Year's Day Sat: Mon 3 Jan; spring bank holiday moved, jubilee, state funeral;
      // Christmas Sun: Boxing Day keeps Mon 26, Christmas's substitute is Tue 27.
      [
        '2022-01-03',
        '2022-04-15',
        '2022-04-18',
        '2022-05-02',
        '2022-06-02',
        '2022-06-03',
        '2022-08-29',
        '2022-09-19',
        '2022-12-26',
        '2022-12-27',
      ],
    ],
    [
      2023,
      // New Year's Day Sun: Mon 2 Jan; the coronation.
      [
        '2023-01-02',
        '2023-04-07',
        '2023-04-10',
        '2023-05-01',
        '2023-05-08',
        '2023-05-29',
        '2023-08-28',
        '2023-12-25',
        '2023-12-26',
      ],
    ],
    [
      2026,
      // Boxing Day Sat: substitute Mon 28.
      [
        '2026-01-01',
        '2026-04-03',
        '2026-04-06',
        '2026-05-04',
        '2026-05-25',
        '2026-08-31',
        '2026-12-25',
        '2026-12-28',
      ],
    ],
  ])('bank holidays of %i', (year, expected) => {
    expect(bankHolidaysOf(year)).toEqual(expected);
  });

  it('is a weekday that is not a bank holiday', () => {
    expect(isWorkingDay('2026-04-02')).toBe(true); // Thursday before Good Friday
    expect(isWorkingDay('2026-04-03')).toBe(false); // Good Friday
    expect(isWorkingDay('2026-04-04')).toBe(false); // Saturday
    expect(isWorkingDay('2026-04-06')).toBe(false); // Easter Monday
    expect(isWorkingDay('2026-04-07')).toBe(true);
    expect(isWorkingDay('2025-12-24')).toBe(true); // a school holiday is a working day
  });

  it.each([
    ['2026-03-30', 10, '2026-04-15'], // over Good Friday and Easter Monday
    ['2026-04-01', 1, '2026-04-02'],
    ['2026-04-02', 1, '2026-04-07'],
    ['2026-04-07', -1, '2026-04-02'],
    ['2025-12-19', 4, '2025-12-29'], // 22, 23, 24, then over Christmas and Boxing Day
    ['2026-12-23', 2, '2026-12-29'], // Boxing Day's substitute on Monday 28
    ['2026-01-03', 0, '2026-01-03'],
    ['2026-05-01', 1, '2026-05-05'], // over the early May bank holiday
  ])('%s plus %i working days is %s', (date, n, expected) => {
    expect(addWorkingDays(date, n)).toBe(expected);
  });

  it('counts like stepping one day at a time over weekdays that are not bank holidays', () => {
    for (let d = '2021-12-01'; d <= '2023-06-01'; d = addDays(d, 17)) {
      let day = d;
      for (let left = 10; left > 0;) {
        day = addDays(day, 1);
        const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
        const holiday = bankHolidaysOf(Number(day.slice(0, 4))).includes(day);
        if (weekday !== 0 && weekday !== 6 && !holiday) left--;
      }
      expect(addWorkingDays(d, 10)).toBe(day);
    }
    expect(() => addWorkingDays('2026-01-05', 1.5)).toThrow(RangeError);
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
