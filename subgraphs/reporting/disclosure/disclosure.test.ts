/**
 * Primary and secondary suppression, rounding and markers, on crafted cohorts whose numbers
 * are chosen to sit on each rule's edge.
 */
import { protectTable, publish } from './index';
import type { FigureSpec, ProtectedCell, TableRequest } from './index';
import { CHILDREN, CHILD_RATE, MEAN_SCORE, feasibleValues, grid, record, records } from './testing';

const BANDS = ['A', 'B', 'C'];
const oneWay = (figures: FigureSpec[] = [CHILDREN]): TableRequest => ({
  filter: [],
  dimensions: [{ attribute: 0, bands: BANDS }],
  figures,
});
const twoWay = (rows: string[], columns: string[]): TableRequest => ({
  filter: [],
  dimensions: [
    { attribute: 0, bands: rows },
    { attribute: 1, bands: columns },
  ],
  figures: [CHILDREN],
});

const children = (cell: ProtectedCell) => cell.figures[0]!;
const shown = (cell: ProtectedCell) => {
  const figure = children(cell);
  return figure.status === 'VALUE' ? figure.value : figure.marker;
};

describe('primary suppression', () => {
  it('withholds a count of 1 to 5 children and shows 0 and 6', () => {
    for (const [count, expected] of [
      [0, 0],
      [1, 'c'],
      [5, 'c'],
      [6, 6],
    ] as const) {
      const table = protectTable([...records(count, ['A']), ...records(40, ['B'])], oneWay());
      expect(shown(table.cells[0]!)).toBe(expected);
    }
  });

  it('returns only a suppressed total for a whole cohort under the threshold', () => {
    const table = protectTable(records(5, ['A']), oneWay());
    expect(table.suppressedTotalOnly).toBe(true);
    expect(table.cells).toEqual([]);
    expect(children(table.total)).toEqual({
      status: 'SUPPRESSED',
      marker: 'c',
      value: null,
      numerator: null,
      denominator: null,
    });
  });

  it('shows an empty cohort as zero, not suppressed', () => {
    const table = protectTable([], oneWay());
    expect(table.suppressedTotalOnly).toBe(false);
    expect(shown(table.total)).toBe(0);
    expect(table.cells.map(shown)).toEqual([0, 0, 0]);
  });

  it('withholds a rate from fewer than 6 children, and one whose numerator is 1 to 5', () => {
    const rate = (atStandard: number, withResults: number) =>
      publish(CHILD_RATE, { numerator: atStandard, denominator: withResults, basis: withResults });
    expect(rate(2, 5).marker).toBe('c');
    expect(rate(0, 5).marker).toBe('c');
    expect(rate(3, 40).marker).toBe('c');
    expect(rate(0, 40)).toMatchObject({ status: 'VALUE', value: 0, numerator: 0, denominator: 40 });
    expect(rate(6, 40)).toMatchObject({
      status: 'VALUE',
      value: 15,
      numerator: 6,
      denominator: 40,
    });
  });

  it('withholds a mean from fewer than 6 children', () => {
    const mean = (total: number, withResults: number) =>
      publish(MEAN_SCORE, { numerator: total, denominator: withResults, basis: withResults });
    expect(mean(100, 5).marker).toBe('c');
    expect(mean(115, 6)).toMatchObject({ status: 'VALUE', value: 19.2, numerator: 115 });
  });
});

describe('rounding and markers', () => {
  it('publishes percentages as whole numbers, rounding halves up', () => {
    const at = (numerator: number, denominator: number) =>
      publish(CHILD_RATE, { numerator, denominator, basis: denominator }).value;
    expect(at(7, 8)).toBe(88); // 87.5
    expect(at(6, 9)).toBe(67); // 66.7
    expect(at(20, 30)).toBe(67);
    expect(at(29, 30)).toBe(97); // 96.7
  });

  it('marks a percentage that rounds to zero but is not zero as k, keeping its numbers', () => {
    const sessions: FigureSpec = {
      kind: 'PERCENT',
      numeratorCountsChildren: false,
      denominatorCountsChildren: false,
      available: true,
    };
    expect(publish(sessions, { numerator: 3, denominator: 1000, basis: 8 })).toEqual({
      status: 'ROUNDS_TO_ZERO',
      marker: 'k',
      value: null,
      numerator: 3,
      denominator: 1000,
    });
  });

  it('marks a figure with no population z, and one the system could not supply x', () => {
    expect(publish(CHILD_RATE, { numerator: 0, denominator: 0, basis: 0 }).marker).toBe('z');
    expect(
      publish({ ...CHILD_RATE, available: false }, { numerator: 9, denominator: 9, basis: 9 })
        .marker,
    ).toBe('x');
  });
});

