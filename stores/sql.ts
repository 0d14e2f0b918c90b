/**
 * Selects a `timestamptz` column as an ISO string shaped like `Date#toISOString()`.
 * Formatting in SQL keeps the output the same on both drivers (pg and PGlite parse dates
 * with different code) and independent of the session's time zone.
 */
export const isoSql = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The same with microseconds: exact, for keyset cursors that must compare equal. */
export const isoMicrosSql = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
