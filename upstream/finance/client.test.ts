import type { Paged } from '../common/contract';
import type { FinClient, FinClientSearch } from './contract';
import { UpstreamUnavailableError } from '../../lib/errors';
import { FinanceClient, type FinanceUpstream } from './client';

const record = (ref: string): FinClient => ({ client_ref: ref, cost_centre: 'VS-PPP' });

function paged(data: FinClient[], more: boolean, page = 1): Paged<FinClient> {
  return { data, meta: { pagination: { page, per_page: 500, total: 0, next: null, more } } };
}

/** A fake finance system: answers each search with `answer(body)` and records the bodies. */
function fakeUpstream(answer: (search: FinClientSearch) => unknown) {
  const searches: FinClientSearch[] = [];
  const upstream: FinanceUpstream = {
    get: async <T>() => ({ status: 'ok' }) as T,
    query: async <T>(_path: string, body: unknown) => {
      searches.push(body as FinClientSearch);
      return answer(body as FinClientSearch) as T;
    },
    close: () => undefined,
  };
  return { upstream, searches };
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
