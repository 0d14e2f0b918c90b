/**
 * School and financial calendar arithmetic on ISO `YYYY-MM-DD` strings. Pure and
 * deterministic: nothing reads the clock.
 *
 * The LA's calendar. `laHolidaysOf` below is this authority's school holiday pattern, the one
 * place it is written down: school days, terms and everything that counts them come from it,
 * so that any two parts of the system agree on what a school day and a term are. It is a fixed
 * approximation of an English LA's published term dates, the same every year:
 *
 * | holiday            | dates                                                          |
 * |--------------------|----------------------------------------------------------------|
 * | autumn half-term   | Mon-Fri of the week starting the last Monday of October        |
 * | Christmas          | 21 December to 3 January inclusive (two weeks): ends AUTUMN    |
 * | spring half-term   | Mon-Fri of the week starting the third Monday of February      |
 * | Easter             | 1 April to 14 April inclusive (two weeks): ends SPRING         |
 * | summer half-term   | Mon-Fri of the week starting the last Monday of May            |
 * | summer             | 22 July to 31 August inclusive: ends SUMMER                    |
 *
 * A school day is a Monday to Friday outside those holidays (the pattern has no INSET days and
 * does not close schools on bank holidays that fall in term time).
 *
 * Terms are the LA's, not calendar blocks: a term runs from its first school day (the autumn
 * term from the first school day on or after 1 September) to its last school day before the
 * holiday that ends it. So in 2025/26: AUTUMN 1 Sep - 19 Dec, SPRING 5 Jan - 31 Mar, SUMMER
 * 15 Apr - 21 Jul. A day in a holiday between terms is in no term; `termOf` answers the term
 * just ended (the latest term started by then), which is what "this term" means during a
 * holiday (domain.md, Personal Education Plans).
 *
 * Working days (for deadlines set in working days, such as the first PEP after an emergency
 * placement) are Monday to Friday except the bank holidays of England and Wales, computed:
 * New Year's Day, Good Friday, Easter Monday, the early May, spring and summer bank holidays,
 * Christmas Day and Boxing Day, with substitute days, plus the one-off changes proclaimed since
 * 2011 (`ONE_OFF_BANK_HOLIDAYS`).
 *
 * The academic year starts on 1 September. Financial years run April-March.
 */

export type TermName = 'AUTUMN' | 'SPRING' | 'SUMMER';

export interface Term {
  readonly name: TermName;
  /** The academic year the term is in, e.g. "2025/26". */
  readonly academicYear: string;
  /** First school day of the term (ISO). */
  readonly start: string;
  /** Last school day of the term, the day before the holiday that ends it begins (ISO). */
  readonly end: string;
}

/** Year groups as the school census writes them. */
export type YearGroup =
  | 'N1'
  | 'N2'
  | 'R'
  | '1'
  | '2'
  | '3'
  | '4'
  | '5'
  | '6'
  | '7'
  | '8'
  | '9'
  | '10'
  | '11'
  | '12'
  | '13';

export const YEAR_GROUPS: readonly YearGroup[] = [
  'N1',
  'N2',
  'R',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '10',
  '11',
  '12',
  '13',
];

