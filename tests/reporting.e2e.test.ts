/**
 * Cohort reports end to end, through the gateway, on the seeded authority of 600 children:
 * who may ask for what, that restricted children are counted, that each report is one
 * AGGREGATE event in the access log, that the CSV and JSON exports carry the GraphQL figures,
 * that a repeated report costs no upstream request, and an attacker's sweep of many filters
 * that finds no pair of reports differing by 1 to 5 children.
 */
import type { PersonaName } from '../simulators/seed/world';
import type { RunningSystem } from '../system/start-system';
import {
  TEST_AS_OF,
  clientFor,
  graphql,
  resetUpstreamCounters,
  startTestSystem,
  upstreamCounts,
} from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

interface Figure {
  status: string;
  marker: string | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}
interface Cell {
  bands: Array<{ dimension: string; code: string | null }>;
  children: Figure;
  measures: Array<{ measure: string; lookedAfter: Figure; peers: Figure; gap: Figure }>;
}
interface Report {
  referenceDate: string;
  suppressedTotalOnly: boolean;
  total: Cell;
  cells: Cell[];
}

const FIGURE = 'status marker value numerator denominator';
const REPORT = /* GraphQL */ `
  query CohortReport($filter: CohortFilter!, $breakdown: [CohortDimension!]) {
    cohortReport(filter: $filter, breakdown: $breakdown) {
      referenceDate
      suppressedTotalOnly
      total { ...Cell }
      cells { ...Cell }
    }
  }
  fragment Cell on CohortCell {
    bands { dimension code }
    children { ${FIGURE} }
    measures { measure lookedAfter { ${FIGURE} } peers { ${FIGURE} } gap { ${FIGURE} } }
  }
`;

const YEAR = { academicYear: '2025/26' };
const persona = (name: PersonaName) => system.world.personas.find((p) => p.name === name)!;
const governorSchool = () => persona('governor').urns[0]!;

async function reportAs(
  name: PersonaName,
  filter: Record<string, unknown>,
  breakdown: string[] = [],
) {
  const ask = await clientFor(system, name);
  return ask<{ cohortReport: Report | null }>(REPORT, { filter, breakdown });
}

async function report(filter: Record<string, unknown>, breakdown: string[] = []) {
  const result = await reportAs('analyst', filter, breakdown);
  expect(result.errors).toBeUndefined();
  return result.data!.cohortReport!;
}

/** Analysts and governors see the last completed month end before TEST_AS_OF (2026-02-10). */
const SNAPSHOT = '2026-01-31';
/** The snapshot before it, which each new one is checked against. */
const PREVIOUS_SNAPSHOT = '2025-12-31';

/** The episode open on `on` (started by then, not ended by then), from the world's records. */
function episodeOn(child: string, on: string) {
  const open = system.world.socialCare.episodes.filter(
    (e) => e.CHILD === child && e.DECOM <= on && (e.DEC === null || e.DEC > on),
  );
  return open.sort((a, b) => a.DECOM.localeCompare(b.DECOM))[open.length - 1] ?? null;
}

/** Children looked after on a day, worked out from the world's own records. */
function lookedAfterOn(on: string) {
  return system.world.socialCare.children.filter((c) => {
    const episode = episodeOn(c.CHILD, on);
    return episode !== null && !['V3', 'V4'].includes(episode.LS);
  });
}

function lookedAfterToday(on = TEST_AS_OF): { all: number; restricted: number } {
  const children = lookedAfterOn(on);
  return { all: children.length, restricted: children.filter((c) => c.RESTRICTED).length };
}

