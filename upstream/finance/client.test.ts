import type { Paged } from '../common/contract';
import type { FinClient, FinClientSearch, FinLedgerLine, FinTopSlices } from './contract';
import { UpstreamUnavailableError } from '../../lib/errors';
import { FinanceClient, type FinanceUpstream } from './client';

const record = (ref: string): FinClient => ({ client_ref: ref, cost_centre: 'VS-PPP' });

function paged(data: FinClient[], more: boolean, page = 1): Paged<FinClient> {
  return { data, meta: { pagination: { page, per_page: 500, total: 0, next: null, more } } };
}

/** A fake finance system: answers each search with `answer(body)` and records the bodies. */
function fakeUpstream(
  answer: (search: FinClientSearch) => unknown,
  answerGet: (path: string, params: unknown) => unknown = () => ({ status: 'ok' }),
) {
  const searches: FinClientSearch[] = [];
  const gets: Array<[string, unknown]> = [];
  const upstream: FinanceUpstream = {
    get: async <T>(path: string, params?: unknown) => {
      gets.push([path, params]);
      return answerGet(path, params) as T;
    },
    query: async <T>(_path: string, body: unknown) => {
      searches.push(body as FinClientSearch);
      return answer(body as FinClientSearch) as T;
    },
    write: async () => {
      throw new Error('this fake takes no writes');
    },
    close: () => undefined,
  };
  return { upstream, searches, gets };
}

describe('FinanceClient.clientsByRef', () => {
  it('asks for at most 500 references a request, each once', async () => {
    const { upstream, searches } = fakeUpstream((search) =>
      paged((search.client_refs ?? []).map(record), false),
    );
    const refs = Array.from({ length: 1001 }, (_, index) => `CLA/${1000000 + index}`);
    const found = await new FinanceClient(upstream).clientsByRef([...refs, refs[0]!], ['ledger']);
    expect(searches.map((search) => search.client_refs?.length)).toEqual([500, 500, 1]);
    expect(searches.every((search) => search.per_page === 500 && search.fy === undefined)).toBe(
      true,
    );
    expect(searches[0]?.include).toEqual(['ledger']);
    expect(found).toHaveLength(1001);
  });

  it('reads every page when the system pages', async () => {
    const { upstream, searches } = fakeUpstream((search) =>
      search.page === 1
        ? paged([record('CLA/1000001')], true, 1)
        : paged([record('CLA/1000002')], false, 2),
    );
    const found = await new FinanceClient(upstream).clientsByRef(
      ['CLA/1000001', 'CLA/1000002'],
      ['allocations'],
    );
    expect(searches.map((search) => search.page)).toEqual([1, 2]);
    expect(found.map((client) => client.client_ref)).toEqual(['CLA/1000001', 'CLA/1000002']);
  });

  it('treats an answer of another shape, or a 404, as the system failing', async () => {
    for (const answer of [null, { data: 'nope' }, { data: [] }, []]) {
      const { upstream } = fakeUpstream(() => answer);
      await expect(new FinanceClient(upstream).clientsByRef(['CLA/1000001'], [])).rejects.toThrow(
        UpstreamUnavailableError,
      );
    }
  });

  it('makes no request for no references', async () => {
    const { upstream, searches } = fakeUpstream(() => paged([], false));
    expect(await new FinanceClient(upstream).clientsByRef([], [])).toEqual([]);
    expect(searches).toHaveLength(0);
  });
});

describe('FinanceClient.topSlices', () => {
  const topSlice = (overrides: Partial<FinLedgerLine> = {}): FinLedgerLine => ({
    line_id: 'PPL00000001',
    client_ref: null,
    fy: '2025-26',
    posted_on: '2025-05-01',
    type: 'TOPSLICE',
    urn: null,
    item: 'Designated teacher training programme',
    amount_pence: 500000,
    pep_target_id: null,
    cost_centre: 'VS-PPP',
    ...overrides,
  });
  const answer = (overrides: Partial<FinTopSlices['meta']> = {}, data = [topSlice()]) => ({
    data,
    meta: { fy: '2025-26', allocated_pence: 2_000_000, top_sliced_pence: 500000, ...overrides },
  });

  it('reads one financial year in one request', async () => {
    const { upstream, gets, searches } = fakeUpstream(
      () => paged([], false),
      () => answer(),
    );
    expect(await new FinanceClient(upstream).topSlices('2025-26')).toEqual(answer());
    expect(gets).toEqual([['/api/finance/v1/top-slices', { fy: '2025-26' }]]);
    expect(searches).toHaveLength(0);
  });

  it.each<[string, unknown]>([
    ['a 404', null],
    ['no meta', { data: [topSlice()] }],
    ['another year', answer({ fy: '2024-25' })],
    ['a line of another year', answer({}, [topSlice({ fy: '2024-25' })])],
    ['a line that is not a top-slice', answer({}, [topSlice({ type: 'SPEND' })])],
    ['pence that are not whole', answer({ allocated_pence: 10.5 })],
    ['a total that is not a number', answer({ top_sliced_pence: '500000' as unknown as number })],
  ])('treats %s as the system failing', async (_case, payload) => {
    const { upstream } = fakeUpstream(
      () => paged([], false),
      () => payload,
    );
    await expect(new FinanceClient(upstream).topSlices('2025-26')).rejects.toThrow(
      UpstreamUnavailableError,
    );
  });
});
