/**
 * `POST /api/finance/v1/clients/search` with `include=fund_years`: the fund years of the page's
 * clients' allocations, side-loaded once for the page, each what `GET /top-slices` answers.
 */
import type { AxiosInstance } from 'axios';
import type { FinClientPage, FinTopSlices } from '../../upstream/finance/contract';
import type { ErrorBody } from '../common/errors';
import { startServer, type RunningServer } from '../common/server';
import { httpClient } from '../common/testing';
import { tinyWorld } from '../../tests/support/tiny-world';
import { createFinanceSimulator } from './app';

const KEY = 'fin-test-key';
const world = tinyWorld();

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
  api.post<FinClientPage & Partial<ErrorBody>>(`/api/finance/v1/clients/search${query}`, body);

const topSlices = async (fy: string): Promise<FinTopSlices> => {
  const res = await api.get<FinTopSlices>(`/api/finance/v1/top-slices?fy=${fy}`);
  expect(res.status).toBe(200);
  return res.data;
};

/** The distinct financial years these clients hold an allocation of, oldest first. */
const yearsOf = (refs: string[]) =>
  [
    ...new Set(
      world.finance.allocations.filter((a) => refs.includes(a.client_ref)).map((a) => a.fy),
    ),
  ].sort();

describe('include=fund_years', () => {
  it('side-loads once per year of the clients’ allocations exactly what GET /top-slices answers', async () => {
    const refs = ['CLA/1000001', 'CLA/1000002', 'CLA/1000004'];
    const res = await search({ client_refs: refs, include: ['allocations', 'fund_years'] });
    expect(res.status).toBe(200);
    const years = yearsOf(refs);
    expect(years).toEqual(['2024-25', '2025-26']);
    expect(res.data.included).toEqual({
      fund_years: await Promise.all(years.map(topSlices)),
    });
    // The clients are as without the include: the years are not repeated on each record.
    const plain = await search({ client_refs: refs, include: ['allocations'] });
    expect(res.data.data).toEqual(plain.data.data);
  });

  it('is absent when not asked for', async () => {
    const res = await search({ client_refs: ['CLA/1000001'], include: ['allocations', 'ledger'] });
    expect(res.status).toBe(200);
    expect(res.data).not.toHaveProperty('included');
  });

  it('does not need the allocations included, and follows fy', async () => {
    const res = await search({
      client_refs: ['CLA/1000001'],
      fy: '2024-25',
      include: ['fund_years'],
    });
    expect(res.data.included).toEqual({ fund_years: [await topSlices('2024-25')] });
  });

  it('carries no year for clients with no allocation', async () => {
    // Ledger lines only, no allocation.
    const res = await search({ client_refs: ['CLA/1000004'], include: ['fund_years'] });
    expect(res.data.data.map((client) => client.client_ref)).toEqual(['CLA/1000004']);
    expect(res.data.included).toEqual({ fund_years: [] });
  });

  it('carries the years of the page’s clients only', async () => {
    const res = await search(
      { client_refs: ['CLA/1000001', 'CLA/1000004'], include: ['fund_years'] },
      '?per_page=1&page=2',
    );
    expect(res.data.data.map((client) => client.client_ref)).toEqual(['CLA/1000004']);
    expect(res.data.included).toEqual({ fund_years: [] });
  });

  it.each([
    ['an unknown include beside it', { include: ['fund_years', 'budget'] }],
    ['a misspelt fund_years', { include: ['fund_year'] }],
  ])('answers 400 for %s', async (_label, body) => {
    const res = await search(body);
    expect(res.status).toBe(400);
    expect(res.data.error?.code).toBe('BAD_REQUEST');
  });

  it('is refused by the export, which streams records and has no place for it', async () => {
    const res = await api.post('/api/finance/v1/exports/clients', {
      client_refs: ['CLA/1000001'],
      include: ['fund_years'],
    });
    expect(res.status).toBe(400);
  });
});
