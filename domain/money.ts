/**
 * Money as the schema shows it: whole pence (exact, summable) and a display string in pounds.
 * Amounts are held in pence everywhere so sums never meet floating-point rounding.
 */
export interface Money {
  pence: number;
  /** Pounds for display, e.g. "£2,630.00" or "-£12.50". */
  formatted: string;
}

/** Whole pounds with thousands separators: "2,630". */
const WHOLE_POUNDS = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** "£2,630.00" from 263000. Integer arithmetic, so no rounding surprises. */
export function formatPence(pence: number): string {
  if (!Number.isSafeInteger(pence)) throw new RangeError('Money must be a whole number of pence.');
  const sign = pence < 0 ? '-' : '';
  const absolute = Math.abs(pence);
  const pounds = Math.trunc(absolute / 100);
  const rest = String(absolute % 100).padStart(2, '0');
  return `${sign}£${WHOLE_POUNDS.format(pounds)}.${rest}`;
}

export function money(pence: number): Money {
  if (!Number.isSafeInteger(pence)) throw new RangeError('Money must be a whole number of pence.');
  // The display string is made when first read: a cohort report sums the pence of every
  // child's PP+ and never shows one (formatting them all was a tenth of a report's own time).
  let formatted: string | undefined;
  return {
    pence,
    get formatted() {
      formatted ??= formatPence(pence);
      return formatted;
    },
  };
}
