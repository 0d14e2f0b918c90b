/**
 * The finance subgraph's own mapping. The PP+ sums of a financial year (`pupilPremiumPlusFor`)
 * are shared with reporting and live in lib/measures/pupil-premium-plus.ts. Pure functions: no
 * I/O, no clock.
 */

/** A social care child id (`CHILD`): seven digits. */
export function isChildId(value: unknown): value is string {
  return typeof value === 'string' && /^\d{7}$/.test(value);
}
