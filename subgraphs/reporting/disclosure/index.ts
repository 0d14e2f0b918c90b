/**
 * Statistical disclosure control for cohort reports: the one place that decides what of a
 * table of figures about children may be published. Pure: records in, published figures out.
 * The design (and what it does and does not protect against) is in README.md beside this file.
 */
export { protectTable } from './protect';
export { publish, withheld, wholePercent } from './figures';
export { MARKERS, POLICY_RULES, POLICY_VERSION, THRESHOLD, isSmallCount } from './policy';
export type { FigureStatus } from './policy';
export type {
  Constraint,
  Dimension,
  FigureKind,
  FigureSpec,
  ProtectedCell,
  ProtectedTable,
  PublishedFigure,
  SdcRecord,
  SuppressionReason,
  TableRequest,
  Tally,
} from './types';
