/**
 * The cap on cells per report (REPORT_MAX_CELLS): a breakdown's cells are every combination
 * of its bands and the subtotals of each (for bands a and b, (a + 1) x (b + 1) - 1 besides the
 * grand total). Over the cap the report is refused with BAD_USER_INPUT naming the cap, before
 * the table is computed; for fixed bands before anything is read.
 */
import { badUserInput } from '../../lib/errors';
import { BANDS, type Dimension } from './bands';

/** The default: any fixed breakdown of two dimensions, and one by school for a large authority. */
export const DEFAULT_MAX_CELLS = 5_000;

/** Cells of a breakdown whose dimensions have these numbers of bands (the total left out). */
export function cellsOf(bandCounts: readonly number[]): number {
  return bandCounts.reduce((product, bands) => product * (bands + 1), 1) - 1;
}

/** Refuses a breakdown of more than `maxCells` cells. */
export function checkCellCap(bandCounts: readonly number[], maxCells: number): void {
  const cells = cellsOf(bandCounts);
  if (cells > maxCells) {
    throw badUserInput(
      `This breakdown would have ${cells} cells; a report may have at most ${maxCells} ` +
        `(REPORT_MAX_CELLS). Break it down by fewer or smaller dimensions, or narrow the filter.`,
    );
  }
}

/**
 * The check that can be made before reading: the dimensions with fixed bands (a SCHOOL
 * dimension's bands are known once the universe is read; it counts as one band until then).
 */
export function checkFixedCellCap(breakdown: readonly Dimension[], maxCells: number): void {
  checkCellCap(
    breakdown.map((dimension) => (dimension === 'SCHOOL' ? 1 : BANDS[dimension].length)),
    maxCells,
  );
}
