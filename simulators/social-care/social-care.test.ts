import type { AxiosInstance } from 'axios';
import type { Paged } from '../../upstream/common/contract';
import type { ScChild, ScChildRecord, ScEpisode } from '../../upstream/social-care/contract';
import type { World } from '../seed/world';
import type { ErrorBody } from '../common/errors';
import { openApiCoverage } from '../common/openapi-check';
import { startServer } from '../common/server';
import type { RunningServer } from '../common/server';
import { httpClient } from '../common/testing';
import { tinyWorld } from '../../tests/support/tiny-world';
import { createSocialCareSimulator } from './app';

const KEY = 'sc-test-key';
const world = tinyWorld();
const child = (id: string): ScChild => {
  const found = world.socialCare.children.find((c) => c.CHILD === id);
  if (!found) throw new Error(`fixture has no child ${id}`);
  return found;
};
const worker = (id: string) => world.socialCare.workers.find((w) => w.STAFF_ID === id);
const ids = (records: ScChildRecord[]) => records.map((r) => r.CHILD);

let server: RunningServer;
let api: AxiosInstance;

beforeAll(async () => {
  server = await startServer(createSocialCareSimulator({ world: tinyWorld(), apiKey: KEY }));
  api = httpClient(server.url, KEY);
});
afterAll(async () => {
  await server.close();
});

const search = async (body: object, query = '') =>
  api.post<Paged<ScChildRecord> & Partial<ErrorBody>>(`/api/v1/children/search${query}`, body);

describe('social care simulator: auth', () => {
  it('needs the key on the API but not on /health', async () => {
    expect((await httpClient(server.url).get('/api/v1/children/1000001')).status).toBe(401);
    expect((await httpClient(server.url, 'wrong').post('/api/v1/children/search', {})).status).toBe(
      401,
    );
    const health = await httpClient(server.url).get('/health');
    expect(health.data).toEqual({ status: 'ok', system: 'social-care' });
  });
});

describe('GET /api/v1/children/:id', () => {
  it('answers the bare child without include', async () => {
    const res = await api.get('/api/v1/children/1000001');
    expect(res.status).toBe(200);
    expect(res.data).toEqual(child('1000001'));
  });

  it('adds episodes by DECOM, placements, PEPs by MEETING_DATE and the worker', async () => {
    const res = await api.get<ScChildRecord>(
      '/api/v1/children/1000001?include=episodes,placements,peps,worker',
    );
    expect(res.data.episodes?.map((e) => [e.DECOM, e.LS, e.DEC])).toEqual([
      ['2023-02-01', 'C1', '2023-08-10'],
      ['2023-08-10', 'C2', null],
    ]);
    expect(res.data.placements?.map((p) => p.DECOM)).toEqual(['2023-02-01', '2023-08-10']);
    expect(res.data.peps?.map((p) => p.PEP_ID)).toEqual(['PEP-0001', 'PEP-0002']);
    expect(res.data.peps?.[1]?.TARGETS[0]?.TARGET_ID).toBe('T-0003');
    expect(res.data.worker).toEqual(worker('SW001'));
  });

  it('accepts repeated include, gives null for no worker and empty lists for none', async () => {
    const res = await api.get<ScChildRecord>(
      '/api/v1/children/1000003?include=worker&include=peps',
    );
    expect(res.data.worker).toBeNull();
    expect(res.data.peps).toEqual([]);
    expect(res.data.episodes).toBeUndefined();
  });

  it('serves a restricted record by id', async () => {
    const res = await api.get<ScChildRecord>('/api/v1/children/1000004');
    expect(res.data.RESTRICTED).toBe(true);
  });

  it('answers 404 for an unknown child and 400 for an unknown include', async () => {
    const missing = await api.get('/api/v1/children/9999999');
    expect(missing.status).toBe(404);
    expect(missing.data.error).toEqual({ code: 'NOT_FOUND', message: 'No child 9999999' });
    const bad = await api.get('/api/v1/children/1000001?include=episodes,address');
    expect(bad.status).toBe(400);
    expect(bad.data.error.code).toBe('BAD_REQUEST');
  });
});

