/**
 * Reading a report's universe through the systems' bulk exports (bulk-source.ts) against
 * reading it 500 a page: the same figures, to the last one, on a generated world of 1,200
 * children (three pages), and a number of requests per system that does not depend on the
 * number of children. Real simulators over HTTP; the reports are made with `buildReport`
 * (the cache and the caller's checks are not what this is about).
 */
import { ErrorCode } from '../../lib/errors';
import { seededWorld } from '../../system/world';
import {
  startTinySimulators,
  type SimulatorName,
  type TestSimulators,
} from '../../tests/support/subgraph-harness';
import { reportingConfigFor } from '../../tests/support/report-world';
import { ReportingUpstream } from './client';
import { cellsOf } from './cell-cap';
import type { ReportRequest } from './input';
import { toReportRequest } from './input';
import { buildReport } from './report';

const AS_OF = '2026-02-10';
const SYSTEMS: SimulatorName[] = ['socialCare', 'education', 'finance'];

let simulators: TestSimulators;
let byExport: ReportingUpstream;
let byPage: ReportingUpstream;

beforeAll(async () => {
  simulators = await startTinySimulators(seededWorld({ seed: 7, children: 1_200, asOf: AS_OF }));
  const config = reportingConfigFor(simulators);
  byExport = ReportingUpstream.fromConfig({ ...config, bulkExport: true });
  byPage = ReportingUpstream.fromConfig({ ...config, bulkExport: false });
}, 120_000);

afterAll(async () => {
  byExport?.close();
  byPage?.close();
  await simulators?.close();
});

async function requests(): Promise<Record<SimulatorName, Record<string, number>>> {
  const entries = await Promise.all(
    SYSTEMS.map(async (name) => [name, (await simulators.stats(name)).byRoute] as const),
  );
  return Object.fromEntries(entries) as Record<SimulatorName, Record<string, number>>;
}

async function report(upstream: ReportingUpstream, request: ReportRequest) {
  const { report: made, degraded } = await buildReport(upstream, request, {
    homeLa: '340',
    today: AS_OF,
    now: () => new Date('2026-02-10T12:00:00Z'),
  });
  return { made, degraded };
}

describe('a report read through the bulk exports', () => {
  it.each([
    ['the whole authority', [] as string[]],
    ['key stage x placement type', ['KEY_STAGE', 'PLACEMENT_TYPE']],
    ['school', ['SCHOOL']],
  ])(
    'publishes exactly the figures read page by page (%s)',
    async (_name, breakdown) => {
      const request = toReportRequest({ academicYear: '2025/26' }, breakdown);
      const paged = await report(byPage, request);
      const exported = await report(byExport, request);
      expect(exported.degraded).toBe(false);
      expect(paged.degraded).toBe(false);
      expect(exported.made.total.children.value).toBeGreaterThan(500);
      if (breakdown.length > 0) expect(exported.made.cells.length).toBeGreaterThan(1);
      expect(exported.made).toEqual(paged.made);
    },
    120_000,
  );

  it('asks each system a fixed number of requests, not one per 500 children', async () => {
    const request = toReportRequest({ academicYear: '2025/26', gender: 'FEMALE' }, []);
    await simulators.resetStats(...SYSTEMS);
    await report(byExport, request);
    const counts = await requests();
    // Who (bare records), then everyone with their histories.
    expect(counts.socialCare).toEqual({ 'POST /api/v1/exports/children': 2 });
    // The pupils' records; the schools' year-group figures, exported too.
    expect(counts.education).toEqual({
      'POST /v1/exports/students': 1,
      'POST /v1/exports/aggregates': 1,
    });
    // The clients' funding; the year's top-slices.
    expect(counts.finance).toEqual({
      'POST /api/finance/v1/exports/clients': 1,
      'GET /api/finance/v1/top-slices': 1,
    });

    await simulators.resetStats(...SYSTEMS);
    await report(byPage, request);
    const paged = await requests();
    expect(paged.socialCare['POST /api/v1/children/search']).toBe(3);
    expect(paged.education['GET /v1/aggregates']).toBeGreaterThanOrEqual(1);
    expect(paged.education['POST /v1/exports/aggregates']).toBeUndefined();
  }, 120_000);

  it('refuses a breakdown over the cap on cells, naming the cap, before reading anything', async () => {
    await simulators.resetStats(...SYSTEMS);
    const request = toReportRequest({ academicYear: '2025/26' }, ['KEY_STAGE', 'PLACEMENT_TYPE']);
    const made = buildReport(byExport, request, { homeLa: '340', today: AS_OF, maxCells: 10 });
    await expect(made).rejects.toMatchObject({
      message: expect.stringContaining('at most 10 (REPORT_MAX_CELLS)'),
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
    const counts = await requests();
    for (const name of SYSTEMS) expect(counts[name]).toEqual({});
  });

  it('refuses a school breakdown over the cap once the schools are known', async () => {
    const request = toReportRequest({ academicYear: '2025/26' }, ['SCHOOL']);
    const made = buildReport(byExport, request, { homeLa: '340', today: AS_OF, maxCells: 3 });
    await expect(made).rejects.toMatchObject({
      message: expect.stringContaining('at most 3 (REPORT_MAX_CELLS)'),
    });
  }, 120_000);
});

describe('cellsOf', () => {
  it('counts every combination of bands and their subtotals, not the grand total', () => {
    expect(cellsOf([])).toBe(0);
    expect(cellsOf([7])).toBe(7);
    expect(cellsOf([7, 7])).toBe(63);
  });
});
