/**
 * The differencing check: could this box, taken away from a wider group that some other
 * report publishes, leave 1 to 5 children?
 *
 * A box (a cell or a total of a report) is the children meeting a set of conditions C: the
 * filter's conditions (with the ones they imply) and the box's bands. Any report with a subset
 * of those conditions counts a wider group; wider minus box = the children who fail at least
 * one of the dropped conditions S and meet all the others. With every record placed by the
 * mask of conditions it fails, that difference is the sum over masks M with 0 < M <= S
 * (M a subset of S). The smallest non-zero difference is reached at an S that is itself one
 * record's mask, so only those need trying: a box is at risk on a quantity when some mask M
 * whose own count is 1 to 5 has all its sub-masks summing to 5 or less.
 */
import { THRESHOLD } from './policy';
import type { Tabulation } from './tabulate';

/** Guarded sums of the records failing exactly `mask` of the box's conditions. */
interface Entry {
  mask: number;
  counts: Float64Array;
}

function minus(a: Float64Array, b: Float64Array | undefined): Float64Array {
  const out = Float64Array.from(a);
  if (b) for (let i = 0; i < out.length; i++) out[i]! -= b[i]!;
  return out;
}

/** The records of the universe grouped by which of box `index`'s conditions they fail. */
function entriesFor(
  tabulation: Tabulation,
  index: number,
): { own: Float64Array; entries: Entry[] } {
  const box = tabulation.boxes[index]!;
  const [a, b] = box;
  const bitA = 1 << tabulation.filterBits;
  const bitB = 1 << (tabulation.filterBits + 1);
  const width = tabulation.guards.length;
  const entries: Entry[] = [];
  let own: Float64Array = new Float64Array(width);
  const put = (mask: number, counts: Float64Array) => {
    if (mask === 0) own = counts;
    else entries.push({ mask, counts });
  };
  for (const [mask, sums] of tabulation.byMask) {
    const { total } = sums;
    const here = sums.at(box);
    put(mask, here);
    if (a !== null && b === null) put(mask | bitA, minus(total, here));
    if (a === null && b !== null) put(mask | bitB, minus(total, here));
    if (a !== null && b !== null) {
      const row = sums.at([a, null]);
      const column = sums.at([null, b]);
      put(mask | bitA, minus(column, here));
      put(mask | bitB, minus(row, here));
      const rest = minus(minus(total, row), column);
      for (let i = 0; i < width; i++) rest[i]! += here[i]!;
      put(mask | bitA | bitB, rest);
    }
  }
  return { own, entries };
}

/**
 * Indices (into `tabulation.guards`) of the quantities of box `index` that some wider group
 * would difference down to 1 to 5 children. A quantity that is zero in the box is not
 * checked: zero is published, and a wider group of 1 to 5 is itself suppressed everywhere.
 */
export function differencingRisks(tabulation: Tabulation, index: number): Set<number> {
  const { own, entries } = entriesFor(tabulation, index);
  const risky = new Set<number>();
  tabulation.guards.forEach((_guard, q) => {
    if (own[q] === 0) return;
    for (const candidate of entries) {
      const count = candidate.counts[q]!;
      if (count < 1 || count >= THRESHOLD) continue;
      let difference = 0;
      for (const entry of entries) {
        if ((entry.mask & ~candidate.mask) === 0) difference += entry.counts[q]!;
      }
      if (difference < THRESHOLD) {
        risky.add(q);
        return;
      }
    }
  });
  return risky;
}
