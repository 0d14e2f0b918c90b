/**
 * The disclosure control policy as data: the threshold, the DfE markers and the rules in words
 * (served with every report, so a reader knows what a `c` means). Fixed in code on purpose: a
 * threshold that configuration could lower would be a way to talk the control around.
 */

/** Fewest children a published count, rate or mean may rest on. */
export const THRESHOLD = 6;

/** Bump when a rule changes, so reports say which rules they were made under. */
export const POLICY_VERSION = '1.2';

export type FigureStatus =
  'VALUE' | 'SUPPRESSED' | 'NOT_APPLICABLE' | 'ROUNDS_TO_ZERO' | 'NOT_AVAILABLE';

/** The markers the DfE publishes in place of a value. */
export const MARKERS: Record<Exclude<FigureStatus, 'VALUE'>, string> = {
  SUPPRESSED: 'c',
  NOT_APPLICABLE: 'z',
  ROUNDS_TO_ZERO: 'k',
  NOT_AVAILABLE: 'x',
};

export const POLICY_RULES: readonly string[] = [
  `Counts of 1 to ${THRESHOLD - 1} children are suppressed (c); zero is shown.`,
  `A rate, mean or amount computed from fewer than ${THRESHOLD} children is suppressed (c), and so is one whose numerator is 1 to ${THRESHOLD - 1} children.`,
  'When a row or column total is shown, further cells are suppressed so that no suppressed cell can be worked out by subtraction (secondary suppression).',
  `A figure is suppressed when taking it away from the same figure for a wider group (the same report without one or more of its conditions) would leave 1 to ${THRESHOLD - 1} children: two reports cannot be differenced down to a small group.`,
  `Analysts and governors see figures as of a published snapshot date (the last completed month end; PEP in date at the last completed term end), the same all month. A figure that differs from the same figure at the previous snapshot by 1 to ${THRESHOLD - 1} children (a small group came into or left it) is suppressed, with its complements.`,
  'Breakdowns list the same bands whatever the filter (for schools: every school where the children the caller may report on are on roll).',
  'A row or column whose suppressed cells and zeros would show that every child in it shares one value has a further cell suppressed.',
  `A report that counts other authorities' looked-after pupils treats their share of every figure (the figure minus this authority's children, whom other reports show) as a figure of its own: 1 to ${THRESHOLD - 1} of them, a difference of 1 to ${THRESHOLD - 1} from a wider group's share, or a change of 1 to ${THRESHOLD - 1} since the previous snapshot suppresses the figure, with its complements.`,
  'A cohort too small to publish returns only a suppressed total.',
  'Percentages are whole numbers; k marks a value that rounds to zero but is not zero.',
  'Filters and breakdowns use fixed bands only; periods are whole school terms or academic years.',
  'z: not applicable. x: not available (a source system was unavailable, or does not hold the data for the period).',
];

/** A count of children small enough to identify someone: 1 to THRESHOLD - 1 (zero is not). */
export function isSmallCount(count: number): boolean {
  return count >= 1 && count < THRESHOLD;
}
