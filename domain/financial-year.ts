/**
 * UK public-sector financial years: 1 April to 31 March, written "2025-26" (the year it
 * starts, then the last two digits of the year it ends), as the finance system writes them.
 */

/** The financial year a date falls in lives with the other calendar rules. */
export { financialYearOf } from './school-calendar';

const FINANCIAL_YEAR = /^(\d{4})-(\d{2})$/;

/** True for "YYYY-YY" where the second year follows the first ("2025-26", "1999-00"). */
export function isFinancialYear(value: string): boolean {
  const match = FINANCIAL_YEAR.exec(value);
  if (!match) return false;
  return (Number(match[1]) + 1) % 100 === Number(match[2]);
}