// Bound once: a global look-up per call is slow where code runs in a vm context (Jest).
const floor = Math.floor;
const max = Math.max;
const min = Math.min;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  const doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year, month (1-12) and day of a day number (H. Hinnant's civil_from_days). */
function civilFromDays(day: number): [number, number, number] {
  const z = day + 719468;
  const era = floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const d = doy - floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Days since 1970-01-01 for an ISO date; throws on anything that is not a real date. */
export function isoToDayNumber(iso: string): number {
  if (typeof iso !== 'string' || iso.length !== 10 || iso[4] !== '-' || iso[7] !== '-') {
    throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
  }
  const y = digits(iso, 0, 4);
  const m = digits(iso, 5, 7);
  const d = digits(iso, 8, 10);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    throw new RangeError(`Not a calendar date: ${JSON.stringify(iso)}`);
  }
  return daysFromCivil(y, m, d);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** ISO date for a day number from `isoToDayNumber`. */
export function dayNumberToIso(day: number): string {
  const [y, m, d] = civilFromDays(day);
  const ys = y >= 1000 && y <= 9999 ? `${y}` : `${y}`.padStart(4, '0');
  return `${ys}-${pad2(m)}-${pad2(d)}`;
}

/** The date `n` calendar days after (or before, if negative) `date`. */
export function addDays(date: string, n: number): string {
  return dayNumberToIso(isoToDayNumber(date) + n);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return isoToDayNumber(to) - isoToDayNumber(from);
}

/** 0 Sunday .. 6 Saturday. */
function weekdayOf(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((day + 4) % 7) + 7) % 7;
}

function dayOf(y: number, month: number, d: number): number {
  return daysFromCivil(y, month, d);
}

function lastMondayOf(y: number, month: number): number {
  const lastDay = dayOf(y, month, daysInMonth(y, month));
  return lastDay - ((weekdayOf(lastDay) + 6) % 7);
}

function nthMondayOf(y: number, month: number, n: number): number {
  const first = dayOf(y, month, 1);
  const firstMonday = first + ((8 - weekdayOf(first)) % 7);
  return firstMonday + 7 * (n - 1);
}

/** Calendar year in which the academic year containing `day` started. */
function academicStartYearOfDay(day: number): number {
  const t = lastTable;
  if (t !== null && day >= t.start && day < t.start + t.length) return t.year;
  const [y, m] = civilFromDays(day);
  return m >= 9 ? y : y - 1;
}

interface YearTable {
  /** Calendar year of the 1 September that starts it. */
  year: number;
  /** Day number of 1 September. */
  start: number;
  length: number;
  /** cumulative[i] = school days among the first i days of the year. */
  cumulative: Int32Array;
  schoolDay: Uint8Array;
}

const yearTables = new Map<number, YearTable>();
/** The table used last: most look-ups are for nearby days. */
let lastTable: YearTable | null = null;

interface Holiday {
  /** First and last day (day numbers, inclusive). */
  from: number;
  to: number;
  /** The term this holiday ends (the three long holidays); null for a half-term. */
  ends: TermName | null;
}

/**
 * The LA's calendar: the holidays of the academic year starting 1 September `y`, in date order
 * (see the file comment). Everything about school days and terms reads this, and only this.
 */
function laHolidaysOf(y: number): Holiday[] {
  const autumnHalf = lastMondayOf(y, 10);
  const springHalf = nthMondayOf(y + 1, 2, 3);
  const summerHalf = lastMondayOf(y + 1, 5);
  return [
    { from: autumnHalf, to: autumnHalf + 4, ends: null },
    { from: dayOf(y, 12, 21), to: dayOf(y + 1, 1, 3), ends: 'AUTUMN' },
    { from: springHalf, to: springHalf + 4, ends: null },
    { from: dayOf(y + 1, 4, 1), to: dayOf(y + 1, 4, 14), ends: 'SPRING' },
    { from: summerHalf, to: summerHalf + 4, ends: null },
    { from: dayOf(y + 1, 7, 22), to: dayOf(y + 1, 8, 31), ends: 'SUMMER' },
  ];
}

function yearTable(y: number): YearTable {
  let table = yearTables.get(y);
  if (table) return table;
  const start = dayOf(y, 9, 1);
  const length = dayOf(y + 1, 9, 1) - start;
  const schoolDay = new Uint8Array(length);
  const holidays = laHolidaysOf(y);
  for (let i = 0; i < length; i++) {
    const day = start + i;
    const wd = weekdayOf(day);
    if (wd === 0 || wd === 6) continue;
    let holiday = false;
    for (const { from, to } of holidays) {
      if (day >= from && day <= to) {
        holiday = true;
        break;
      }
    }
    schoolDay[i] = holiday ? 0 : 1;
  }
  const cumulative = new Int32Array(length + 1);
  for (let i = 0; i < length; i++) cumulative[i + 1] = cumulative[i]! + schoolDay[i]!;
  table = { year: y, start, length, cumulative, schoolDay };
  yearTables.set(y, table);
  return table;
}

function tableOf(day: number): YearTable {
  const t = lastTable;
  if (t !== null && day >= t.start && day < t.start + t.length) return t;
  lastTable = yearTable(academicStartYearOfDay(day));
  return lastTable;
}

function isSchoolDayNumber(day: number): boolean {
  const t = tableOf(day);
  return t.schoolDay[day - t.start] === 1;
}

/** Smallest index j in [lo, t.length) with cumulative[j + 1] >= target (target within the year). */
function firstIndexReaching(t: YearTable, lo: number, target: number): number {
  let a = lo;
  let b = t.length - 1;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (t.cumulative[mid + 1]! >= target) b = mid;
    else a = mid + 1;
  }
  return a;
}

