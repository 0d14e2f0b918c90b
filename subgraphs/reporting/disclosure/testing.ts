/**
 * Helpers for disclosure control's tests: crafted universes of records, and an attacker who
 * tries to work out withheld cells of a published table from its totals by exhaustive search.
 */
import type { FigureSpec, ProtectedTable, SdcRecord } from './types';

export const CHILDREN: FigureSpec = {
  kind: 'COUNT',
  numeratorCountsChildren: true,
  denominatorCountsChildren: true,
  available: true,
};

/** A rate over children, e.g. "at the expected standard / with results". */
export const CHILD_RATE: FigureSpec = {
  kind: 'PERCENT',
  numeratorCountsChildren: true,
  denominatorCountsChildren: true,
  available: true,
};

export const MEAN_SCORE: FigureSpec = {
  kind: 'MEAN',
  numeratorCountsChildren: false,
  denominatorCountsChildren: true,
  available: true,
};

/** What one child adds to one extra figure: [numerator, denominator, basis]. */
export type Extra = [number, number, number];

/** A record with these attribute values; figure 0 is the child, `extras` the other figures. */
export function record(values: string[], extras: Extra[] = []): SdcRecord {
  return { values, contributions: [1, 1, 1, ...extras.flat()] };
}

/** `count` identical records. */
export function records(count: number, values: string[], extras: Extra[] = []): SdcRecord[] {
  return Array.from({ length: count }, () => record(values, extras));
}

/** Records filling a two-way table of counts: attribute 0 = row band, attribute 1 = column band. */
export function grid(rows: string[], columns: string[], counts: number[][]): SdcRecord[] {
  return rows.flatMap((row, r) =>
    columns.flatMap((column, c) => records(counts[r]![c]!, [row, column])),
  );
}

type Published = { status: string; value: number | null };

/**
 * For a published two-way table of children counts (cells row-major, then row totals, then
 * column totals, then the grand total), every value each withheld entry could take, given the
 * published entries, that rows and columns add up, and that counts are whole and not negative.
 * Searches the withheld cells, working out the last unknown of a line from its total.
 */
export function feasibleValues(
  table: ProtectedTable,
  rows: number,
  columns: number,
): Map<number, Set<number>> {
  const all = [...table.cells, table.total];
  const shown = (index: number): number | null => {
    const figure = all[index]!.figures[0] as Published;
    return figure.status === 'VALUE' ? figure.value : null;
  };
  const inner = (r: number, c: number) => r * columns + c;
  const grand = rows * columns + rows + columns;
  const rowTotal = (r: number) => shown(rows * columns + r);
  const columnTotal = (c: number) => shown(rows * columns + rows + c);
  const grandTotal = shown(grand);
  const values: Array<number | null> = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) values[inner(r, c)] = shown(inner(r, c));
  const unknown = values.flatMap((value, index) => (value === null ? [index] : []));
  const feasible = new Map<number, Set<number>>();
  for (let i = 0; i <= grand; i++) if (shown(i) === null) feasible.set(i, new Set());

  const sum = (indices: number[]) => indices.reduce((total, i) => total + (values[i] ?? 0), 0);
  const rowOf = (r: number) => Array.from({ length: columns }, (_, c) => inner(r, c));
  const columnOf = (c: number) => Array.from({ length: rows }, (_, r) => inner(r, c));
  const everything = Array.from({ length: rows * columns }, (_, i) => i);
  const open = (indices: number[]) => indices.filter((i) => values[i] === null).length;

  const record = () => {
    for (let r = 0; r < rows; r++)
      if (rowTotal(r) !== null && sum(rowOf(r)) !== rowTotal(r)) return;
    for (let c = 0; c < columns; c++)
      if (columnTotal(c) !== null && sum(columnOf(c)) !== columnTotal(c)) return;
    if (grandTotal !== null && sum(everything) !== grandTotal) return;
    for (const [index, seen] of feasible) {
      if (index < rows * columns) seen.add(values[index]!);
      else if (index < rows * columns + rows) seen.add(sum(rowOf(index - rows * columns)));
      else if (index < grand) seen.add(sum(columnOf(index - rows * columns - rows)));
      else seen.add(sum(everything));
    }
  };

  const search = (k: number): void => {
    if (k === unknown.length) return record();
    const index = unknown[k]!;
    const line = [rowOf(Math.floor(index / columns)), columnOf(index % columns)];
    const totals = [rowTotal(Math.floor(index / columns)), columnTotal(index % columns)];
    let upper = grandTotal === null ? 200 : grandTotal - sum(everything);
    let forced: number | null = null;
    line.forEach((members, i) => {
      const total = totals[i];
      if (total === null || total === undefined) return;
      const slack = total - sum(members);
      upper = Math.min(upper, slack);
      if (open(members) === 1) forced = slack;
    });
    const candidates =
      forced === null ? Array.from({ length: Math.max(upper + 1, 0) }, (_, v) => v) : [forced];
    for (const v of candidates) {
      if (v < 0 || v > upper) continue;
      values[index] = v;
      search(k + 1);
    }
    values[index] = null;
  };
  search(0);
  return feasible;
}
