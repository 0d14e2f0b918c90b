/**
 * `CohortReport.cellsJson` (the cells serialised once) against `cells` with every field
 * selected, end to end through the gateway on the seeded authority of 600 children: the same
 * text for several reports and every role that may read reports (disclosure control and a
 * governor's own-school scope included), asked in one request and from the cache; the same
 * refusals for everyone else; and the same one AGGREGATE entry in the access log. The CSV and
 * JSON report exports, which read the cells as `cellsJson`, write byte for byte what they
 * wrote from `cells`.
 */
import type { CohortReportData } from '../gateway/rest/reports';
import { reportTable } from '../lib/report-table';
import { toCsv } from '../lib/csv';
import type { PersonaName } from '../simulators/seed/world';
import type { RunningSystem } from '../system/start-system';
import { clientFor, startTestSystem } from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

const FIGURE = 'status marker value numerator denominator unit';
const NATIONAL = 'value academicYear sameAcademicYear cohortRule release';
/** Every field of CohortCell, in the schema's order (what cellsJson holds). */
const EVERY_FIELD = /* GraphQL */ `
  fragment EveryField on CohortCell {
    bands { dimension code label }
    children { ${FIGURE} }
    measures {
      measure
      label
      lookedAfter { ${FIGURE} }
      peers { ${FIGURE} }
      gap { ${FIGURE} }
      coverage { ${FIGURE} }
      national { lookedAfter { ${NATIONAL} } allPupils { ${NATIONAL} } note }
    }
  }
`;
const BOTH = /* GraphQL */ `
  query Both($filter: CohortFilter!, $breakdown: [CohortDimension!]) {
    cohortReport(filter: $filter, breakdown: $breakdown) {
      cells {
        ...EveryField
      }
      cellsJson
    }
  }
  ${EVERY_FIELD}
`;
const CELLS = /* GraphQL */ `
  query Cells($filter: CohortFilter!, $breakdown: [CohortDimension!]) {
    cohortReport(filter: $filter, breakdown: $breakdown) {
      cells {
        ...EveryField
      }
    }
  }
  ${EVERY_FIELD}
`;
const CSV_ONLY = /* GraphQL */ `
  query Csv($filter: CohortFilter!, $breakdown: [CohortDimension!]) {
    cohortReport(filter: $filter, breakdown: $breakdown) {
      csv
    }
  }
`;
const JSON_ONLY = /* GraphQL */ `
  query CellsJson($filter: CohortFilter!, $breakdown: [CohortDimension!]) {
    cohortReport(filter: $filter, breakdown: $breakdown) {
      cellsJson
    }
  }
`;

interface Answer {
  cohortReport: { cells?: unknown[]; cellsJson?: string } | null;
}

const YEAR = { academicYear: '2025/26' };
const persona = (name: PersonaName) => system.world.personas.find((p) => p.name === name)!;
const governorSchool = () => persona('governor').urns[0]!;

async function ask(name: PersonaName, query: string, filter: object, breakdown: string[]) {
  return (await clientFor(system, name))<Answer>(query, { filter, breakdown });
}

/** Every figure's status in the cells (to show disclosure control is in what is compared). */
function statuses(cells: unknown[]): Set<string> {
  const found = new Set<string>();
  JSON.stringify(cells, (key, value: unknown) => {
    if (key === 'status' && typeof value === 'string') found.add(value);
    return value;
  });
  return found;
}