/** The n-th school day after `day` (n > 0) or before it (n < 0). */
function addSchoolDaysNumber(day: number, n: number): number {
  if (n === 0) return day;
  let t = tableOf(day);
  if (n > 0) {
    // School days in [1 Sep, day] plus n: the day whose running count first reaches it.
    let target = t.cumulative[day - t.start + 1]! + n;
    for (;;) {
      const total = t.cumulative[t.length]!;
      if (target <= total) return t.start + firstIndexReaching(t, 0, target);
      target -= total;
      t = yearTable(t.year + 1);
    }
  }
  // School days in [1 Sep, day - 1] minus |n| - 1: the running count of the day we want.
  let target = t.cumulative[day - t.start]! + n + 1;
  while (target <= 0) {
    t = yearTable(t.year - 1);
    target += t.cumulative[t.length]!;
  }
  return t.start + firstIndexReaching(t, 0, target);
}

/** School days in the inclusive day-number range [a, b]; 0 when b < a. */
function schoolDaysInDayRange(a: number, b: number): number {
  if (b < a) return 0;
  let total = 0;
  let y = academicStartYearOfDay(a);
  const lastY = academicStartYearOfDay(b);
  for (; y <= lastY; y++) {
    const t = yearTable(y);
    lastTable = t;
    const from = max(a, t.start) - t.start;
    const to = min(b, t.start + t.length - 1) - t.start;
    total += t.cumulative[to + 1]! - t.cumulative[from]!;
  }
  return total;
}

/** The academic year of a date, e.g. "2026/27" for any date from 1 Sep 2026 to 31 Aug 2027. */
export function academicYearOf(date: string): string {
  const y = academicStartYearOfDay(isoToDayNumber(date));
  return `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
}

/** 1 September that starts the academic year containing `date`. */
export function academicYearStart(date: string): string {
  return `${academicStartYearOfDay(isoToDayNumber(date))}-09-01`;
}

/** 31 August that ends the academic year containing `date`. */
export function academicYearEnd(date: string): string {
  return `${academicStartYearOfDay(isoToDayNumber(date)) + 1}-08-31`;
}

/** The financial year (April to March) of a date, e.g. "2026-27" from 1 Apr 2026 to 31 Mar 2027. */
export function financialYearOf(date: string): string {
  const y = financialStartYear(date);
  return `${y}-${String((y + 1) % 100).padStart(2, '0')}`;
}

function financialStartYear(date: string): number {
  isoToDayNumber(date);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return m >= 4 ? y : y - 1;
}

/** First and last day of the financial year containing `date`. */
export function financialYearBounds(date: string): { start: string; end: string } {
  const y = financialStartYear(date);
  return { start: `${y}-04-01`, end: `${y + 1}-03-31` };
}

/** True on a Monday to Friday outside the fixed holiday pattern (see the file comment). */
export function isSchoolDay(date: string): boolean {
  return isSchoolDayNumber(isoToDayNumber(date));
}

/** School days from `from` (exclusive) to `to` (inclusive), or, going backwards, from `to`
 * (inclusive) to `from` (exclusive) as a negative number: the school days you pass moving
 * from one date to the other. `schoolDaysBetween(d, addSchoolDays(d, n)) === n` for every n. */
export function schoolDaysBetween(from: string, to: string): number {
  const a = isoToDayNumber(from);
  const b = isoToDayNumber(to);
  if (b >= a) return schoolDaysInDayRange(a + 1, b);
  return -schoolDaysInDayRange(b, a - 1);
}

/** School days in the inclusive range [from, to]; 0 when `to` is before `from`. */
export function schoolDaysInRange(from: string, to: string): number {
  return schoolDaysInDayRange(isoToDayNumber(from), isoToDayNumber(to));
}

/** Every school day in the inclusive range [from, to], in order. */
export function listSchoolDays(from: string, to: string): string[] {
  const a = isoToDayNumber(from);
  const b = isoToDayNumber(to);
  const out: string[] = [];
  for (let d = a; d <= b; d++) if (isSchoolDayNumber(d)) out.push(dayNumberToIso(d));
  return out;
}

/** The n-th school day after `date` (before it, when n is negative); `date` itself when n is 0. */
export function addSchoolDays(date: string, n: number): string {
  if (!(floor(n) === n && n < 1e9 && n > -1e9))
    throw new RangeError(`addSchoolDays needs a whole number, got ${n}`);
  return dayNumberToIso(addSchoolDaysNumber(isoToDayNumber(date), n));
}

// ---------------------------------------------------------------- terms

const TERM_NAMES: readonly TermName[] = ['AUTUMN', 'SPRING', 'SUMMER'];

interface TermDays {
  term: Term;
  /** Day number of `term.start`. */
  startDay: number;
}

const termTables = new Map<number, readonly TermDays[]>();

function firstSchoolDayFrom(day: number): number {
  let d = day;
  while (!isSchoolDayNumber(d)) d++;
  return d;
}

function lastSchoolDayBefore(day: number): number {
  let d = day - 1;
  while (!isSchoolDayNumber(d)) d--;
  return d;
}

/**
 * The three terms of the academic year starting 1 September `y`, from the LA's holidays: the
 * autumn term opens on the first school day from 1 September; each term closes on the last
 * school day before the holiday that ends it, and the next opens on the first school day after.
 */
function termsOfYear(y: number): readonly TermDays[] {
  let terms = termTables.get(y);
  if (terms) return terms;
  const academicYear = `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
  const ending = laHolidaysOf(y).filter((holiday) => holiday.ends !== null);
  const built: TermDays[] = [];
  let startDay = firstSchoolDayFrom(dayOf(y, 9, 1));
  TERM_NAMES.forEach((name, i) => {
    const holiday = ending[i]!;
    const endDay = lastSchoolDayBefore(holiday.from);
    built.push({
      term: Object.freeze({
        name,
        academicYear,
        start: dayNumberToIso(startDay),
        end: dayNumberToIso(endDay),
      }),
      startDay,
    });
    startDay = firstSchoolDayFrom(holiday.to + 1);
  });
  terms = Object.freeze(built);
  termTables.set(y, terms);
  return terms;
}

