/**
 * What disclosure control works on: records (one per child in the universe a report is drawn
 * from), the table a report asks for, and what comes out. Nothing here knows what a child, a
 * school or a measure is; the reporting code maps those onto attributes and figures.
 */
import type { FigureStatus } from './policy';

export type FigureKind = 'COUNT' | 'PERCENT' | 'MEAN' | 'MONEY';

export interface FigureSpec {
  kind: FigureKind;
  /** The numerator counts children (then 1 to 5 of them is a small count). */
  numeratorCountsChildren: boolean;
  /** The denominator counts children. */
  denominatorCountsChildren: boolean;
  /** False when the figure cannot be computed for this report at all (published as `x`). */
  available: boolean;
}

/**
 * One child of the universe. `values[i]` is the child's band on attribute i. `contributions`
 * holds, per figure f, at 3f the child's numerator, at 3f+1 their denominator, and at 3f+2 a 1
 * when the figure is computed from them (they are in its population), else 0.
 * Figure 0 is the number of children: every record contributes 1, 1, 1 to it.
 */
export interface SdcRecord {
  values: readonly string[];
  contributions: ArrayLike<number>;
}

export interface Constraint {
  attribute: number;
  value: string;
}

export interface Dimension {
  attribute: number;
  /** Every band of the dimension, in display order; each record's value must be one of them. */
  bands: readonly string[];
}

export interface TableRequest {
  /**
   * The filter's conditions, and any they imply (a year group implies its key stage), so
   * that a wider report which keeps only the implied condition counts as a wider group.
   */
  filter: readonly Constraint[];
  /** Zero, one or two breakdown dimensions. */
  dimensions: readonly Dimension[];
  figures: readonly FigureSpec[];
  /**
   * A part of the universe (the records with this band) whose share of every guarded quantity
   * is guarded as a quantity of its own, in every box: primary suppression, differencing, the
   * change since the previous snapshot and siblings all apply to it. For a universe extended
   * with a group that other reports leave out (other authorities' pupils): the rest of every
   * box may be published by those reports, so box minus rest, the part, is a figure too.
   */
  guardedPart?: Constraint | null;
}

export interface Tally {
  numerator: number;
  denominator: number;
  /** Children the figure is computed from. */
  basis: number;
}

/** Why a figure is withheld (for tests and logs; never published, it would say "1 to 5"). */
export type SuppressionReason =
  'PRIMARY' | 'DIFFERENCING' | 'CHANGE' | 'SIBLING' | 'SECONDARY' | 'ONE_VALUE' | 'CELL';

export interface PublishedFigure {
  status: FigureStatus;
  marker: string | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

export interface ProtectedCell {
  /** Band per dimension; null where the cell is a total over that dimension. */
  bands: ReadonlyArray<string | null>;
  figures: PublishedFigure[];
  /** Internal: why each withheld figure is withheld (null when shown). */
  reasons: Array<SuppressionReason | null>;
  /** Internal: indices of the records in the cell, for figures computed beside it (peers). */
  members: number[];
}

export interface ProtectedTable {
  /** The whole filtered cohort. */
  total: ProtectedCell;
  /** Cells (every band combination), then totals over each dimension; empty when totalOnly. */
  cells: ProtectedCell[];
  /** The cohort is too small to publish, or would difference down to a small group. */
  suppressedTotalOnly: boolean;
}
