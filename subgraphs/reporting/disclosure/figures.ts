/**
 * Turning one tally into one published figure under the primary rules: small counts and
 * figures from few children suppressed, zero shown, percentages whole, `k` for a value that
 * rounds to zero, `z` for no population, `x` for unavailable.
 */
import { MARKERS, THRESHOLD, isSmallCount, type FigureStatus } from './policy';
import type { FigureSpec, PublishedFigure, Tally } from './types';

export function withheld(status: Exclude<FigureStatus, 'VALUE'>): PublishedFigure {
  return { status, marker: MARKERS[status], value: null, numerator: null, denominator: null };
}

/** True when the tally itself breaks a primary rule (a figure of 1 to 5 children, or from fewer than 6). */
export function breaksPrimaryRule(spec: FigureSpec, tally: Tally): boolean {
  if (spec.numeratorCountsChildren && isSmallCount(tally.numerator)) return true;
  if (spec.denominatorCountsChildren && isSmallCount(tally.denominator)) return true;
  if (spec.kind === 'COUNT') return isSmallCount(tally.basis);
  return tally.basis > 0 && tally.basis < THRESHOLD;
}

/** Percentage of n in d, rounded half up to a whole number (exact for whole-number inputs). */
export function wholePercent(numerator: number, denominator: number): number {
  if (Number.isInteger(numerator) && Number.isInteger(denominator)) {
    return Math.floor((200 * numerator + denominator) / (2 * denominator));
  }
  return Math.round((100 * numerator) / denominator);
}

const roundTo = (value: number, places: number): number => {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
};

/** The unrounded value of a tally (a percentage for PERCENT), or null without a population. */
export function exactValue(spec: FigureSpec, tally: Tally): number | null {
  switch (spec.kind) {
    case 'COUNT':
      return tally.numerator;
    case 'MONEY':
      return tally.basis === 0 ? null : tally.numerator;
    case 'PERCENT':
      return tally.denominator === 0 ? null : (100 * tally.numerator) / tally.denominator;
    case 'MEAN':
      return tally.denominator === 0 ? null : tally.numerator / tally.denominator;
  }
}

/** The value as published: percentages whole, means to 1 decimal place, money to the penny. */
export function roundedValue(spec: FigureSpec, tally: Tally): number | null {
  switch (spec.kind) {
    case 'COUNT':
      return tally.numerator;
    case 'PERCENT':
      return tally.denominator === 0 ? null : wholePercent(tally.numerator, tally.denominator);
    case 'MEAN':
      return tally.denominator === 0 ? null : roundTo(tally.numerator / tally.denominator, 1);
    case 'MONEY':
      return tally.basis === 0 ? null : roundTo(tally.numerator, 2);
  }
}

/**
 * The figure for a tally. `suppress` is set when disclosure control withholds it for another
 * reason (a secondary suppression, a differencing risk, the cell's count withheld).
 */
export function publish(spec: FigureSpec, tally: Tally, suppress = false): PublishedFigure {
  if (!spec.available) return withheld('NOT_AVAILABLE');
  if (suppress || breaksPrimaryRule(spec, tally)) return withheld('SUPPRESSED');
  if (spec.kind !== 'COUNT' && tally.basis === 0) return withheld('NOT_APPLICABLE');
  const value = roundedValue(spec, tally);
  if (value === null) return withheld('NOT_APPLICABLE');
  const shown = {
    numerator: roundTo(tally.numerator, 2),
    denominator: roundTo(tally.denominator, 2),
  };
  if (value === 0 && (exactValue(spec, tally) ?? 0) > 0) {
    return { status: 'ROUNDS_TO_ZERO', marker: MARKERS.ROUNDS_TO_ZERO, value: null, ...shown };
  }
  return { status: 'VALUE', marker: null, value, ...shown };
}