describe('POST /api/v1/children/search', () => {
  it('defaults to current children, restricted records left out, by CHILD', async () => {
    const res = await search({});
    expect(res.status).toBe(200);
    expect(ids(res.data.data)).toEqual(['1000001', '1000002']);
    expect(res.data.data[0]).toEqual(child('1000001'));
    expect(res.data.meta.pagination).toEqual({
      page: 1,
      per_page: 100,
      total: 2,
      next: null,
      more: false,
    });
  });

  it.each<[string, object, string[]]>([
    ['include_restricted', { include_restricted: true }, ['1000001', '1000002', '1000004']],
    ['current_only false', { current_only: false }, ['1000001', '1000002', '1000003']],
    [
      'ids (unknown ones dropped)',
      { ids: ['1000004', '1000001', '9999999'], include_restricted: true },
      ['1000001', '1000004'],
    ],
    ['ids still under the defaults', { ids: ['1000003', '1000004'] }, []],
    ['upns', { upns: ['P340200118002'] }, ['1000002']],
    ['an unknown-UPN code', { upns: ['UN1'], current_only: false }, ['1000003']],
    ['ids and upns together (AND)', { ids: ['1000001'], upns: ['P340200118002'] }, []],
    ['legal_status', { legal_status: ['C2', 'V2'] }, ['1000001', '1000002']],
    [
      'legal_status of the current episode only',
      { legal_status: ['C2'], current_only: false },
      ['1000001'],
    ],
    [
      'legal_status E1 when restricted allowed',
      { legal_status: ['E1'], include_restricted: true },
      ['1000004'],
    ],
    ['placement_type', { placement_type: ['K2', 'A5'] }, ['1000002']],
    ['out_of_area true', { out_of_area: true }, ['1000002']],
    ['out_of_area false', { out_of_area: false, current_only: false }, ['1000001']],
    ['uasc', { uasc: true }, ['1000002']],
    ['uasc false', { uasc: false }, ['1000001']],
    ['dob_from (inclusive)', { dob_from: '2016-03-12' }, ['1000001']],
    ['dob_to (inclusive)', { dob_to: '2010-07-04', current_only: false }, ['1000002', '1000003']],
    ['sw_id', { sw_id: 'SW001', include_restricted: true }, ['1000001', '1000004']],
    ['vs_caseworker_id', { vs_caseworker_id: 'VSO001' }, ['1000001', '1000002']],
    ['sw_id and legal_status', { sw_id: 'SW001', legal_status: ['E1'] }, []],
  ])('filters by %s', async (_label, body, expected) => {
    const res = await search(body);
    expect(res.status).toBe(200);
    expect(ids(res.data.data)).toEqual(expected);
    expect(res.data.meta.pagination.total).toBe(expected.length);
  });

  it('adds the included parts to each record', async () => {
    const res = await search({ ids: ['1000002'], include: ['episodes', 'worker'] });
    const [record] = res.data.data;
    expect(record?.worker).toEqual(worker('SW002'));
    expect(record?.episodes?.map((e: ScEpisode) => e.PL_LA)).toEqual(['359']);
    expect(record?.peps).toBeUndefined();
  });

  it('pages, with a next that takes the same body', async () => {
    const body = { include_restricted: true, per_page: 2 };
    const first = await search(body);
    expect(ids(first.data.data)).toEqual(['1000001', '1000002']);
    expect(first.data.meta.pagination).toEqual({
      page: 1,
      per_page: 2,
      total: 3,
      next: '/api/v1/children/search?page=2&per_page=2',
      more: true,
    });
    const next = first.data.meta.pagination.next as string;
    const second = await api.post(next, body);
    expect(ids(second.data.data)).toEqual(['1000004']);
    expect(second.data.meta.pagination).toMatchObject({ page: 2, next: null, more: false });
    const viaBody = await search({ ...body, page: 2 });
    expect(ids(viaBody.data.data)).toEqual(['1000004']);
  });

  it.each<[string, object, string]>([
    ['per_page 501 in the body', { per_page: 501 }, ''],
    ['per_page 501 in the query', {}, '?per_page=501'],
    ['page 0', { page: 0 }, ''],
    ['501 ids', { ids: Array.from({ length: 501 }, (_, i) => String(i)) }, ''],
    ['501 upns', { upns: Array.from({ length: 501 }, (_, i) => `UPN${i}`) }, ''],
    ['ids not a list', { ids: '1000001' }, ''],
    ['an unknown field', { colour: 'red' }, ''],
    ['a bad date', { dob_from: '2016-02-30' }, ''],
    ['an unknown include', { include: ['address'] }, ''],
    ['a string boolean', { uasc: 'true' }, ''],
  ])('answers 400 for %s', async (_label, body, query) => {
    const res = await search(body, query);
    expect(res.status).toBe(400);
    expect(res.data.error?.code).toBe('BAD_REQUEST');
  });
});