describe('who reads cohort reports', () => {
  it('an analyst reads the whole authority at the snapshot, restricted children counted', async () => {
    const { all, restricted } = lookedAfterToday(SNAPSHOT);
    expect(restricted).toBeGreaterThan(0);
    const whole = await report(YEAR);
    expect(whole.referenceDate).toBe(SNAPSHOT);
    expect(whole.total.children).toMatchObject({ status: 'VALUE', value: all });
  });

  it('the virtual school head reads the whole authority, today', async () => {
    const result = await reportAs('vsh', YEAR, ['AGE_BAND']);
    expect(result.errors).toBeUndefined();
    expect(result.data?.cohortReport?.referenceDate).toBe(TEST_AS_OF);
    expect(result.data?.cohortReport?.total.children.value).toBe(lookedAfterToday().all);
    expect(result.data?.cohortReport?.cells).toHaveLength(5);
  });

  it('a governor reads their own school, and no other school or the whole authority', async () => {
    const own = await reportAs('governor', { ...YEAR, schoolUrn: governorSchool() }, ['KEY_STAGE']);
    expect(own.errors).toBeUndefined();
    // As of the snapshot; withheld whole when 1 to 5 children joined or left since the last one.
    expect(own.data?.cohortReport?.referenceDate).toBe(SNAPSHOT);
    expect(['VALUE', 'SUPPRESSED']).toContain(own.data?.cohortReport?.total.children.status);
    const other = system.world.education.schools.find((s) => s.urn !== governorSchool())!.urn;
    for (const filter of [YEAR, { ...YEAR, schoolUrn: other }]) {
      const refused = await reportAs('governor', filter);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(refused.data?.cohortReport ?? null).toBeNull();
    }
  });

  it.each<PersonaName>(['finance-officer', 'teacher', 'placing-authority', 'designated-teacher'])(
    '%s is refused',
    async (name) => {
      const refused = await reportAs(name, { ...YEAR, schoolUrn: governorSchool() });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(refused.data?.cohortReport ?? null).toBeNull();
    },
  );

  it.each<PersonaName>(['analyst', 'governor'])(
    '%s still reads no individual record',
    async (name) => {
      const id = system.world.socialCare.children[0]!.CHILD;
      const ask = await clientFor(system, name);
      const result = await ask<{ child: unknown }>(`query ($id: ID!) { child(id: $id) { id } }`, {
        id,
      });
      expect(result.data?.child ?? null).toBeNull();
    },
  );
});

describe('the access log', () => {
  it('records each report as one AGGREGATE event naming its filter', async () => {
    const analyst = persona('analyst');
    const before = (await system.stores.audit.query({ actorSub: analyst.sub, first: 500 })).events
      .length;
    await report({ ...YEAR, gender: 'FEMALE' }, ['PLACEMENT_TYPE']);
    const events = (await system.stores.audit.query({ actorSub: analyst.sub, first: 500 })).events;
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({
      childId: null,
      categories: ['AGGREGATE'],
      operationName: 'CohortReport',
      cohortFilter: {
        academicYear: '2025/26',
        basis: 'LOOKED_AFTER_AT_DATE',
        gender: 'FEMALE',
        breakdown: ['PLACEMENT_TYPE'],
      },
    });
  });
});

describe('cost', () => {
  it('costs a few bulk reads per system, and nothing when repeated', async () => {
    await resetUpstreamCounters(system);
    await report({ ...YEAR, location: 'OUT_OF_AUTHORITY' }, ['LEGAL_STATUS']);
    const cold = await upstreamCounts(system);
    // About 600 children: two pages of 500 from social care and their batches elsewhere.
    expect(cold.socialCare).toBeLessThanOrEqual(3);
    expect(cold.education).toBeLessThanOrEqual(4);
    expect(cold.finance).toBeLessThanOrEqual(3);
    await report({ ...YEAR, location: 'OUT_OF_AUTHORITY' }, ['LEGAL_STATUS']);
    expect(await upstreamCounts(system)).toEqual(cold);
  });
});

