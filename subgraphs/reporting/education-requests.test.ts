/**
 * The education system's requests for a report do not follow the size of the authority when
 * read through the bulk exports (issue 16): worlds of 600 and 1,200 children (100 and 200
 * schools; 423 and 846 year-group rows, one and two pages of `GET /v1/aggregates`) cost the
 * same requests, counted by the simulator, for a whole-authority report and a breakdown by
 * school (the schools' names). Read page by page, the larger world costs more: the check has
 * something to catch.
 */
import { seededWorld } from '../../system/world';
import { startTinySimulators, type TestSimulators } from '../../tests/support/subgraph-harness';
import { reportingConfigFor } from '../../tests/support/report-world';
import { ReportingUpstream } from './client';
import { toReportRequest } from './input';
import { buildReport } from './report';

const AS_OF = '2026-02-10';

interface Sized {
  simulators: TestSimulators;
  byExport: ReportingUpstream;
  byPage: ReportingUpstream;
}

const worlds: Sized[] = [];

beforeAll(async () => {
  for (const children of [600, 1_200]) {
    const simulators = await startTinySimulators(seededWorld({ seed: 7, children, asOf: AS_OF }));
    const config = reportingConfigFor(simulators);
    worlds.push({
      simulators,
      byExport: ReportingUpstream.fromConfig({ ...config, bulkExport: true }),
      byPage: ReportingUpstream.fromConfig({ ...config, bulkExport: false }),
    });
  }
}, 120_000);

afterAll(async () => {
  for (const world of worlds) {
    world.byExport.close();
    world.byPage.close();
    await world.simulators.close();
  }
});

/** The education simulator's requests, by route, for one report. */
async function educationRequests(
  world: Sized,
  upstream: ReportingUpstream,
  breakdown: string[],
): Promise<Record<string, number>> {
  await world.simulators.resetStats('education');
  const { degraded } = await buildReport(
    upstream,
    toReportRequest({ academicYear: '2025/26' }, breakdown),
    { homeLa: '340', today: AS_OF },
  );
  expect(degraded).toBe(false);
  return (await world.simulators.stats('education')).byRoute;
}

describe("education's requests for a report read by export", () => {
  it.each([
    ['the whole authority', [] as string[]],
    ['school', ['SCHOOL']],
  ])(
    'are the same at 600 and 1,200 children (%s)',
    async (_name, breakdown) => {
      const [small, large] = worlds as [Sized, Sized];
      const exported = await educationRequests(small, small.byExport, breakdown);
      expect(await educationRequests(large, large.byExport, breakdown)).toEqual(exported);
      expect(exported).toEqual({
        'POST /v1/exports/students': 1,
        'POST /v1/exports/aggregates': 1,
        ...(breakdown.includes('SCHOOL') ? { 'POST /v1/exports/schools': 1 } : {}),
      });

      const paged = await educationRequests(small, small.byPage, breakdown);
      const pagedLarge = await educationRequests(large, large.byPage, breakdown);
      expect(paged['GET /v1/aggregates']).toBe(1);
      expect(pagedLarge['GET /v1/aggregates']).toBe(2);
    },
    120_000,
  );
});
