/**
 * The finance subgraph's own mapping. The PP+ sums of a financial year (`pupilPremiumPlusFor`)
 * are shared with reporting and live in domain/measures/pupil-premium-plus.ts. Pure functions: no
 * I/O, no clock.
 */

/** A social care child id (`CHILD`): seven digits. */
export { isChildId } from '../../domain/identifiers';