describe('exports', () => {
  const exportUrl = (format: 'csv' | 'json', query: string) =>
    `${system.urls.gateway.replace(/\/graphql$/, '')}/reports/cohort.${format}?${query}`;
  const get = async (format: 'csv' | 'json', query: string, name: PersonaName | null = 'analyst') =>
    fetch(exportUrl(format, query), {
      headers: name ? { Authorization: `Bearer ${await system.tokenFor(name)}` } : {},
    });

  /** RFC 4180 with our writer's quoting (enough for these files). */
  function parseCsv(text: string): string[][] {
    return text
      .split('\r\n')
      .filter((line) => line.length > 0)
      .map((line) => {
        const cells: string[] = [];
        let cell = '';
        let quoted = false;
        for (let i = 0; i < line.length; i++) {
          const ch = line[i]!;
          if (quoted) {
            if (ch === '"' && line[i + 1] === '"') {
              cell += '"';
              i++;
            } else if (ch === '"') quoted = false;
            else cell += ch;
          } else if (ch === '"') quoted = true;
          else if (ch === ',') {
            cells.push(cell);
            cell = '';
          } else cell += ch;
        }
        cells.push(cell);
        return cells;
      });
  }

  it('CSV and JSON carry the same figures as the graph, a row per cell, DfE markers in place', async () => {
    const query = 'academicYear=2025/26&breakdown=AGE_BAND,GENDER';
    const [csvResponse, jsonResponse] = await Promise.all([get('csv', query), get('json', query)]);
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get('content-type')).toMatch(/text\/csv/);
    const csv = parseCsv(await csvResponse.text());
    const json = (await jsonResponse.json()) as {
      columns: string[];
      rows: Array<Record<string, string | number | null>>;
    };
    expect(csv[0]).toEqual(json.columns);
    // The total, then 5 x 2 cells, then 5 + 2 totals over each dimension.
    expect(csv.slice(1)).toHaveLength(1 + 10 + 7);
    csv.slice(1).forEach((row, r) => {
      row.forEach((text, c) => {
        const value = json.rows[r]![json.columns[c]!];
        expect(text).toBe(value === null || value === undefined ? '' : String(value));
      });
    });
    const markers = new Set(csv.slice(1).flat());
    expect(markers.has('c')).toBe(true);
    expect(markers.has('z')).toBe(true);
    // Negative gaps are written as numbers, not neutralised as formulas: last year's KS4
    // results beside their peers' of the same year (this year's are not out yet).
    const lastYear = parseCsv(await (await get('csv', 'academicYear=2024/25')).text());
    const gapColumn = lastYear[0]!.indexOf('ks4_attainment_8_gap');
    expect(lastYear[1]![gapColumn]).toMatch(/^-\d/);

    const graph = await report(YEAR, ['AGE_BAND', 'GENDER']);
    const totalRow = json.rows[0]!;
    expect(totalRow.children).toBe(graph.total.children.value);
    // An analyst's report is as of a month end: attendance (held to today only) is x.
    const rate = graph.total.measures.find((m) => m.measure === 'PEP_IN_DATE')!.lookedAfter;
    expect(totalRow.pep_in_date).toBe(rate.value);
    expect(totalRow.pep_in_date_numerator).toBe(rate.numerator);
    expect(totalRow.pep_in_date_denominator).toBe(rate.denominator);
    expect(totalRow.attendance_rate).toBe('x');
    graph.cells.forEach((cell, i) => {
      const row = json.rows[i + 1]!;
      expect(row.children).toBe(cell.children.value ?? cell.children.marker);
      for (const m of cell.measures) {
        const figure = m.lookedAfter;
        expect(row[m.measure.toLowerCase()]).toBe(
          figure.status === 'VALUE' ? figure.value : figure.marker,
        );
      }
    });
  });

  it('gives a governor their own school, and refuses the rest as the graph does', async () => {
    const own = await get('csv', `academicYear=2025/26&schoolUrn=${governorSchool()}`, 'governor');
    expect(own.status).toBe(200);
    expect((await get('csv', 'academicYear=2025/26', 'governor')).status).toBe(403);
    expect((await get('json', 'academicYear=2025/26', 'teacher')).status).toBe(403);
    expect((await get('csv', 'academicYear=2025/26', null)).status).toBe(401);
    expect((await get('csv', 'academicYear=2025/26&colour=blue')).status).toBe(400);
    expect((await get('csv', 'academicYear=2025/26&uasc=maybe')).status).toBe(400);
    expect((await get('csv', 'academicYear=2025-26')).status).toBe(400);
  });
});

