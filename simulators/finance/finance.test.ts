import type { AxiosInstance } from 'axios';
import type { Paged } from '../../upstream/common/contract';
import type { FinAllocation, FinClient, FinLedgerLine } from '../../upstream/finance/contract';
import type { ErrorBody } from '../common/errors';
import { openApiCoverage } from '../common/openapi-check';
import { startServer } from '../common/server';
import type { RunningServer } from '../common/server';
import { httpClient } from '../common/testing';
import { tinyWorld } from '../../tests/support/tiny-world';
import { createFinanceSimulator } from './app';

const KEY = 'fin-test-key';
const world = tinyWorld();
const line = (id: string) => world.finance.ledger.find((l) => l.line_id === id);
const allocation = (ref: string, fy: string) =>
  world.finance.allocations.find((a) => a.client_ref === ref && a.fy === fy);

let server: RunningServer;
let api: AxiosInstance;

beforeAll(async () => {
  server = await startServer(createFinanceSimulator({ world: tinyWorld(), apiKey: KEY }));
  api = httpClient(server.url, KEY);
});
afterAll(async () => {
  await server.close();
});

const search = (body: object, query = '') =>
  api.post<Paged<FinClient> & Partial<ErrorBody>>(`/api/finance/v1/clients/search${query}`, body);

describe('finance simulator: auth', () => {
  it('needs the key on the API but not on /health', async () => {
    expect((await httpClient(server.url).get('/api/finance/v1/ledger')).status).toBe(401);
    expect((await httpClient(server.url).get('/health')).data.system).toBe('finance');
  });
});

describe('POST /api/finance/v1/clients/search', () => {
  it('lists every client in allocations or the ledger, by client_ref, without parts', async () => {
    const res = await search({});
    expect(res.status).toBe(200);
    expect(res.data.data).toEqual([
      { client_ref: 'CLA/1000001', cost_centre: 'VS-PPP' },
      { client_ref: 'CLA/1000002', cost_centre: 'VS-PPP' },
      { client_ref: 'CLA/1000004', cost_centre: 'VS-ADJ' },
    ]);
    expect(res.data.meta.pagination).toEqual({
      page: 1,
      per_page: 100,
      total: 3,
      next: null,
      more: false,
    });
  });

  it('looks clients up by reference and limits included parts to the financial year', async () => {
    const res = await search({
      client_refs: ['CLA/1000002', 'CLA/1000001', 'CLA/9999999'],
      fy: '2025-26',
      include: ['allocations', 'ledger'],
    });
    expect(res.data.data).toEqual([
      {
        client_ref: 'CLA/1000001',
        cost_centre: 'VS-PPP',
        allocations: [allocation('CLA/1000001', '2025-26')],
        ledger: [line('L0002')],
      },
      {
        client_ref: 'CLA/1000002',
        cost_centre: 'VS-PPP',
        allocations: [allocation('CLA/1000002', '2025-26')],
        ledger: [line('L0004')],
      },
    ]);
    expect(res.data.meta.pagination.total).toBe(2);
  });

  it('includes every year without fy, and keeps clients with nothing in the year', async () => {
    const all = await search({ client_refs: ['CLA/1000001'], include: ['allocations'] });
    expect(all.data.data[0]?.allocations?.map((a: FinAllocation) => a.fy)).toEqual([
      '2024-25',
      '2025-26',
    ]);
    expect(all.data.data[0]?.ledger).toBeUndefined();
    const older = await search({
      client_refs: ['CLA/1000004'],
      fy: '2024-25',
      include: ['ledger'],
    });
    expect(older.data.data).toEqual([
      { client_ref: 'CLA/1000004', cost_centre: 'VS-ADJ', ledger: [] },
    ]);
  });

  it('pages, with a next that takes the same body', async () => {
    const body = { per_page: 2 };
    const first = await search(body);
    expect(first.data.meta.pagination).toEqual({
      page: 1,
      per_page: 2,
      total: 3,
      next: '/api/finance/v1/clients/search?page=2&per_page=2',
      more: true,
    });
    const second = await api.post(first.data.meta.pagination.next as string, body);
    expect(second.data.data.map((c: FinClient) => c.client_ref)).toEqual(['CLA/1000004']);
    expect(second.data.meta.pagination).toMatchObject({ next: null, more: false });
  });

  it.each<[string, object]>([
    ['501 client_refs', { client_refs: Array.from({ length: 501 }, (_, i) => `CLA/${i}`) }],
    ['per_page 501', { per_page: 501 }],
    ['a badly written fy', { fy: '2025/26' }],
    ['an fy of two years apart', { fy: '2025-27' }],
    ['an unknown include', { include: ['budget'] }],
    ['an unknown field', { child_ids: ['1000001'] }],
  ])('answers 400 for %s', async (_label, body) => {
    const res = await search(body);
    expect(res.status).toBe(400);
    expect(res.data.error?.code).toBe('BAD_REQUEST');
  });
});