/** Academic start year and index (0 autumn .. 2 summer) of the latest term started by `day`. */
function termIndexOf(day: number): [number, number] {
  const y = academicStartYearOfDay(day);
  const terms = termsOfYear(y);
  for (let i = terms.length - 1; i >= 0; i--) if (terms[i]!.startDay <= day) return [y, i];
  // Between 1 September and the first school day: still the summer holiday.
  return [y - 1, TERM_NAMES.length - 1];
}

function termAt(y: number, index: number): Term {
  if (index < 0) return termsOfYear(y - 1)[TERM_NAMES.length - 1]!.term;
  if (index >= TERM_NAMES.length) return termsOfYear(y + 1)[0]!.term;
  return termsOfYear(y)[index]!.term;
}

/**
 * The term of `date`: the term it is in, or during a holiday between terms the term just ended
 * (the latest term that has started by then). `start` and `end` are always the term's first and
 * last school days, so a holiday date is after `end` (see `isTermTime`).
 */
export function termOf(date: string): Term {
  const [y, i] = termIndexOf(isoToDayNumber(date));
  return termAt(y, i);
}

/** True from a term's first school day to its last (half-terms included); false between terms. */
export function isTermTime(date: string): boolean {
  return date <= termOf(date).end;
}

/** The term before `termOf(date)`. */
export function previousTerm(date: string): Term {
  const [y, i] = termIndexOf(isoToDayNumber(date));
  return termAt(y, i - 1);
}

/** The term after `termOf(date)` (during a holiday, the term the holiday leads to). */
export function nextTerm(date: string): Term {
  const [y, i] = termIndexOf(isoToDayNumber(date));
  return termAt(y, i + 1);
}

/** The three terms (autumn, spring, summer) of the academic year containing `date`. */
export function termsOfAcademicYear(date: string): readonly Term[] {
  return termsOfYear(academicStartYearOfDay(isoToDayNumber(date))).map((t) => t.term);
}

// ---------------------------------------------------------------- working days

/**
 * Bank holidays proclaimed once, by year: [moved from (null for an extra day), to]. Source:
 * gov.uk/bank-holidays and the proclamations (royal wedding 2011, diamond jubilee 2012, VE day
 * 75 in 2020, platinum jubilee and the state funeral in 2022, the coronation in 2023).
 */
const ONE_OFF_BANK_HOLIDAYS: ReadonlyMap<
  number,
  ReadonlyArray<readonly [string | null, string]>
> = new Map([
  [2011, [[null, '2011-04-29']]],
  [
    2012,
    [
      ['2012-05-28', '2012-06-04'],
      [null, '2012-06-05'],
    ],
  ],
  [2020, [['2020-05-04', '2020-05-08']]],
  [
    2022,
    [
      ['2022-05-30', '2022-06-02'],
      [null, '2022-06-03'],
      [null, '2022-09-19'],
    ],
  ],
  [2023, [[null, '2023-05-08']]],
]);