describe('an attacker differencing reports', () => {
  /** Single conditions an attacker might add, and pairs of them. */
  const singles: Array<Record<string, unknown>> = [
    ...['UNDER_1', 'AGE_1_TO_4', 'AGE_5_TO_9', 'AGE_10_TO_15', 'AGE_16_AND_OVER'].map(
      (ageBand) => ({
        ageBand,
      }),
    ),
    { gender: 'MALE' },
    { gender: 'FEMALE' },
    { location: 'IN_AUTHORITY' },
    { location: 'OUT_OF_AUTHORITY' },
    { uasc: true },
    { uasc: false },
    ...[
      'INTERIM_CARE_ORDER',
      'FULL_CARE_ORDER',
      'PLACEMENT_ORDER',
      'SECTION_20',
      'YOUTH_JUSTICE',
    ].map((legalStatus) => ({ legalStatus })),
    ...['YEAR_6', 'YEAR_11'].map((yearGroup) => ({ yearGroup })),
    ...['KEY_STAGE_2', 'KEY_STAGE_4'].map((keyStage) => ({ keyStage })),
  ];
  const pairs = [
    ...['AGE_10_TO_15', 'AGE_16_AND_OVER'].flatMap((ageBand) =>
      ['MALE', 'FEMALE'].map((gender) => ({ ageBand, gender })),
    ),
    ...['OUT_OF_AUTHORITY'].flatMap((location) =>
      ['FULL_CARE_ORDER', 'SECTION_20', 'YOUTH_JUSTICE'].map((legalStatus) => ({
        location,
        legalStatus,
      })),
    ),
    { uasc: true, gender: 'MALE' },
    { yearGroup: 'YEAR_11', gender: 'FEMALE' },
    { keyStage: 'KEY_STAGE_4', ageBand: 'AGE_16_AND_OVER' },
  ];

  // The head sees today's figures; an analyst the snapshot's, many more of them withheld by the
  // change rule (see 'reports over time'), so fewer pairs are there to compare.
  it.each<[PersonaName, number]>([
    ['vsh', 20],
    ['analyst', 0],
  ])(
    'finds no two nested reports (as %s) whose shown figures differ by 1 to 5 children',
    async (name, least) => {
      const filters = [{}, ...singles, ...pairs];
      const reports = new Map<string, Report>();
      for (const filter of filters) {
        const result = await reportAs(name, { ...YEAR, ...filter });
        expect(result.errors).toBeUndefined();
        reports.set(JSON.stringify(filter), result.data!.cohortReport!);
      }
      const small = (a: number, b: number) => Math.abs(a - b) >= 1 && Math.abs(a - b) <= 5;
      let compared = 0;
      for (const wide of filters) {
        for (const narrow of filters) {
          const nested =
            Object.keys(narrow).length > Object.keys(wide).length &&
            Object.entries(wide).every(
              ([k, value]) => (narrow as Record<string, unknown>)[k] === value,
            );
          if (!nested) continue;
          const a = reports.get(JSON.stringify(wide))!.total;
          const b = reports.get(JSON.stringify(narrow))!.total;
          if (a.children.status !== 'VALUE' || b.children.status !== 'VALUE') continue;
          compared += 1;
          expect({ wide, narrow, small: small(a.children.value!, b.children.value!) }).toEqual({
            wide,
            narrow,
            small: false,
          });
          a.measures.forEach((m, i) => {
            const x = m.lookedAfter;
            const y = b.measures[i]!.lookedAfter;
            if (x.status !== 'VALUE' || y.status !== 'VALUE') return;
            // Denominators of rates count children (attendance counts sessions: skip it).
            if (m.measure === 'ATTENDANCE_RATE' || m.measure.startsWith('PUPIL_PREMIUM')) return;
            expect({
              wide,
              narrow,
              measure: m.measure,
              small: small(x.denominator!, y.denominator!),
            }).toEqual({ wide, narrow, measure: m.measure, small: false });
          });
        }
      }
      expect(compared).toBeGreaterThan(least);
    },
  );

  it('a band withheld in a breakdown is withheld when asked for alone', async () => {
    const byAge = await report(YEAR, ['AGE_BAND']);
    for (const cell of byAge.cells.filter((c) => c.bands[0]!.code !== null)) {
      const alone = await report({ ...YEAR, ageBand: cell.bands[0]!.code });
      if (cell.children.status === 'VALUE') {
        expect(alone.total.children.value).toBe(cell.children.value);
      } else {
        expect(alone.suppressedTotalOnly).toBe(true);
      }
    }
  });
});

