/**
 * A report's CSV is written once and kept for the reports asked for most recently: asked
 * again, the same text (not written again: a change to the report object does not show);
 * pushed out by 50 later reports, written anew.
 */
import type { CohortReportShape } from './report';
import { csvOf } from './serialised';

const figure = { status: 'VALUE', marker: null, value: 3, numerator: 3, denominator: 3 };

function report(academicYear: string): CohortReportShape {
  const cell = { bands: [], children: figure, measures: [] };
  return {
    academicYear,
    from: '2025-09-01',
    to: '2026-08-31',
    measuredTo: '2026-02-10',
    referenceDate: '2026-02-10',
    basis: 'LOOKED_AFTER_AT_DATE',
    financialYear: '2025-26',
    breakdown: [],
    total: cell,
    cells: [],
  } as unknown as CohortReportShape;
}

describe('csvOf', () => {
  it('writes a report once while it is kept, and again once pushed out', () => {
    const made = report('2025/26');
    const first = csvOf(made);
    expect(first).toContain('2025/26');
    made.academicYear = '1999/00';
    expect(csvOf(made)).toBe(first);
    for (let i = 0; i < 50; i += 1) csvOf(report(`20${10 + i}/xx`));
    expect(csvOf(made)).toContain('1999/00');
  });
});
