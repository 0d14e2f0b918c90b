/**
 * Honest about missing data: the report world with one change, Marsh Lane (a school in Wigan,
 * where group B, six UASC boys placed in Wigan, are on roll) sends the Virtual School no
 * returns, so the LA's education system holds no attendance, exclusions or attainment for B.
 * A missing return must never count as zero: B are left out of those figures, every figure
 * says how many children it is about of how many are in the group, and a figure about a group
 * none of whose data is held is `x`. Over real HTTP, against the simulators.
 */
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import { listen, type RunningServer } from '../../lib/http/http-server';
import { caller, createTestIdentity, type TestIdentity } from '../../tests/support/identity';
import {
  startTinySimulators,
  subgraphClient,
  type TestSimulators,
} from '../../tests/support/subgraph-harness';
import { reportWorld, reportingConfigFor } from '../../tests/support/report-world';
import { createReportingSubgraph } from './subgraph';

interface Figure {
  status: string;
  marker: string | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}
interface Cell {
  measures: Array<{ measure: string; lookedAfter: Figure; coverage: Figure | null }>;
}
type ReportData = { cohortReport: { total: Cell } | null };

const FIGURE = 'status marker value numerator denominator';
const REPORT = /* GraphQL */ `
  query Report($filter: CohortFilter!) {
    cohortReport(filter: $filter) {
      total { measures { measure lookedAfter { ${FIGURE} } coverage { ${FIGURE} } } }
    }
  }
`;

let simulators: TestSimulators;
let subgraph: SubgraphApp;
let server: RunningServer;
let identity: TestIdentity;
const head = caller(['virtual-school-head'], { sub: 'V900001' });
const { graphql } = subgraphClient<ReportData>(
  () => server.url,
  () => identity.tokenFor(head, 'reporting'),
);

/** Group B's UPNs begin with B (see report-world.ts). */
function worldWithoutMarshLaneReturns() {
  const world = reportWorld();
  world.education.students = world.education.students.map((student) =>
    student.upn.startsWith('B')
      ? {
          ...student,
          coverage: { source: 'NO_RETURN', latest_return_on: null },
          attendance: null,
          exclusions: null,
          attainment: null,
        }
      : student,
  );
  return world;
}

beforeAll(async () => {
  identity = await createTestIdentity();
  simulators = await startTinySimulators(worldWithoutMarshLaneReturns());
  const config = reportingConfigFor(simulators);
  subgraph = await createReportingSubgraph(config, identity.security('reporting'));
  server = await listen(subgraph.app, 0);
});

afterAll(async () => {
  await server?.close();
  await subgraph?.stop();
  await simulators?.close();
});

async function total(filter: Record<string, unknown>): Promise<Cell> {
  const response = await graphql(REPORT, { filter });
  expect(response.errors).toBeUndefined();
  return response.data!.cohortReport!.total;
}

const v = (figure: Figure | null) =>
  figure === null
    ? null
    : figure.status === 'VALUE'
      ? [figure.value, figure.numerator, figure.denominator]
      : figure.marker;
const of = (cell: Cell, key: string) => cell.measures.find((m) => m.measure === key)!;

describe('a school elsewhere that sends no return', () => {
  it.each([
    // measure, the figure (value, numerator, denominator), its coverage: A and C (12 of 18).
    // Attendance: A 95 and C 40 of 100 sessions each; B not held, not 0 of 100.
    ['ATTENDANCE_RATE', [68, 6 * 95 + 6 * 40, 1200], [67, 12, 18]],
    // C alone misses 10% or more (and 50%): 6 of the 12 whose attendance is held.
    ['PERSISTENT_ABSENCE', [50, 6, 12], [67, 12, 18]],
    ['SEVERE_ABSENCE', [50, 6, 12], [67, 12, 18]],
    // B's suspensions are not held: none of the 12 held was suspended; never "0 of 18".
    ['ONE_OR_MORE_SUSPENSIONS', [0, 0, 12], [67, 12, 18]],
    ['SUSPENSION_RATE', [0, 0, 12], [67, 12, 18]],
    ['PERMANENT_EXCLUSIONS', [6, 6, 12], [67, 12, 18]],
  ])('%s leaves out the children whose data is missing', (key, figure, coverage) => {
    return total({ academicYear: '2025/26' }).then((cell) => {
      expect(v(of(cell, key).lookedAfter)).toEqual(figure);
      expect(v(of(cell, key).coverage)).toEqual(coverage);
    });
  });

  it('publishes x, with coverage 0%, for a group none of whose data is held', async () => {
    // Placed outside the authority: B alone, all six at Marsh Lane.
    const outside = await total({ academicYear: '2025/26', location: 'OUT_OF_AUTHORITY' });
    for (const key of ['ATTENDANCE_RATE', 'ONE_OR_MORE_SUSPENSIONS', 'SUSPENSION_RATE']) {
      expect([key, of(outside, key).lookedAfter.marker]).toEqual([key, 'x']);
      expect([key, v(of(outside, key).coverage)]).toEqual([key, [0, 0, 6]]);
    }
    // What the systems hold for every child is unaffected, and says no coverage.
    expect(v(of(outside, 'SEN_EHC_PLAN').lookedAfter)).toEqual([100, 6, 6]);
    expect(of(outside, 'SEN_EHC_PLAN').coverage).toBeNull();
    expect(of(outside, 'PEP_IN_DATE').coverage).toBeNull();
  });
});