describe('cellsJson carries exactly the cells', () => {
  // [who, what, filter, breakdown, fewest cells expected (a governor's small school may be
  // published as its total only)].
  const reports: Array<[PersonaName, string, object, string[], number]> = [
    ['analyst', 'the whole authority', YEAR, [], 0],
    ['analyst', 'key stage x placement type', YEAR, ['KEY_STAGE', 'PLACEMENT_TYPE'], 20],
    ['analyst', 'by school', YEAR, ['SCHOOL'], 20],
    [
      'analyst',
      'the outcome cohort of 2024/25 by SEN status',
      { academicYear: '2024/25', basis: 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS' },
      ['SEN_STATUS'],
      2,
    ],
    [
      'vsh',
      'girls by age band and location',
      { ...YEAR, gender: 'FEMALE' },
      ['AGE_BAND', 'LOCATION'],
      5,
    ],
    ['vsh', 'by school', YEAR, ['SCHOOL'], 20],
    ['governor', 'their own school by key stage', { schoolUrn: 'OWN' }, ['KEY_STAGE'], 0],
  ];

  it.each(reports)('%s: %s', async (name, _title, given, breakdown, fewest) => {
    const filter =
      'schoolUrn' in given ? { ...YEAR, schoolUrn: governorSchool() } : (given as object);
    const both = await ask(name, BOTH, filter, breakdown);
    expect(both.errors).toBeUndefined();
    const { cells, cellsJson } = both.data!.cohortReport!;
    // The same text as the executed cells: same fields, same order, same values.
    expect(cellsJson).toBe(JSON.stringify(cells));
    expect(cells!.length).toBeGreaterThanOrEqual(fewest);

    // Asked alone, from the cache, and the other way round: still the same.
    const alone = await ask(name, JSON_ONLY, filter, breakdown);
    expect(alone.errors).toBeUndefined();
    expect(alone.data!.cohortReport!.cellsJson).toBe(cellsJson);
    const executed = await ask(name, CELLS, filter, breakdown);
    expect(JSON.stringify(executed.data!.cohortReport!.cells)).toBe(cellsJson);
  });

  it('withholds what disclosure control withholds, in both forms', async () => {
    const both = await ask('analyst', BOTH, YEAR, ['SCHOOL']);
    const { cells, cellsJson } = both.data!.cohortReport!;
    const parsed = JSON.parse(cellsJson!) as unknown[];
    expect(statuses(parsed)).toContain('SUPPRESSED');
    expect(statuses(parsed)).toEqual(statuses(cells!));
  });
});

describe('cellsJson and csv are refused to whoever cells is refused to', () => {
  it.each<PersonaName>(['finance-officer', 'teacher', 'placing-authority', 'designated-teacher'])(
    '%s',
    async (name) => {
      const filter = { ...YEAR, schoolUrn: governorSchool() };
      for (const query of [JSON_ONLY, CSV_ONLY, CELLS]) {
        const refused = await ask(name, query, filter, ['KEY_STAGE']);
        expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(refused.data?.cohortReport ?? null).toBeNull();
      }
    },
  );

  it('a governor, for another school or the whole authority', async () => {
    const other = system.world.education.schools.find((s) => s.urn !== governorSchool())!.urn;
    for (const filter of [YEAR, { ...YEAR, schoolUrn: other }]) {
      for (const query of [JSON_ONLY, CSV_ONLY, CELLS]) {
        const refused = await ask('governor', query, filter, ['KEY_STAGE']);
        expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(refused.data?.cohortReport ?? null).toBeNull();
      }
    }
  });

  it('records a report read as cellsJson as one AGGREGATE entry, like cells', async () => {
    const analyst = persona('analyst');
    const count = async () =>
      (await system.stores.audit.query({ actorSub: analyst.sub, first: 500 })).events.length;
    const before = await count();
    await ask('analyst', JSON_ONLY, { ...YEAR, gender: 'MALE' }, ['LOCATION']);
    const events = (await system.stores.audit.query({ actorSub: analyst.sub, first: 500 })).events;
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({
      childId: null,
      categories: ['AGGREGATE'],
      cohortFilter: { gender: 'MALE', breakdown: ['LOCATION'] },
    });
  });
});

/** The report exports' query as it was, with the cells executed field by field. */
const EXPORT_FIGURE = 'status marker value numerator denominator';
const EXPORTED_FROM_CELLS = /* GraphQL */ `
  query ExportedFromCells($filter: CohortFilter!, $breakdown: [CohortDimension!]) {
    cohortReport(filter: $filter, breakdown: $breakdown) {
      academicYear from to measuredTo referenceDate basis financialYear breakdown
      suppressedTotalOnly generatedAt
      total { ...ExportCell }
      cells { ...ExportCell }
      disclosureControl { threshold version rules }
      nationalComparison {
        version source
        figures { measure academicYear cohortRule value unit release }
      }
    }
  }
  fragment ExportCell on CohortCell {
    bands { dimension code label }
    children { ${EXPORT_FIGURE} }
    measures {
      measure
      lookedAfter { ${EXPORT_FIGURE} }
      peers { ${EXPORT_FIGURE} }
      gap { ${EXPORT_FIGURE} }
      coverage { ${EXPORT_FIGURE} }
      national { lookedAfter { value academicYear } allPupils { value academicYear } }
    }
  }
`;

describe('the report exports, served from cellsJson', () => {
  const cases: Array<[PersonaName, string, string, object, string[]]> = [
    ['analyst', 'by school', 'academicYear=2025/26&breakdown=SCHOOL', YEAR, ['SCHOOL']],
    [
      'analyst',
      'boys by age band and gender',
      'academicYear=2025/26&gender=MALE&breakdown=AGE_BAND,LOCATION',
      { ...YEAR, gender: 'MALE' },
      ['AGE_BAND', 'LOCATION'],
    ],
    [
      'vsh',
      'by key stage',
      'academicYear=2024/25&breakdown=KEY_STAGE',
      { academicYear: '2024/25' },
      ['KEY_STAGE'],
    ],
    ['governor', 'their own school', 'OWN', { schoolUrn: 'OWN' }, ['KEY_STAGE']],
  ];

  it.each(cases)(
    '%s, %s: the same CSV and JSON as from cells',
    async (name, _t, q, given, breakdown) => {
      const own = governorSchool();
      const query = q === 'OWN' ? `academicYear=2025/26&schoolUrn=${own}&breakdown=KEY_STAGE` : q;
      const filter = 'schoolUrn' in given ? { ...YEAR, schoolUrn: own } : given;
      const base = system.urls.gateway.replace(/\/graphql$/, '');
      const headers = { Authorization: `Bearer ${await system.tokenFor(name)}` };
      const [csv, json] = await Promise.all(
        ['csv', 'json'].map((format) =>
          fetch(`${base}/reports/cohort.${format}?${query}`, { headers }),
        ),
      );
      expect(csv!.status).toBe(200);
      expect(json!.status).toBe(200);
      const fromCells = await (
        await clientFor(system, name)
      )<CohortReportData>(EXPORTED_FROM_CELLS, { filter, breakdown });
      expect(fromCells.errors).toBeUndefined();
      const report = fromCells.data!.cohortReport;
      const { header, rows } = reportTable(report);
      expect(await csv!.text()).toBe(toCsv(header, rows));
      const { total: _total, cells: _cells, ...about } = report;
      const objects = rows.map((values) =>
        Object.fromEntries(header.map((h, i) => [h, values[i]])),
      );
      expect(await json!.text()).toBe(
        `${JSON.stringify({ report: about, columns: header, rows: objects })}\n`,
      );
    },
  );

  it('refuses the exports as it refuses the graph', async () => {
    const base = system.urls.gateway.replace(/\/graphql$/, '');
    const as = async (name: PersonaName, query: string) =>
      fetch(`${base}/reports/cohort.csv?${query}`, {
        headers: { Authorization: `Bearer ${await system.tokenFor(name)}` },
      });
    expect((await as('governor', 'academicYear=2025/26&breakdown=SCHOOL')).status).toBe(403);
    for (const name of ['teacher', 'finance-officer', 'designated-teacher'] as const) {
      expect((await as(name, 'academicYear=2025/26&breakdown=SCHOOL')).status).toBe(403);
    }
  });
});
