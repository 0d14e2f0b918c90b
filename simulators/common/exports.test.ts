/**
 * The three simulators' bulk exports (ndjson.ts): newline-delimited JSON holding exactly the
 * records the paged and batch routes answer, in the documented order, behind the API key and
 * counted in `/_sim/stats` like every other route.
 */
import type { AxiosInstance } from 'axios';
import type { Batch, Paged } from '../../upstream/common/contract';
import type {
  EdSchool,
  EdStudentRecord,
  EdYearGroupAggregate,
} from '../../upstream/education/contract';
import type { FinClient } from '../../upstream/finance/contract';
import type { ScChildRecord } from '../../upstream/social-care/contract';
import { tinyWorld } from '../../tests/support/tiny-world';
import { createEducationSimulator } from '../education/app';
import { createFinanceSimulator } from '../finance/app';
import { createSocialCareSimulator } from '../social-care/app';
import { NDJSON } from './ndjson';
import { startServer, type RunningServer } from './server';
import { httpClient, rawHttpClient } from './testing';

const KEY = 'exports-test-key';
const world = tinyWorld();
const servers: RunningServer[] = [];
let socialCare: { api: AxiosInstance; raw: AxiosInstance };
let education: { api: AxiosInstance; raw: AxiosInstance };
let finance: { api: AxiosInstance; raw: AxiosInstance };

beforeAll(async () => {
  const start = async (app: Parameters<typeof startServer>[0]) => {
    const server = await startServer(app);
    servers.push(server);
    return { api: httpClient(server.url, KEY), raw: rawHttpClient(server.url, KEY) };
  };
  socialCare = await start(createSocialCareSimulator({ world, apiKey: KEY }));
  education = await start(createEducationSimulator({ world, apiKey: KEY }));
  finance = await start(createFinanceSimulator({ world, apiKey: KEY }));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

/** The body's records, checking that every one ends with a newline. */
function lines<T>(body: string): T[] {
  expect(body === '' || body.endsWith('\n')).toBe(true);
  return body
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}

describe('POST /api/v1/exports/children', () => {
  const path = '/api/v1/exports/children';
  const body = { include: ['episodes', 'placements', 'peps'], include_restricted: true };

  it('streams every child the search pages list, one record a line, in CHILD order', async () => {
    const exported = await socialCare.raw.post<string>(path, body);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain(NDJSON);
    const searched = await socialCare.api.post<Paged<ScChildRecord>>('/api/v1/children/search', {
      ...body,
      per_page: 500,
    });
    expect(searched.data.meta.pagination.total).toBeLessThanOrEqual(500);
    const records = lines<ScChildRecord>(exported.data);
    expect(records.length).toBeGreaterThan(0);
    expect(records).toEqual(searched.data.data);
  });

  it('keeps the search defaults: current children only, restricted records left out', async () => {
    const all = lines<ScChildRecord>((await socialCare.raw.post<string>(path, body)).data);
    const plain = lines<ScChildRecord>((await socialCare.raw.post<string>(path, {})).data);
    expect(plain.length).toBeLessThanOrEqual(all.length);
    expect(plain.every((child) => all.some((other) => other.CHILD === child.CHILD))).toBe(true);
  });

  it('refuses an unknown body field (400) and a missing key (401), and counts the route', async () => {
    expect((await socialCare.api.post(path, { page: 2 })).status).toBe(400);
    expect((await httpClient(servers[0]!.url).post(path, body)).status).toBe(401);
    await socialCare.api.post('/_sim/stats/reset');
    await socialCare.raw.post(path, body);
    const stats = await socialCare.api.get<{ byRoute: Record<string, number> }>('/_sim/stats');
    expect(stats.data.byRoute).toEqual({ 'POST /api/v1/exports/children': 1 });
  });
});

describe('POST /v1/exports/students', () => {
  it('streams the batch records of the list, in its order, unknown UPNs left out', async () => {
    const upns = world.education.students
      .slice(0, 5)
      .map((student) => student.upn)
      .reverse();
    const asked = [...upns, 'A999999999999', upns[0]!];
    const include = ['enrolments', 'attendance', 'exclusions', 'sen', 'attainment'];
    const exported = await education.raw.post<string>('/v1/exports/students', {
      upns: asked,
      include,
    });
    expect(exported.status).toBe(200);
    const batch = await education.api.post<Batch<EdStudentRecord>>('/v1/students/batch', {
      upns: asked,
      include,
    });
    const records = lines<EdStudentRecord>(exported.data);
    expect(records.map((record) => record.upn)).toEqual(upns);
    expect(records).toEqual(batch.data.data);
  });

  it('takes more UPNs than a batch (500) and refuses a body that is not a list', async () => {
    const many = Array.from({ length: 2_000 }, (_, i) => `A${String(i).padStart(12, '0')}`);
    const answer = await education.raw.post<string>('/v1/exports/students', { upns: many });
    expect(answer.status).toBe(200);
    expect(lines(answer.data)).toEqual([]);
    expect((await education.api.post('/v1/exports/students', { upns: 'x' })).status).toBe(400);
  });
});

/** Every row of `GET /v1/aggregates` for `query`, read 2 a page (several pages, whatever the world). */
async function pagedAggregates(query: string): Promise<EdYearGroupAggregate[]> {
  const rows: EdYearGroupAggregate[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await education.api.get<Paged<EdYearGroupAggregate>>(
      `/v1/aggregates?${query}&per_page=2&page=${page}`,
    );
    expect(answer.status).toBe(200);
    rows.push(...answer.data.data);
    if (rows.length >= answer.data.meta.pagination.total) return rows;
  }
}

describe('POST /v1/exports/aggregates', () => {
  const path = '/v1/exports/aggregates';

  it('streams the rows the pages of GET /v1/aggregates hold, in their order', async () => {
    const year = world.education.aggregates[0]!.academic_year;
    const exported = await education.raw.post<string>(path, { academic_year: year });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain(NDJSON);
    const paged = await pagedAggregates(`academic_year=${encodeURIComponent(year)}`);
    expect(paged.length).toBeGreaterThan(2);
    expect(lines(exported.data)).toEqual(paged);
  });

  it('filters by school as the list does, and answers every year when unfiltered', async () => {
    const urn = world.education.aggregates[0]!.urn;
    const one = await education.raw.post<string>(path, { urn });
    const rows = lines<EdYearGroupAggregate>(one.data);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.urn === urn)).toBe(true);
    expect(rows).toEqual(await pagedAggregates(`urn=${urn}`));
    const all = lines((await education.raw.post<string>(path, {})).data);
    expect(all).toHaveLength(world.education.aggregates.length);
  });

  it('refuses a bad year or an unknown body field (400), a missing key (401), and counts the route', async () => {
    const bad = await education.api.post<{ error: { message: string } }>(path, {
      academic_year: '2025',
    });
    expect(bad.status).toBe(400);
    expect(bad.data.error.message).toContain('academic_year must look like 2025/26');
    expect((await education.api.post(path, { page: 2 })).status).toBe(400);
    expect((await httpClient(servers[1]!.url).post(path, {})).status).toBe(401);
    await education.api.post('/_sim/stats/reset');
    await education.raw.post(path, {});
    const stats = await education.api.get<{ byRoute: Record<string, number> }>('/_sim/stats');
    expect(stats.data.byRoute).toEqual({ 'POST /v1/exports/aggregates': 1 });
  });
});

