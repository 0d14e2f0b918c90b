/**
 * "Today" for date logic (ages, PEP timeliness, the current school and financial year).
 * Services take a Clock rather than reading the system time, so the seeded world and the
 * subgraphs can agree on one date (env AS_OF) and tests can fix it.
 */
export type Clock = () => string;

/** Today's date (UTC) as YYYY-MM-DD. */
export const systemClock: Clock = () => new Date().toISOString().slice(0, 10);

export const fixedClock =
  (isoDate: string): Clock =>
  () =>
    isoDate;

/** A fixed clock when `asOf` is given, the system's otherwise. */
export const clockFor = (asOf: string | undefined): Clock =>
  asOf ? fixedClock(asOf) : systemClock;
