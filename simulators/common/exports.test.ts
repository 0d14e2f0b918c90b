/**
 * The three simulators' bulk exports (ndjson.ts): newline-delimited JSON holding exactly the
 * records the paged and batch routes answer, in the documented order, behind the API key and
 * counted in `/_sim/stats` like every other route.
 */
import type { AxiosInstance } from 'axios';
import type { Batch, Paged } from '../../upstream/common/contract';
import type { EdStudentRecord } from '../../upstream/education/contract';
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
