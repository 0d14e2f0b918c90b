/**
 * Counting a table in one pass over the universe. Every record is placed by which of the
 * filter's conditions it fails (a bit mask) and its band on each breakdown dimension. The
 * records that fail nothing fill the table; the others let the checks count any wider group
 * (the report without some of its conditions) and any sibling (the report with one condition
 * set to another value) without another pass.
 */
import type { FigureSpec, SdcRecord, TableRequest, Tally } from './types';

/** A quantity that counts children, guarded against disclosure: figure f's slot 0/1/2. */
export interface Guard {
  figure: number;
  /** 0 numerator, 1 denominator, 2 basis (children the figure is computed from). */
  slot: 0 | 1 | 2;
  /** The share of the request's guarded part only (see TableRequest.guardedPart). */
  part?: true;
}

/**
 * Guarded quantities: every figure's basis, and its numerator or denominator when they count
 * children; with a guarded part, the same again for the part's share, after all of them (so
 * the first guard of a figure and slot is always the whole box's).
 */
export function guardsFor(figures: readonly FigureSpec[], withPart = false): Guard[] {
  const guards: Guard[] = [];
  figures.forEach((spec, figure) => {
    guards.push({ figure, slot: 2 });
    if (spec.numeratorCountsChildren) guards.push({ figure, slot: 0 });
    if (spec.denominatorCountsChildren) guards.push({ figure, slot: 1 });
  });
  if (!withPart) return guards;
  return [...guards, ...guards.map((guard): Guard => ({ ...guard, part: true }))];
}

/** Bands per dimension (a missing dimension has one), and how many dimensions there are. */
export interface Layout {
  sizes: [number, number];
  dimensions: number;
}

/** A box of the table: a band index per dimension, null for a total over it. */
export type BoxKey = [number | null, number | null];

/** Cells row-major, then totals over dimension 1 per row band, then over dimension 0, then the grand total. */
export function boxesOf(layout: Layout): BoxKey[] {
  const [n0, n1] = layout.sizes;
  const boxes: BoxKey[] = [];
  if (layout.dimensions === 1) {
    for (let a = 0; a < n0; a++) boxes.push([a, null]);
  } else if (layout.dimensions === 2) {
    for (let a = 0; a < n0; a++) for (let b = 0; b < n1; b++) boxes.push([a, b]);
    for (let a = 0; a < n0; a++) boxes.push([a, null]);
    for (let b = 0; b < n1; b++) boxes.push([null, b]);
  }
  boxes.push([null, null]);
  return boxes;
}

function add(target: Float64Array, source: ArrayLike<number>): void {
  for (let i = 0; i < target.length; i++) target[i]! += source[i]!;
}

/**
 * Sums of guarded quantities over a set of records, by table position. Band index `size` of a
 * dimension is "other": a value outside the listed bands, which only records outside the
 * filter may have (schools are listed only where the cohort has children).
 */
export class PositionSums {
  readonly cells = new Map<number, Float64Array>();
  readonly rows = new Map<number, Float64Array>();
  readonly columns = new Map<number, Float64Array>();
  readonly total: Float64Array;

  constructor(
    private readonly width: number,
    private readonly stride: number,
  ) {
    this.total = new Float64Array(width);
  }

  add(a: number, b: number, vector: ArrayLike<number>): void {
    const at = (map: Map<number, Float64Array>, key: number) => {
      let found = map.get(key);
      if (!found) {
        found = new Float64Array(this.width);
        map.set(key, found);
      }
      add(found, vector);
    };
    at(this.cells, a * this.stride + b);
    at(this.rows, a);
    at(this.columns, b);
    add(this.total, vector);
  }

  /** The sums for a box position (zeros where no record is). */
  at([a, b]: BoxKey): Float64Array {
    const zero = new Float64Array(this.width);
    if (a === null && b === null) return this.total;
    if (b === null) return this.rows.get(a!) ?? zero;
    if (a === null) return this.columns.get(b) ?? zero;
    return this.cells.get(a * this.stride + b) ?? zero;
  }
}