describe('the other way in', () => {
  it('refuses a report through the graph without a token', async () => {
    const result = await graphql(system.urls.gateway, null, REPORT, { filter: YEAR });
    expect(result.status).toBe(401);
  });
});

describe('reports over time (issue 9, point 5)', () => {
  const la = () => system.world.la.code;
  type Conditions = { gender?: string; location?: string; uasc?: boolean };
  /** A child's bands on `on`, worked out from the world's records (null: not looked after). */
  function bandsOn(child: (typeof system.world.socialCare.children)[number], on: string) {
    const episode = episodeOn(child.CHILD, on);
    if (episode === null || ['V3', 'V4'].includes(episode.LS)) return null;
    return {
      gender: child.SEX === '1' ? 'MALE' : 'FEMALE',
      location: episode.PL_LA === la() ? 'IN_AUTHORITY' : 'OUT_OF_AUTHORITY',
      uasc: child.UASC && (child.UASC_CEASED === null || child.UASC_CEASED > on),
    };
  }
  /** Children meeting every condition on `on`. */
  const countOn = (on: string, conditions: Conditions) =>
    system.world.socialCare.children.filter((child) => {
      const bands = bandsOn(child, on);
      return (
        bands !== null &&
        Object.entries(conditions).every(([k, v]) => bands[k as keyof typeof bands] === v)
      );
    }).length;

  it("gives an analyst's and a governor's figures as of the last completed month end, without the children who came into care since", async () => {
    const whole = await report(YEAR);
    expect(whole.total.children.value).toBe(lookedAfterToday(SNAPSHOT).all);
    const school = await reportAs('governor', { ...YEAR, schoolUrn: governorSchool() });
    expect(school.errors).toBeUndefined();
    expect(school.data?.cohortReport?.referenceDate).toBe(SNAPSHOT);
  });

  it('shows no figure that moved by 1 to 5 children since the previous snapshot', async () => {
    const filters: Conditions[] = [
      {},
      { uasc: true },
      { uasc: false },
      { location: 'OUT_OF_AUTHORITY' },
      { location: 'IN_AUTHORITY' },
      { gender: 'MALE' },
      { gender: 'FEMALE' },
      { uasc: true, location: 'OUT_OF_AUTHORITY' },
      { gender: 'MALE', location: 'OUT_OF_AUTHORITY' },
    ];
    const small = (n: number) => Math.abs(n) >= 1 && Math.abs(n) <= 5;
    let compared = 0;
    let moved = 0;
    for (const filter of filters) {
      for (const breakdown of [[], ['GENDER'], ['LOCATION'], ['GENDER', 'LOCATION']]) {
        const published = await report({ ...YEAR, ...filter }, breakdown);
        for (const cell of [published.total, ...published.cells]) {
          const conditions: Conditions = { ...filter };
          for (const band of cell.bands) {
            if (band.code === null) continue;
            if (band.dimension === 'GENDER') conditions.gender = band.code;
            if (band.dimension === 'LOCATION') conditions.location = band.code;
          }
          const contradicts = Object.entries(filter).some(
            ([k, v]) => conditions[k as keyof Conditions] !== v,
          );
          if (contradicts) continue;
          const change = countOn(SNAPSHOT, conditions) - countOn(PREVIOUS_SNAPSHOT, conditions);
          const wholeAuthority = Object.keys(conditions).length === 0;
          if (small(change) && !wholeAuthority) moved += 1;
          if (cell.children.status !== 'VALUE') continue;
          compared += 1;
          expect(cell.children.value).toBe(countOn(SNAPSHOT, conditions));
          // The whole authority's count says nothing about any one child; everything else must
          // not move by a small group between two published snapshots.
          if (wholeAuthority) continue;
          expect({ conditions, small: small(change) }).toEqual({ conditions, small: false });
        }
      }
    }
    // The attack was there to be made, and the sweep compared figures that were shown.
    expect(moved).toBeGreaterThan(0);
    expect(compared).toBeGreaterThan(3);
  });

  it('lists the same schools in a SCHOOL breakdown whatever the filter', async () => {
    /** The schools listed, or null when only a suppressed total is given (no cells at all). */
    const schools = async (name: PersonaName, filter: Record<string, unknown>) => {
      const result = await reportAs(name, { ...YEAR, ...filter }, ['SCHOOL']);
      expect(result.errors).toBeUndefined();
      const table = result.data!.cohortReport!;
      if (table.suppressedTotalOnly) return null;
      return table.cells.map((c) => c.bands[0]!.code).filter(Boolean);
    };
    let compared = 0;
    for (const name of ['analyst', 'vsh'] as const) {
      const everywhere = await schools(name, {});
      expect(everywhere?.length).toBeGreaterThan(10);
      for (const filter of [
        { uasc: true },
        { gender: 'MALE', ageBand: 'AGE_16_AND_OVER' },
        { location: 'OUT_OF_AUTHORITY', legalStatus: 'YOUTH_JUSTICE' },
        { keyStage: 'KEY_STAGE_2', gender: 'FEMALE' },
      ]) {
        const listed = await schools(name, filter);
        if (listed === null) continue;
        compared += 1;
        expect({ filter, listed }).toEqual({ filter, listed: everywhere });
      }
    }
    expect(compared).toBeGreaterThan(1);
    const own = { schoolUrn: governorSchool() };
    for (const filter of [own, { ...own, gender: 'FEMALE' }, { ...own, uasc: true }]) {
      expect([null, [governorSchool()]]).toContainEqual(await schools('governor', filter));
    }
  });

  it('leaves no row or column reading `c, 0, 0` (every child of a group sharing one value)', async () => {
    let withheld = 0;
    for (const breakdown of [
      ['SCHOOL', 'GENDER'],
      ['SCHOOL', 'LOCATION'],
      ['SCHOOL', 'SEN_STATUS'],
    ]) {
      const table = await report(YEAR, breakdown);
      const inner = table.cells.filter((c) => c.bands.every((b) => b.code !== null));
      for (const d of [0, 1]) {
        const lines = new Map<string, Cell[]>();
        for (const cell of inner) {
          const key = cell.bands[d]!.code!;
          lines.set(key, [...(lines.get(key) ?? []), cell]);
        }
        for (const [key, line] of lines) {
          const hidden = line.filter((c) => c.children.status !== 'VALUE');
          withheld += hidden.length;
          const zeros = line.filter((c) => c.children.value === 0);
          const oneValue = hidden.length === 1 && zeros.length === line.length - 1;
          expect({ breakdown, key, oneValue }).toEqual({ breakdown, key, oneValue: false });
        }
      }
    }
    expect(withheld).toBeGreaterThan(0);
  });
});
