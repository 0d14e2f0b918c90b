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

/**
 * Boxes to withhold so that no line gives away that all of its children share one value: a
 * line whose entries are all zero but for exactly one withheld entry (`c, 0, 0, 0`) says that
 * every child it counts is in that one band, whatever the count. One more entry of such a line
 * is withheld: the first zero entry after the withheld one, in band order (a choice that does
 * not depend on the data). `empty[box]` is true for a box with no children.
 */
export function oneValueLines(
  lines: readonly Line[],
  withheld: readonly boolean[],
  empty: readonly boolean[],
): number[] {
  const added = new Set<number>();
  for (const { entries } of lines) {
    if (entries.length < 2) continue;
    const hidden = entries.filter((box) => withheld[box] || added.has(box));
    if (hidden.length !== 1) continue;
    if (!entries.every((box) => box === hidden[0] || empty[box] === true)) continue;
    const at = entries.indexOf(hidden[0]!);
    const next = entries[(at + 1) % entries.length]!;
    added.add(next);
  }
  return [...added];
}
