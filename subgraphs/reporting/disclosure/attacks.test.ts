/**
 * Differencing attacks: two reports that are each safe on their own, taken away from each
 * other to leave a small group. Each test builds the universe an attacker would need, runs
 * both reports as disclosure control would publish them, and checks that the subtraction the
 * attacker wants to do is not possible from what was published.
 */
import { protectTable } from './index';
import type { Constraint, FigureSpec, ProtectedTable, SdcRecord, TableRequest } from './index';
import { CHILDREN, CHILD_RATE, MEAN_SCORE, type Extra } from './testing';

/** Attributes of the crafted universes, in record order. */
const AGE = 0;
const YEAR = 1;
const STAGE = 2;
const SCHOOL = 3;
const UASC = 4;
const PLACEMENT = 5;

interface Child {
  age?: string;
  year?: string;
  stage?: string;
  school?: string;
  uasc?: string;
  placement?: string;
}

function children(count: number, child: Child, extras: Extra[] = []): SdcRecord[] {
  const values = [
    child.age ?? '10-15',
    child.year ?? 'Y9',
    child.stage ?? 'KS3',
    child.school ?? 'S1',
    child.uasc ?? 'NO',
    child.placement ?? 'FOSTER',
  ];
  return Array.from({ length: count }, () => ({
    values,
    contributions: [1, 1, 1, ...extras.flat()],
  }));
}

const where = (pairs: Array<[number, string]>): Constraint[] =>
  pairs.map(([attribute, value]) => ({ attribute, value }));

function report(
  universe: SdcRecord[],
  filter: Constraint[],
  breakdown: Array<{ attribute: number; bands: string[] }> = [],
  figures: FigureSpec[] = [CHILDREN],
): ProtectedTable {
  const request: TableRequest = { filter, dimensions: breakdown, figures };
  return protectTable(universe, request);
}

/** The published value of figure `f` of a table's total, or its marker. */
const total = (table: ProtectedTable, f = 0) => {
  const figure = table.total.figures[f]!;
  return figure.status === 'VALUE' ? figure.value : figure.marker;
};
const cell = (table: ProtectedTable, index: number, f = 0) => {
  const figure = table.cells[index]!.figures[f]!;
  return figure.status === 'VALUE' ? figure.value : figure.marker;
};

describe('filter A against filter A plus one attribute', () => {
  // 3 of 50 children are UASC: "all" minus "not UASC" would be those 3.
  const universe = [...children(47, {}), ...children(3, { uasc: 'YES', age: '16+' })];

  it('withholds the narrower report, which alone would give the 3 away', () => {
    expect(total(report(universe, []))).toBe(50);
    const narrower = report(universe, where([[UASC, 'NO']]));
    expect(narrower.suppressedTotalOnly).toBe(true);
    expect(total(narrower)).toBe('c');
  });

  it('withholds it in a breakdown too, not only as a total', () => {
    const byAge = report(universe, where([[UASC, 'NO']]), [
      { attribute: AGE, bands: ['10-15', '16+'] },
    ]);
    expect(byAge.suppressedTotalOnly).toBe(true);
  });

  it('withholds a measure that would difference down to one child, keeping the count', () => {
    // 51 children: 11 UASC, of whom only 1 has KS4 results. Attainment 8 of 7.5 each for the
    // others, 12 for that one.
    const wider = [
      ...children(40, {}, [[7.5, 1, 1]]),
      ...children(10, { uasc: 'YES' }, [[0, 0, 0]]),
      ...children(1, { uasc: 'YES' }, [[12, 1, 1]]),
    ];
    const all = report(wider, [], [], [CHILDREN, MEAN_SCORE]);
    const notUasc = report(wider, where([[UASC, 'NO']]), [], [CHILDREN, MEAN_SCORE]);
    expect(total(all)).toBe(51);
    expect(total(all, 1)).toBe(7.6);
    expect(total(notUasc)).toBe(40);
    // 41 results against 40: the one UASC child's Attainment 8 would be 41*7.6 - 40*7.5.
    expect(total(notUasc, 1)).toBe('c');
  });
});

describe('dropping two conditions at once', () => {
  it('catches a child who fails both, though dropping either alone changes nothing', () => {
    // In school S1, 9 children are UASC and in children's homes; 1 is neither.
    const universe = [
      ...children(9, { uasc: 'YES', placement: 'HOME' }),
      ...children(1, {}),
      ...children(20, { school: 'S2', uasc: 'YES', placement: 'HOME' }),
      ...children(20, { school: 'S2' }),
    ];
    const narrow = report(
      universe,
      where([
        [SCHOOL, 'S1'],
        [UASC, 'YES'],
        [PLACEMENT, 'HOME'],
      ]),
    );
    expect(total(report(universe, where([[SCHOOL, 'S1']])))).toBe(10);
    expect(narrow.suppressedTotalOnly).toBe(true);
  });
});

