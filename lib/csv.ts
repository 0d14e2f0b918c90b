/**
 * RFC 4180 CSV, safe to open in a spreadsheet. An auditor's export is opened in Excel, and
 * any cell text came from a caller (an operation name, a purpose): a cell starting with
 * = + - @ (or tab / carriage return, which some spreadsheets skip before one) would run as
 * a formula, so it gets a leading single quote (OWASP "CSV injection"). A number is written
 * as it is: it cannot be a formula, and a negative one (a report's gap) must stay a number.
 */
export type CsvCell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows joined with CRLF, as RFC 4180 says, ending with one. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