describe('GET /api/finance/v1/ledger', () => {
  const lineIds = (lines: FinLedgerLine[]) => lines.map((l) => l.line_id);

  it.each<[string, string[]]>([
    ['', ['L0001', 'L0003', 'L0004', 'L0005', 'L0002']],
    ['fy=2025-26', ['L0003', 'L0004', 'L0005', 'L0002']],
    ['urn=100001', ['L0001', 'L0002']],
    ['type=SPEND&fy=2025-26', ['L0004', 'L0002']],
    ['type=TOPSLICE', ['L0003']],
  ])('lists lines by posting date (%s)', async (query, expected) => {
    const res = await api.get(`/api/finance/v1/ledger?${query}`);
    expect(lineIds(res.data.data)).toEqual(expected);
  });

  it('answers the lines as stored', async () => {
    const res = await api.get('/api/finance/v1/ledger?type=TOPSLICE');
    expect(res.data.data).toEqual([line('L0003')]);
  });

  it('pages and validates', async () => {
    const res = await api.get('/api/finance/v1/ledger?per_page=2&page=3');
    expect(lineIds(res.data.data)).toEqual(['L0002']);
    expect(res.data.meta.pagination).toEqual({
      page: 3,
      per_page: 2,
      total: 5,
      next: null,
      more: false,
    });
    const first = await api.get('/api/finance/v1/ledger?fy=2025-26&per_page=3');
    expect(first.data.meta.pagination.next).toBe(
      '/api/finance/v1/ledger?fy=2025-26&per_page=3&page=2',
    );
    for (const query of ['type=REFUND', 'per_page=501', 'fy=2025', 'client_ref=CLA/1000001']) {
      expect((await api.get(`/api/finance/v1/ledger?${query}`)).status).toBe(400);
    }
  });
});

describe('GET /api/finance/v1/allocations', () => {
  it('lists allocations by financial year then client, with fy filter', async () => {
    const all = await api.get('/api/finance/v1/allocations');
    expect(all.data.data).toEqual([
      allocation('CLA/1000001', '2024-25'),
      allocation('CLA/1000002', '2024-25'),
      allocation('CLA/1000001', '2025-26'),
      allocation('CLA/1000002', '2025-26'),
    ]);
    const year = await api.get('/api/finance/v1/allocations?fy=2024-25');
    expect(year.data.data.map((a: FinAllocation) => a.amount_pence)).toEqual([257000, 214200]);
    expect((await api.get('/api/finance/v1/allocations?fy=24-25')).status).toBe(400);
  });
});

describe('GET /api/finance/v1/top-slices', () => {
  it('answers the year’s top-slices and every allocation of the year they are shared over', async () => {
    const res = await api.get('/api/finance/v1/top-slices?fy=2025-26');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      data: [line('L0003')],
      // Allocations of 2025-26: CLA/1000001 263,000 and CLA/1000002 263,000.
      meta: { fy: '2025-26', allocated_pence: 526000, top_sliced_pence: 500000 },
    });
  });

  it('answers a year with allocations and no top-slices, and a year with neither', async () => {
    expect((await api.get('/api/finance/v1/top-slices?fy=2024-25')).data).toEqual({
      data: [],
      meta: { fy: '2024-25', allocated_pence: 257000 + 214200, top_sliced_pence: 0 },
    });
    expect((await api.get('/api/finance/v1/top-slices?fy=2019-20')).data.meta).toEqual({
      fy: '2019-20',
      allocated_pence: 0,
      top_sliced_pence: 0,
    });
  });

  it.each(['', 'fy=2025', 'fy=2025-27', 'fy=2025-26&type=TOPSLICE', 'fy=2025-26&page=2'])(
    'answers 400 for %p',
    async (query) => {
      const res = await api.get(`/api/finance/v1/top-slices?${query}`);
      expect(res.status).toBe(400);
      expect(res.data.error.code).toBe('BAD_REQUEST');
    },
  );
});

describe('finance simulator: stats and OpenAPI', () => {
  it('counts requests per route pattern', async () => {
    await api.post('/_sim/stats/reset');
    await api.get('/api/finance/v1/ledger');
    await api.get('/api/finance/v1/ledger?fy=2025-26');
    await search({});
    await api.get('/api/finance/v1/allocations');
    const stats = await api.get('/_sim/stats');
    expect(stats.data).toMatchObject({
      system: 'finance',
      requests: 4,
      byRoute: {
        'GET /api/finance/v1/ledger': 2,
        'POST /api/finance/v1/clients/search': 1,
        'GET /api/finance/v1/allocations': 1,
      },
    });
  });

  it('documents every registered route in schema/openapi/finance.yaml, and no other', () => {
    const coverage = openApiCoverage(
      createFinanceSimulator({ world: tinyWorld(), apiKey: KEY }),
      'finance.yaml',
    );
    expect(coverage.registered).toHaveLength(13);
    expect(coverage.undocumented).toEqual([]);
    expect(coverage.unimplemented).toEqual([]);
  });
});