describe('secondary suppression', () => {
  it('withholds the next smallest cell when a total would give one away (total minus visible cells)', () => {
    const table = protectTable(
      [...records(3, ['A']), ...records(10, ['B']), ...records(20, ['C'])],
      oneWay(),
    );
    expect(table.cells.map(shown)).toEqual(['c', 'c', 20]);
    expect(shown(table.total)).toBe(33);
    expect(table.cells.map((cell) => cell.reasons[0])).toEqual(['PRIMARY', 'SIBLING', null]);
  });

  it('prefers a cell with children to an empty one as the complement', () => {
    const table = protectTable([...records(2, ['A']), ...records(30, ['C'])], oneWay());
    // B is 0: hiding it would leave A = 32 - 30 - 0 as plain as before.
    expect(table.cells.map(shown)).toEqual(['c', 0, 'c']);
  });

  it('leaves no row or column of a two-way table with exactly one withheld entry', () => {
    const rows = ['R1', 'R2', 'R3'];
    const columns = ['C1', 'C2', 'C3'];
    const table = protectTable(
      grid(rows, columns, [
        [2, 9, 14],
        [8, 11, 7],
        [12, 1, 10],
      ]),
      twoWay(rows, columns),
    );
    const withheld = [...table.cells, table.total].map((cell) => children(cell).status !== 'VALUE');
    const lines = [
      [0, 1, 2, 9],
      [3, 4, 5, 10],
      [6, 7, 8, 11],
      [0, 3, 6, 12],
      [1, 4, 7, 13],
      [2, 5, 8, 14],
      [12, 13, 14, 15],
      [9, 10, 11, 15],
    ];
    for (const line of lines) {
      expect(line.filter((index) => withheld[index]).length).not.toBe(1);
    }
    expect(withheld[0]).toBe(true);
    expect(withheld[7]).toBe(true);
  });

  it('hides every figure of a cell whose number of children is withheld', () => {
    const rate: FigureSpec = CHILD_RATE;
    const table = protectTable(
      [
        ...records(3, ['A'], [[1, 1, 1]]),
        ...records(10, ['B'], [[1, 1, 1]]),
        ...records(20, ['C'], [[1, 1, 1]]),
      ],
      oneWay([CHILDREN, rate]),
    );
    expect(table.cells.map((cell) => cell.figures[1]!.marker)).toEqual(['c', 'c', null]);
  });

  it('secondary-suppresses a measure on its own lines too', () => {
    // Every cell has enough children, but only 4 in A have results: A's rate is withheld,
    // so B's (the next smallest) must be as well, or A = total - B - C.
    const table = protectTable(
      [
        ...records(4, ['A'], [[1, 1, 1]]),
        ...records(20, ['A'], [[0, 0, 0]]),
        ...records(8, ['B'], [[1, 1, 1]]),
        ...records(30, ['C'], [[1, 1, 1]]),
      ],
      oneWay([CHILDREN, CHILD_RATE]),
    );
    expect(table.cells.map(shown)).toEqual([24, 8, 30]);
    expect(table.cells.map((cell) => cell.figures[1]!.marker)).toEqual(['c', 'c', null]);
    expect(table.total.figures[1]).toMatchObject({ status: 'VALUE', value: 100, denominator: 42 });
  });
});

describe('an attacker with the published table cannot work out a withheld cell', () => {
  /** A small deterministic generator, so a failure can be replayed. */
  function lcg(seed: number) {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  it('random 3x3 tables of small counts', () => {
    let withWithheldCells = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const random = lcg(seed);
      const rows = ['R1', 'R2', 'R3'];
      const columns = ['C1', 'C2', 'C3'];
      // Mostly small counts, so primary suppression bites often.
      const counts = rows.map(() => columns.map(() => Math.floor(random() * 9)));
      const table = protectTable(grid(rows, columns, counts), twoWay(rows, columns));
      if (table.suppressedTotalOnly) continue;
      const feasible = feasibleValues(table, 3, 3);
      if (feasible.size > 0) withWithheldCells += 1;
      for (const [index, values] of feasible) {
        expect({ seed, index, recoverable: values.size === 1 }).toEqual({
          seed,
          index,
          recoverable: false,
        });
      }
    }
    expect(withWithheldCells).toBeGreaterThan(30);
  });

  it('a crafted table: one small cell in a corner', () => {
    const rows = ['R1', 'R2'];
    const columns = ['C1', 'C2', 'C3'];
    const table = protectTable(
      grid(rows, columns, [
        [1, 20, 30],
        [25, 40, 35],
      ]),
      twoWay(rows, columns),
    );
    const feasible = feasibleValues(table, 2, 3);
    expect(feasible.size).toBeGreaterThanOrEqual(4);
    for (const values of feasible.values()) expect(values.size).toBeGreaterThan(1);
  });

  it('record() lays contributions out as the module reads them', () => {
    expect(record(['A'], [[2, 3, 1]]).contributions).toEqual([1, 1, 1, 2, 3, 1]);
  });
});