describe('workers', () => {
  it('GET /api/v1/workers/:id answers the worker or 404', async () => {
    expect((await api.get('/api/v1/workers/SW002')).data).toEqual(worker('SW002'));
    expect((await api.get('/api/v1/workers/NOPE')).status).toBe(404);
  });

  it('POST /api/v1/workers/batch answers found ones in order and lists the missing', async () => {
    const res = await api.post('/api/v1/workers/batch', {
      ids: ['VSO001', 'NOPE', 'SW001', 'VSO001'],
    });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      data: [worker('VSO001'), worker('SW001')],
      meta: { missing: ['NOPE'] },
    });
    expect((await api.post('/api/v1/workers/batch', {})).status).toBe(400);
    const tooMany = Array.from({ length: 501 }, (_, i) => `W${i}`);
    expect((await api.post('/api/v1/workers/batch', { ids: tooMany })).status).toBe(400);
  });
});

describe('social care simulator: stats and OpenAPI', () => {
  it('counts requests per route pattern', async () => {
    await api.post('/_sim/stats/reset');
    await api.get('/api/v1/children/1000001');
    await api.get('/api/v1/children/1000002');
    await search({});
    const stats = await api.get('/_sim/stats');
    expect(stats.data).toMatchObject({
      system: 'social-care',
      requests: 3,
      byRoute: { 'GET /api/v1/children/:id': 2, 'POST /api/v1/children/search': 1 },
    });
  });

  it('documents every registered route in schema/openapi/social-care.yaml, and no other', () => {
    const coverage = openApiCoverage(
      createSocialCareSimulator({ world: tinyWorld(), apiKey: KEY }),
      'social-care.yaml',
    );
    expect(coverage.registered).toEqual(
      expect.arrayContaining([
        'GET /api/v1/children/{id}',
        'POST /api/v1/workers/batch',
        'PUT /_sim/faults',
      ]),
    );
    expect(coverage.undocumented).toEqual([]);
    expect(coverage.unimplemented).toEqual([]);
  });
});

describe('social care simulator at scale', () => {
  /** 50,000 children made by copying the fixture's first child: a speed check, not a data check. */
  function bigWorld(size: number): World {
    const base = tinyWorld();
    const template = base.socialCare.children[1] as ScChild;
    const episode = base.socialCare.episodes[0] as ScEpisode;
    const children: ScChild[] = [];
    const episodes: ScEpisode[] = [];
    for (let i = 0; i < size; i += 1) {
      const id = String(2_000_000 + i);
      children.push({
        ...template,
        CHILD: id,
        UPN: `X${String(i).padStart(12, '0')}`,
        SW_ID: `SW${i % 50}`,
      });
      episodes.push({ ...episode, CHILD: id, LS: i % 2 === 0 ? 'C2' : 'V2' });
    }
    return { ...base, socialCare: { ...base.socialCare, children, episodes } };
  }

  it('answers batch look-ups and full searches over 50,000 children quickly', async () => {
    const big = await startServer(
      createSocialCareSimulator({ world: bigWorld(50_000), apiKey: KEY }),
    );
    try {
      const client = httpClient(big.url, KEY);
      const wanted = Array.from({ length: 500 }, (_, i) => String(2_000_000 + i * 97));
      const started = Date.now();
      const byIds = await client.post('/api/v1/children/search', { ids: wanted, per_page: 500 });
      const byUpns = await client.post('/api/v1/children/search', {
        upns: wanted.map((id) => `X${String(Number(id) - 2_000_000).padStart(12, '0')}`),
        per_page: 500,
      });
      const filtered = await client.post('/api/v1/children/search', {
        legal_status: ['V2'],
        per_page: 10,
      });
      expect(Date.now() - started).toBeLessThan(1500);
      expect(byIds.data.data).toHaveLength(500);
      expect(byUpns.data.data).toHaveLength(500);
      expect(filtered.data.meta.pagination.total).toBe(25_000);
    } finally {
      await big.close();
    }
  });
});