describe('POST /v1/exports/schools', () => {
  const path = '/v1/exports/schools';

  it('streams the batch records of the list, in its order, unknown and repeated URNs once', async () => {
    const urns = world.education.schools
      .slice(0, 6)
      .map((school) => school.urn)
      .reverse();
    const exported = await education.raw.post<string>(path, {
      urns: [...urns, '999999', urns[0]!],
    });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain(NDJSON);
    const batch = await education.api.post<Batch<EdSchool>>('/v1/schools/batch', { urns });
    const records = lines<EdSchool>(exported.data);
    expect(records.map((record) => record.urn)).toEqual(urns);
    expect(records).toEqual(batch.data.data);
  });

  it('sends only the fields asked for (and urn); refuses an unknown field or a bad list (400)', async () => {
    const urns = world.education.schools.map((school) => school.urn);
    const cut = await education.raw.post<string>(path, { urns, fields: ['name'] });
    expect(lines(cut.data)).toEqual(
      world.education.schools.map(({ urn, name }) => ({ urn, name })),
    );
    const unknown = await education.api.post<{ error: { fields: string[] } }>(path, {
      urns,
      fields: ['name', 'headteacher'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.data.error.fields).toEqual(['fields.1']);
    expect((await education.api.post(path, { urns: 'x' })).status).toBe(400);
    expect((await education.api.post(path, {})).status).toBe(400);
    expect((await httpClient(servers[1]!.url).post(path, { urns })).status).toBe(401);
  });
});

describe('POST /api/finance/v1/exports/clients', () => {
  it("streams the search's records for the references and year, in the list's order", async () => {
    const refs = [...new Set(world.finance.allocations.map((a) => a.client_ref))]
      .slice(0, 4)
      .reverse();
    const body = { fy: '2025-26', include: ['allocations', 'ledger', 'commitments'] };
    const exported = await finance.raw.post<string>('/api/finance/v1/exports/clients', {
      ...body,
      client_refs: [...refs, 'CLA/0'],
    });
    expect(exported.status).toBe(200);
    const records = lines<FinClient>(exported.data);
    expect(records.map((record) => record.client_ref)).toEqual(refs);
    const searched = await finance.api.post<Paged<FinClient>>('/api/finance/v1/clients/search', {
      ...body,
      client_refs: refs,
    });
    const byRef = new Map(searched.data.data.map((client) => [client.client_ref, client]));
    expect(records).toEqual(refs.map((ref) => byRef.get(ref)));
  });
});

/** Every key of every record, and of every item of its parts, as "part.field" (sorted). */
function keysOf(records: ReadonlyArray<object>): string[] {
  const keys = new Set<string>();
  for (const record of records) {
    for (const [name, value] of Object.entries(record)) {
      keys.add(name);
      const items: unknown[] = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
        for (const field of Object.keys(item)) keys.add(`${name}.${field}`);
      }
    }
  }
  return [...keys].sort();
}

describe('fields: an export of only the fields asked for', () => {
  const path = '/api/v1/exports/children';
  const include = ['episodes', 'placements', 'peps'];
  const full = { include, include_restricted: true };

  it('sends the key and exactly the fields asked for, with the values the full export holds', async () => {
    const fields = ['DOB', 'episodes.DECOM', 'episodes.LS', 'peps.STATUS', 'placements'];
    const [whole, cut] = await Promise.all([
      socialCare.raw.post<string>(path, full),
      socialCare.raw.post<string>(path, { ...full, fields }),
    ]);
    expect(cut.status).toBe(200);
    const records = lines<ScChildRecord>(whole.data);
    const projected = lines<Partial<ScChildRecord>>(cut.data);
    expect(projected).toEqual(
      records.map((record) => ({
        CHILD: record.CHILD,
        DOB: record.DOB,
        episodes: record.episodes!.map(({ DECOM, LS }) => ({ DECOM, LS })),
        peps: record.peps!.map(({ STATUS }) => ({ STATUS })),
        placements: record.placements,
      })),
    );
    // Nothing else: no name, no restricted flag, no address, no PEP targets.
    const sent = keysOf(projected);
    expect(sent).toContain('placements.ADDRESS_LINE1');
    expect(sent.filter((key) => !key.startsWith('placements'))).toEqual(
      ['CHILD', 'DOB', 'episodes', 'episodes.DECOM', 'episodes.LS', 'peps', 'peps.STATUS'].sort(),
    );
    expect(records.some((record) => record.peps!.length > 0)).toBe(true);
  });

  it('refuses an unknown field, and a part’s field the body does not include, with a 400', async () => {
    const unknown = await socialCare.api.post<{ error: { message: string; fields: string[] } }>(
      path,
      { ...full, fields: ['DOB', 'PASSWORD'] },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.data.error.fields).toEqual(['fields.1']);
    expect(unknown.data.error.message).toContain('is not a field of the exported records');
    expect(JSON.stringify(unknown.data)).not.toContain('CHILD');
    const deep = await socialCare.api.post(path, { ...full, fields: ['episodes.DECOM.x'] });
    expect(deep.status).toBe(400);
    const notIncluded = await socialCare.api.post<{ error: { message: string } }>(path, {
      include: ['episodes'],
      fields: ['episodes.DECOM', 'peps.STATUS'],
    });
    expect(notIncluded.status).toBe(400);
    expect(notIncluded.data.error.message).toContain('peps.STATUS is part of peps');
  });

  it('cuts pupil records down the same way, a part that is an object included', async () => {
    const upns = world.education.students.slice(0, 20).map((student) => student.upn);
    const include = ['enrolments', 'sen', 'attendance'];
    const fields = ['dob', 'enrolments.urn', 'sen.status', 'attendance'];
    const [whole, cut] = await Promise.all([
      education.raw.post<string>('/v1/exports/students', { upns, include }),
      education.raw.post<string>('/v1/exports/students', { upns, include, fields }),
    ]);
    const records = lines<EdStudentRecord>(whole.data);
    expect(lines(cut.data)).toEqual(
      records.map((record) => ({
        upn: record.upn,
        dob: record.dob,
        enrolments: record.enrolments!.map(({ urn }) => ({ urn })),
        sen: { status: record.sen!.status },
        attendance: record.attendance,
      })),
    );
    const refused = await education.api.post('/v1/exports/students', {
      upns,
      fields: ['forename', 'surname', 'ni_number'],
    });
    expect(refused.status).toBe(400);
  });

  it('cuts funding records down the same way', async () => {
    const refs = [...new Set(world.finance.allocations.map((a) => a.client_ref))].slice(0, 10);
    const body = { client_refs: refs, fy: '2025-26', include: ['allocations', 'ledger'] };
    const fields = ['allocations.amount_pence', 'ledger.type', 'ledger.amount_pence'];
    const [whole, cut] = await Promise.all([
      finance.raw.post<string>('/api/finance/v1/exports/clients', body),
      finance.raw.post<string>('/api/finance/v1/exports/clients', { ...body, fields }),
    ]);
    const records = lines<FinClient>(whole.data);
    expect(records.length).toBeGreaterThan(0);
    expect(lines(cut.data)).toEqual(
      records.map((record) => ({
        client_ref: record.client_ref,
        allocations: record.allocations!.map(({ amount_pence }) => ({ amount_pence })),
        ledger: record.ledger!.map(({ type, amount_pence }) => ({ type, amount_pence })),
      })),
    );
    const refused = await finance.api.post('/api/finance/v1/exports/clients', {
      ...body,
      fields: ['commitments.amount_pence'],
    });
    expect(refused.status).toBe(400);
  });
});