export interface Tabulation {
  layout: Layout;
  guards: Guard[];
  boxes: BoxKey[];
  /** Figure tallies of the records that meet the filter, per box. */
  tallies: Tally[][];
  /** Records in each box. */
  members: number[][];
  /** Guarded sums by the mask of filter conditions failed (0: the cohort itself). */
  byMask: Map<number, PositionSums>;
  /**
   * For filter condition m: guarded sums of the records failing that condition only, by the
   * value they have instead (the siblings of the cohort along that attribute).
   */
  siblings: Array<Map<string, PositionSums>>;
  /** Bits used by the filter's conditions; breakdown bits sit above them. */
  filterBits: number;
}

export function tabulate(records: readonly SdcRecord[], request: TableRequest): Tabulation {
  const { filter, dimensions, figures } = request;
  if (dimensions.length > 2) throw new RangeError('at most two breakdown dimensions');
  if (filter.length > 24) throw new RangeError('too many filter conditions');
  const sizes: [number, number] = [
    dimensions[0]?.bands.length ?? 1,
    dimensions[1]?.bands.length ?? 1,
  ];
  const layout: Layout = { sizes, dimensions: dimensions.length };
  const bandIndex = dimensions.map((d) => new Map(d.bands.map((band, i) => [band, i])));
  const part = request.guardedPart ?? null;
  const guards = guardsFor(figures, part !== null);
  const F = figures.length;
  const stride = sizes[1] + 1;
  const width = guards.length;

  const cellTallies = new Map<number, Float64Array>();
  const cellMembers = new Map<number, number[]>();
  const byMask = new Map<number, PositionSums>();
  const siblings = filter.map(() => new Map<string, PositionSums>());
  const guarded = new Float64Array(width);
  const sumsIn = <K>(map: Map<K, PositionSums>, key: K) => {
    let found = map.get(key);
    if (!found) {
      found = new PositionSums(width, stride);
      map.set(key, found);
    }
    return found;
  };

  records.forEach((record, index) => {
    let mask = 0;
    let failed = -1;
    filter.forEach((condition, bit) => {
      if (record.values[condition.attribute] !== condition.value) {
        mask |= 1 << bit;
        failed = bit;
      }
    });
    const position = [0, 0];
    dimensions.forEach((dimension, d) => {
      const found = bandIndex[d]!.get(record.values[dimension.attribute] ?? '');
      if (found === undefined && mask === 0) {
        throw new RangeError(`a record in the cohort has a band not listed for dimension ${d}`);
      }
      position[d] = found ?? sizes[d]!;
    });
    const [a, b] = position as [number, number];
    const inPart = part !== null && record.values[part.attribute] === part.value;
    guards.forEach((guard, q) => {
      guarded[q] =
        guard.part && !inPart ? 0 : (record.contributions[3 * guard.figure + guard.slot] ?? 0);
    });
    sumsIn(byMask, mask).add(a, b, guarded);
    if (mask !== 0 && mask === 1 << failed) {
      const value = record.values[filter[failed]!.attribute] ?? '';
      sumsIn(siblings[failed]!, value).add(a, b, guarded);
    }
    if (mask === 0) {
      const key = a * stride + b;
      let tally = cellTallies.get(key);
      if (!tally) {
        tally = new Float64Array(3 * F);
        cellTallies.set(key, tally);
      }
      add(tally, record.contributions);
      const members = cellMembers.get(key);
      if (members) members.push(index);
      else cellMembers.set(key, [index]);
    }
  });

  const boxes = boxesOf(layout);
  const tallies: Tally[][] = [];
  const members: number[][] = [];
  const all = (n: number) => Array.from({ length: n }, (_, i) => i);
  for (const [a, b] of boxes) {
    const sum = new Float64Array(3 * F);
    const inBox: number[] = [];
    for (const x of a === null ? all(sizes[0]) : [a]) {
      for (const y of b === null ? all(sizes[1]) : [b]) {
        const tally = cellTallies.get(x * stride + y);
        if (tally) add(sum, tally);
        for (const member of cellMembers.get(x * stride + y) ?? []) inBox.push(member);
      }
    }
    tallies.push(
      Array.from({ length: F }, (_, f) => ({
        numerator: sum[3 * f]!,
        denominator: sum[3 * f + 1]!,
        basis: sum[3 * f + 2]!,
      })),
    );
    members.push(inBox);
  }
  return {
    layout,
    guards,
    boxes,
    tallies,
    members,
    byMask,
    siblings,
    filterBits: filter.length,
  };
}
