/**
 * A published snapshot's report works out each child's facts at both snapshot dates in one
 * pass (`childFactsAt`, facts.ts), sharing what the two dates have in common. These reports,
 * of several shapes, days and bases on a generated world of 1,200 children read through the
 * bulk exports, must be exactly the reports made before that change: each fingerprint below
 * (SHA-256 of the report as JSON) was taken from the tree that worked the facts out twice
 * (`childFacts` per date). A report that differs in any figure, marker, band or label fails.
 * Real simulators over HTTP; the reports are made with `buildReport`.
 */
import { createHash } from 'node:crypto';
import { seededWorld } from '../../system/world';
import { startTinySimulators, type TestSimulators } from '../../tests/support/subgraph-harness';
import { reportingConfigFor } from '../../tests/support/report-world';
import { ReportingUpstream } from './client';
import { toReportRequest, type CohortFilterInput } from './input';
import { buildReport } from './report';
import { snapshotOn } from './snapshot';

const AS_OF = '2026-02-10';

let simulators: TestSimulators;
let upstream: ReportingUpstream;

beforeAll(async () => {
  simulators = await startTinySimulators(seededWorld({ seed: 7, children: 1_200, asOf: AS_OF }));
  upstream = ReportingUpstream.fromConfig({ ...reportingConfigFor(simulators), bulkExport: true });
}, 120_000);

afterAll(async () => {
  upstream?.close();
  await simulators?.close();
});

async function fingerprint(
  today: string,
  filter: CohortFilterInput,
  breakdown: string[],
  snapshot: boolean,
): Promise<string> {
  const { report, degraded } = await buildReport(upstream, toReportRequest(filter, breakdown), {
    homeLa: '340',
    today,
    snapshot: snapshot ? snapshotOn(today) : null,
    now: () => new Date('2026-02-10T12:00:00Z'),
  });
  expect(degraded).toBe(false);
  expect(report.total.children.value).toBeGreaterThan(0);
  return createHash('sha256').update(JSON.stringify(report)).digest('hex');
}

describe('facts at both snapshot dates in one pass', () => {
  // [name, today, filter, breakdown, snapshot, fingerprint before the change]
  const cases: Array<[string, string, CohortFilterInput, string[], boolean, string]> = [
    // Month ends 31 January and 31 December: the same term end for PEPs at both.
    [
      'whole authority, this year',
      AS_OF,
      { academicYear: '2025/26' },
      [],
      true,
      'd9049b473b82494ade13235edfe5e480f8f67392c8e54b1639a0e4f9463bdc74',
    ],
    [
      'key stage x placement type',
      AS_OF,
      { academicYear: '2025/26' },
      ['KEY_STAGE', 'PLACEMENT_TYPE'],
      true,
      '7541a1a4eb453cdefd3969c593cfef0b95fffd0c20c5e31a2b9c33d567d56874',
    ],
    [
      'by school',
      AS_OF,
      { academicYear: '2025/26' },
      ['SCHOOL'],
      true,
      'b2aa0b00e97df44060c61e0fda3b630d34991950c1c3bf3194dc58c472f7af42',
    ],
    // Month ends 31 December and 30 November: different term ends for PEPs.
    [
      'age band x gender, January',
      '2026-01-05',
      { academicYear: '2025/26' },
      ['AGE_BAND', 'GENDER'],
      true,
      '2436185a31d41a4e8965e8c8c6b8a14476a0641676e24f2f12084b5310565318',
    ],
    // A date range of the caller's own, reported as of the snapshot.
    [
      'date range by placement type',
      AS_OF,
      { dateRange: { from: '2025-09-01', to: '2026-03-31' } },
      ['PLACEMENT_TYPE'],
      true,
      '40d3e4dc4b84035a4d167ab35419bcaa4b8f1900a8d7f19fb8ee08c6b6221a11',
    ],
    // A past academic year: the same period at both snapshots.
    [
      'last year by legal status',
      AS_OF,
      { academicYear: '2024/25' },
      ['LEGAL_STATUS'],
      true,
      '523362e9c51d6fc0fb957a47f0d6a156494d1ecf35bad2fe6a15167e39ddf1bd',
    ],
    [
      'outcome cohort by key stage',
      AS_OF,
      { academicYear: '2024/25', basis: 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS' },
      ['KEY_STAGE'],
      true,
      '971ba793d6ca2a7023a99d818e6dacb10ea3aa3a25aa15b8844deba752fa0e4f',
    ],
    // A new academic year's first snapshot: the period had not started at the previous one.
    [
      'September, by SEN status',
      '2025-10-02',
      { academicYear: '2025/26' },
      ['SEN_STATUS'],
      true,
      '93c04375055e0fbce3e9b5bb2494860319ca96df023a598914645661399da41c',
    ],
    // Current figures (no snapshot): one date only.
    [
      'current figures by location',
      AS_OF,
      { academicYear: '2025/26' },
      ['LOCATION'],
      false,
      '0cbdfde127fe3335584519999fc9e7627cc96031f3095fcb8c2e9014ecf1ee0b',
    ],
  ];

  it.each(cases)(
    'makes the same report as before (%s)',
    async (_name, today, filter, breakdown, snapshot, expected) => {
      expect(await fingerprint(today, filter, breakdown, snapshot)).toBe(expected);
    },
    120_000,
  );
});
