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

describe('FinanceClient.clientsByRef', () => {
  it('asks for at most 500 references a request, each once', async () => {
    const { upstream, searches } = fakeUpstream((search) =>
      paged((search.client_refs ?? []).map(record), false),
    );
    const refs = Array.from({ length: 1001 }, (_, index) => `CLA/${1000000 + index}`);
    const { clients: found } = await new FinanceClient(upstream).clientsByRef(
      [...refs, refs[0]!],
      ['ledger'],
    );
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
    const { clients: found } = await new FinanceClient(upstream).clientsByRef(
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
    expect(await new FinanceClient(upstream).clientsByRef([], [])).toEqual({
      clients: [],
      fundYears: [],
    });
    expect(searches).toHaveLength(0);
  });
});

describe('FinanceClient.clientsByRef with fund_years', () => {
  /** A page of `refs` carrying `included` (absent when undefined). */
  const withIncluded = (refs: string[], included: unknown, more = false, page = 1) => ({
    ...paged(refs.map(record), more, page),
    ...(included === undefined ? {} : { included }),
  });
  const year = (fy: string, allocated = 2_000_000) =>
    answer({ fy, allocated_pence: allocated }, [topSlice({ fy })]);

  it('returns the fund years every page side-loaded, each year once', async () => {
    const { upstream, searches } = fakeUpstream((search) =>
      search.page === 1
        ? withIncluded(['CLA/1000001'], { fund_years: [year('2024-25'), year('2025-26')] }, true)
        : withIncluded(['CLA/1000002'], { fund_years: [year('2025-26')] }, false, 2),
    );
    const found = await new FinanceClient(upstream).clientsByRef(
      ['CLA/1000001', 'CLA/1000002'],
      ['allocations', 'fund_years'],
    );
    expect(searches[0]?.include).toEqual(['allocations', 'fund_years']);
    expect(found.clients.map((client) => client.client_ref)).toEqual([
      'CLA/1000001',
      'CLA/1000002',
    ]);
    expect(found.fundYears).toEqual([year('2024-25'), year('2025-26')]);
  });

  it('ignores what a page side-loads when fund_years was not asked for', async () => {
    const { upstream } = fakeUpstream(() =>
      withIncluded(['CLA/1000001'], { fund_years: 'not read' }),
    );
    const found = await new FinanceClient(upstream).clientsByRef(['CLA/1000001'], ['ledger']);
    expect(found.fundYears).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['no included', undefined],
    ['included that is not an object', 'fund_years'],
    ['no fund_years', {}],
    ['fund_years that is not a list', { fund_years: year('2025-26') }],
    ['a year with no meta', { fund_years: [{ data: [topSlice()] }] }],
    ['a line of another year', { fund_years: [answer({}, [topSlice({ fy: '2024-25' })])] }],
    ['a line that is not a top-slice', { fund_years: [answer({}, [topSlice({ type: 'SPEND' })])] }],
    ['pence that are not whole', { fund_years: [answer({ allocated_pence: 10.5 })] }],
    ['a year twice', { fund_years: [year('2025-26'), year('2025-26', 1)] }],
  ])('treats %s, asked for fund_years, as the system failing', async (_case, included) => {
    const { upstream } = fakeUpstream(() => withIncluded(['CLA/1000001'], included));
    await expect(
      new FinanceClient(upstream).clientsByRef(['CLA/1000001'], ['allocations', 'fund_years']),
    ).rejects.toThrow(UpstreamUnavailableError);
  });
});

describe('FinanceClient.topSlices', () => {
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
