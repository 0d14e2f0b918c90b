/**
 * Secondary (complementary) suppression: a table publishes each row and column with its total,
 * so a row with exactly one withheld cell gives that cell away by subtraction. Until no line
 * (row, column, or the row or column of totals) has exactly one withheld entry, withhold one
 * more entry in each such line: the one with the fewest children, preferring cells over totals
 * and figures with a population over `z` ones.
 */
import type { Layout } from './tabulate';

export interface Line {
  /** Boxes that add up to `total` (indices as in `boxesOf`). */
  entries: number[];
  total: number;
}

export function linesOf(layout: Layout): Line[] {
  const [n0, n1] = layout.sizes;
  if (layout.dimensions === 0) return [];
  if (layout.dimensions === 1) return [{ entries: range(n0), total: n0 }];
  const inner = (a: number, b: number) => a * n1 + b;
  const rowTotal = (a: number) => n0 * n1 + a;
  const columnTotal = (b: number) => n0 * n1 + n0 + b;
  const grandTotal = n0 * n1 + n0 + n1;
  return [
    ...range(n0).map((a) => ({ entries: range(n1).map((b) => inner(a, b)), total: rowTotal(a) })),
    ...range(n1).map((b) => ({
      entries: range(n0).map((a) => inner(a, b)),
      total: columnTotal(b),
    })),
    { entries: range(n1).map(columnTotal), total: grandTotal },
    { entries: range(n0).map(rowTotal), total: grandTotal },
  ];
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * Marks further boxes in `withheld` (in place) until no line has exactly one withheld entry;
 * returns the boxes it marked. `cost(box)` ranks candidates (lowest first), null for a box
 * that cannot be withheld to any purpose.
 */
export function completeSuppression(
  lines: readonly Line[],
  withheld: boolean[],
  cost: (box: number) => number | null,
): number[] {
  const added: number[] = [];
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const members = [...line.entries, line.total];
      if (members.filter((box) => withheld[box]).length !== 1) continue;
      let best = -1;
      let bestCost = Infinity;
      for (const box of members) {
        if (withheld[box]) continue;
        const c = cost(box);
        if (c !== null && c < bestCost) {
          best = box;
          bestCost = c;
        }
      }
      if (best === -1) continue;
      withheld[best] = true;
      added.push(best);
      changed = true;
    }
  }
  return added;
}
