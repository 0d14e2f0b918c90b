/**
 * Reports over time, and the group that shares one value. Issue 9, point 5: the same report on
 * two snapshot dates isolated the child who came into care in between, and a row `c, 0, 0, 0`
 * said that every child of a school had one value. Each test publishes what an attacker would
 * get and checks that the subtraction or inference they want is not possible from it.
 */
import { protectTable } from './index';
import type { Constraint, ProtectedTable, SdcRecord } from './index';
import { linesOf, oneValueLines } from './secondary';
import { CHILDREN, grid, records } from './testing';

/** Attributes of the crafted universes, in record order. */
const UASC = 0;
const LOCATION = 1;

const LOCATIONS = { attribute: LOCATION, bands: ['IN', 'OUT'] };

function children(count: number, uasc: string, location: string): SdcRecord[] {
  return records(count, [uasc, location]);
}

const where = (pairs: Array<[number, string]>): Constraint[] =>
  pairs.map(([attribute, value]) => ({ attribute, value }));

function report(
  universe: SdcRecord[],
  filter: Constraint[],
  breakdown: Array<{ attribute: number; bands: string[] }>,
  previous: SdcRecord[] | null,
): ProtectedTable {
  return protectTable(universe, { filter, dimensions: breakdown, figures: [CHILDREN] }, previous);
}

/** Every shown children count of a table, by its bands (the total under "total"). */
function shownCounts(table: ProtectedTable): Map<string, number> {
  const shown = new Map<string, number>();
  for (const cell of [table.total, ...table.cells]) {
    const figure = cell.figures[0]!;
    const key = cell.bands.every((band) => band === null) ? 'total' : cell.bands.join('|');
    if (figure.status === 'VALUE') shown.set(key, figure.value!);
  }
  return shown;
}

describe('a child coming into care between two snapshots', () => {
  // Last month: 40 children placed in the authority, 8 UASC placed out of it. This month one
  // more UASC child placed out of the authority (the example).
  const lastMonth = [...children(40, 'NO', 'IN'), ...children(8, 'YES', 'OUT')];
  const thisMonth = [...lastMonth, ...children(1, 'YES', 'OUT')];
  const uasc = where([[UASC, 'YES']]);

  it('is isolated by two snapshots without the check (the attack)', () => {
    const before = report(lastMonth, uasc, [], null);
    const after = report(thisMonth, uasc, [], null);
    expect(after.total.figures[0]!.value! - before.total.figures[0]!.value!).toBe(1);
  });

  it('withholds the figure that changed by 1 to 5 since the previous snapshot', () => {
    const after = report(thisMonth, uasc, [], lastMonth);
    expect(after.suppressedTotalOnly).toBe(true);
    expect(after.total.figures[0]!.marker).toBe('c');
    expect(after.total.reasons[0]).toBe('CHANGE');
  });

  it('withholds the changed cell of a breakdown and its complement', () => {
    const after = report(thisMonth, [], [LOCATIONS], lastMonth);
    const [inside, outside] = after.cells;
    expect(outside!.reasons[0]).toBe('CHANGE');
    expect(inside!.figures[0]!.marker).toBe('c');
    // The whole authority says how many children are looked after, nothing about any of them.
    expect(after.total.figures[0]!.value).toBe(49);
  });

  it('withholds the complement when asked for on its own, so total minus it cannot be done', () => {
    const inside = report(thisMonth, where([[LOCATION, 'IN']]), [], lastMonth);
    expect(inside.suppressedTotalOnly).toBe(true);
  });

  it.each<[string, Constraint[], Array<{ attribute: number; bands: string[] }>]>([
    ['the whole authority by location', [], [LOCATIONS]],
    ['UASC children', where([[UASC, 'YES']]), []],
    ['UASC children by location', where([[UASC, 'YES']]), [LOCATIONS]],
    ['children placed out of the authority', where([[LOCATION, 'OUT']]), []],
    ['other children by location', where([[UASC, 'NO']]), [LOCATIONS]],
  ])('%s: no figure shown in both snapshots differs by 1 to 5', (_what, filter, breakdown) => {
    const before = shownCounts(report(lastMonth, filter, breakdown, lastMonth));
    const after = shownCounts(report(thisMonth, filter, breakdown, lastMonth));
    for (const [key, value] of after) {
      const then = before.get(key);
      // The whole authority's count is shown (it says nothing about any child).
      if (then === undefined || (key === 'total' && filter.length === 0)) continue;
      const difference = Math.abs(value - then);
      expect({ key, small: difference >= 1 && difference <= 5 }).toEqual({ key, small: false });
    }
  });

  it('changes nothing when nothing changed', () => {
    const same = report(thisMonth, [], [LOCATIONS], thisMonth);
    const without = report(thisMonth, [], [LOCATIONS], null);
    expect(same.cells.map((c) => c.figures)).toEqual(without.cells.map((c) => c.figures));
    expect(same.total.figures).toEqual(without.total.figures);
  });

  it('lets a change of 6 or more through', () => {
    const bigger = [...lastMonth, ...children(6, 'YES', 'OUT')];
    const after = report(bigger, where([[UASC, 'YES']]), [], lastMonth);
    expect(after.total.figures[0]!.value).toBe(14);
  });
});

describe('a row whose withheld cells and zeros show that all its children share one value', () => {
  // Schools by SEN status: S1's 3 children all have an EHC plan.
  const rows = ['S1', 'S2', 'S3'];
  const columns = ['EHC', 'SUPPORT', 'NONE'];
  const universe = grid(rows, columns, [
    [3, 0, 0],
    [10, 10, 10],
    [10, 10, 10],
  ]);
  const table = protectTable(universe, {
    filter: [],
    dimensions: [
      { attribute: 0, bands: rows },
      { attribute: 1, bands: columns },
    ],
    figures: [CHILDREN],
  });
  const withheld = (index: number) => table.cells[index]!.figures[0]!.status !== 'VALUE';

  it('withholds a further cell of that row, so it does not read `c, 0, 0`', () => {
    expect([0, 1, 2].map(withheld)).toEqual([true, true, false]);
    expect(table.cells[1]!.reasons[0]).toBe('ONE_VALUE');
  });

  it('leaves no line of the table with one withheld entry and only zeros besides', () => {
    const lines = linesOf({ sizes: [3, 3], dimensions: 2 });
    const all = [...table.cells, table.total];
    for (const { entries } of lines) {
      const hidden = entries.filter((box) => all[box]!.figures[0]!.status !== 'VALUE');
      const zeros = entries.filter((box) => all[box]!.figures[0]!.value === 0);
      expect({
        entries,
        oneValue: hidden.length === 1 && zeros.length === entries.length - 1,
      }).toEqual({ entries, oneValue: false });
    }
  });

  it('oneValueLines picks the next zero entry of such a line, in band order', () => {
    const lines = [{ entries: [0, 1, 2, 3], total: 4 }];
    expect(
      oneValueLines(lines, [false, false, true, false, true], [true, true, false, true]),
    ).toEqual([3]);
    expect(
      oneValueLines(lines, [false, false, false, true, true], [true, true, true, false]),
    ).toEqual([0]);
    // Two withheld entries, or a shown non-zero one: nothing to add.
    expect(
      oneValueLines(lines, [true, false, true, false, true], [false, true, false, true]),
    ).toEqual([]);
    expect(
      oneValueLines(lines, [false, false, true, false, true], [true, false, false, true]),
    ).toEqual([]);
  });
});