describe('overlapping bands: year group, key stage and age band', () => {
  // Key stage 2: 10 in Year 6, 3 in Year 5; 40 in key stage 3.
  const universe = [
    ...children(10, { year: 'Y6', stage: 'KS2', age: '10-15' }),
    ...children(3, { year: 'Y5', stage: 'KS2', age: '5-9' }),
    ...children(40, { year: 'Y8', stage: 'KS3', age: '10-15' }),
  ];

  it('treats a year group as implying its key stage, so "KS2 minus Year 6" is caught', () => {
    expect(total(report(universe, where([[STAGE, 'KS2']])))).toBe(13);
    const year6 = report(
      universe,
      where([
        [YEAR, 'Y6'],
        [STAGE, 'KS2'],
      ]),
    );
    expect(year6.suppressedTotalOnly).toBe(true);
  });

  it('catches Year 6 asked for alone too: it is the complement of the 3 in Year 5', () => {
    expect(report(universe, where([[YEAR, 'Y6']])).suppressedTotalOnly).toBe(true);
    expect(total(report(universe, where([[YEAR, 'Y8']])))).toBe(40);
  });

  it('catches an age band crossed with a key stage', () => {
    // Aged 10-15 in key stage 2 (10) against all of key stage 2 (13): the 3 younger ones.
    const crossed = report(
      universe,
      where([
        [AGE, '10-15'],
        [STAGE, 'KS2'],
      ]),
    );
    expect(crossed.suppressedTotalOnly).toBe(true);
  });
});

describe('school and year group narrowing', () => {
  // At school S1: 6 in Year 11 and 2 in Year 10 (key stage 4), 30 in key stage 3.
  const universe = [
    ...children(6, { year: 'Y11', stage: 'KS4', age: '16+' }),
    ...children(2, { year: 'Y10', stage: 'KS4', age: '10-15' }),
    ...children(30, {}),
    ...children(50, { school: 'S2', year: 'Y10', stage: 'KS4' }),
  ];
  const keyStages = [{ attribute: STAGE, bands: ['KS3', 'KS4'] }];

  it('shows the school by key stage, but not Year 11 alone (it would leave the 2 in Year 10)', () => {
    const bySchool = report(universe, where([[SCHOOL, 'S1']]), keyStages);
    expect([cell(bySchool, 0), cell(bySchool, 1)]).toEqual([30, 8]);
    const year11 = report(
      universe,
      where([
        [SCHOOL, 'S1'],
        [YEAR, 'Y11'],
        [STAGE, 'KS4'],
      ]),
    );
    expect(year11.suppressedTotalOnly).toBe(true);
  });
});

describe('total minus visible cells, across two reports', () => {
  // Placements: 3 in A, 10 in B, 20 in C.
  const universe = [
    ...children(3, { placement: 'A' }),
    ...children(10, { placement: 'B' }),
    ...children(20, { placement: 'C' }),
  ];
  const placements = [{ attribute: PLACEMENT, bands: ['A', 'B', 'C'] }];

  it('withholds the complement in the breakdown', () => {
    const table = report(universe, [], placements);
    expect([cell(table, 0), cell(table, 1), cell(table, 2), total(table)]).toEqual([
      'c',
      'c',
      20,
      33,
    ]);
  });

  it('withholds the complement when asked for on its own, so 33 - 20 - B cannot be done', () => {
    expect(report(universe, where([[PLACEMENT, 'B']])).suppressedTotalOnly).toBe(true);
    expect(total(report(universe, where([[PLACEMENT, 'C']])))).toBe(20);
  });

  it('withholds a small rate and its complement on every report that would show them', () => {
    // Everyone has enough children, but only 2 in A are at the standard.
    const rated = [
      ...children(12, { placement: 'A' }, [[0, 1, 1]]),
      ...children(2, { placement: 'A' }, [[1, 1, 1]]),
      ...children(10, { placement: 'B' }, [[1, 1, 1]]),
      ...children(20, { placement: 'C' }, [[1, 1, 1]]),
    ];
    const table = report(rated, [], placements, [CHILDREN, CHILD_RATE]);
    expect([cell(table, 0, 1), cell(table, 1, 1), cell(table, 2, 1)]).toEqual(['c', 'c', 100]);
    const alone = report(rated, where([[PLACEMENT, 'B']]), [], [CHILDREN, CHILD_RATE]);
    expect(total(alone)).toBe(10);
    expect(total(alone, 1)).toBe('c');
  });
});