/** Easter Sunday of year `y` (Gregorian; the anonymous "Meeus/Jones/Butcher" computus). */
function easterSundayDay(y: number): number {
  const a = y % 19;
  const b = floor(y / 100);
  const c = y % 100;
  const d = floor(b / 4);
  const e = b % 4;
  const f = floor((b + 8) / 25);
  const g = floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = floor((a + 11 * h + 22 * l) / 451);
  const month = floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayOf(y, month, day);
}

/** Easter Sunday of the given year (ISO). */
export function easterSunday(year: number): string {
  return dayNumberToIso(easterSundayDay(year));
}

const bankHolidayTables = new Map<number, ReadonlySet<number>>();

/** Bank holiday day numbers of calendar year `y` (England and Wales). */
function bankHolidaySet(y: number): ReadonlySet<number> {
  let set = bankHolidayTables.get(y);
  if (set) return set;
  const days = new Set<number>();
  const isWeekend = (day: number) => weekdayOf(day) === 0 || weekdayOf(day) === 6;
  /** A holiday on a Saturday or Sunday moves to the next weekday that is not one already. */
  const withSubstitute = (day: number) => {
    let d = day;
    while (isWeekend(d) || days.has(d)) d++;
    days.add(d);
  };
  withSubstitute(dayOf(y, 1, 1));
  const easter = easterSundayDay(y);
  days.add(easter - 2);
  days.add(easter + 1);
  days.add(nthMondayOf(y, 5, 1));
  days.add(lastMondayOf(y, 5));
  days.add(lastMondayOf(y, 8));
  // Christmas first: when it falls on a Sunday, Boxing Day keeps Monday and Christmas moves on.
  const christmas = dayOf(y, 12, 25);
  const boxing = christmas + 1;
  if (!isWeekend(boxing)) days.add(boxing);
  withSubstitute(christmas);
  if (isWeekend(boxing)) withSubstitute(boxing);
  for (const [moved, to] of ONE_OFF_BANK_HOLIDAYS.get(y) ?? []) {
    if (moved !== null) days.delete(isoToDayNumber(moved));
    days.add(isoToDayNumber(to));
  }
  set = days;
  bankHolidayTables.set(y, set);
  return set;
}

/** The bank holidays of a calendar year in England and Wales, in date order (ISO). */
export function bankHolidaysOf(year: number): string[] {
  return [...bankHolidaySet(year)].sort((a, b) => a - b).map(dayNumberToIso);
}

function isWorkingDayNumber(day: number): boolean {
  const wd = weekdayOf(day);
  if (wd === 0 || wd === 6) return false;
  return !bankHolidaySet(civilFromDays(day)[0]).has(day);
}

/** True on a Monday to Friday that is not a bank holiday in England and Wales. */
export function isWorkingDay(date: string): boolean {
  return isWorkingDayNumber(isoToDayNumber(date));
}

/** The n-th working day after `date` (before it, when n is negative); `date` itself when n is 0. */
export function addWorkingDays(date: string, n: number): string {
  if (!(floor(n) === n && n < 1e6 && n > -1e6))
    throw new RangeError(`addWorkingDays needs a whole number, got ${n}`);
  let day = isoToDayNumber(date);
  const step = n > 0 ? 1 : -1;
  for (let left = n > 0 ? n : -n; left > 0;) {
    day += step;
    if (isWorkingDayNumber(day)) left--;
  }
  return dayNumberToIso(day);
}

// ---------------------------------------------------------------- age and year group

/** Whole years of age on `on` (a 29 February birthday counts from 1 March in other years). */
export function ageOn(dob: string, on: string): number {
  isoToDayNumber(dob);
  isoToDayNumber(on);
  const years = Number(on.slice(0, 4)) - Number(dob.slice(0, 4));
  return on.slice(5) < dob.slice(5) ? years - 1 : years;
}

/**
 * National curriculum year group on `asOf`, by the English rule: the child's age on the
 * 31 August before the academic year begins. Aged 2 then: N1; 3: N2; 4: Reception; 5: Year 1;
 * ... 17: Year 13. Null below nursery age (under 2 on that 31 August) or above Year 13.
 */
export function yearGroupFor(dob: string, asOf: string): YearGroup | null {
  if (isoToDayNumber(dob) > isoToDayNumber(asOf)) return null;
  const y = academicStartYearOfDay(isoToDayNumber(asOf));
  const age = ageOn(dob, `${y}-08-31`);
  if (age < 2 || age > 17) return null;
  return YEAR_GROUPS[age - 2]!;
}

/** Position of a year group in the sequence N1 (0) .. 13 (15); -1 when not a year group. */
export function yearGroupIndex(yearGroup: string): number {
  return YEAR_GROUPS.indexOf(yearGroup as YearGroup);
}
