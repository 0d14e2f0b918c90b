/** The loaders against a stand-in client: batching, both keys, priming. */
import type { Paged } from '../../upstream/common/contract';
import type { ScChildRecord, ScWorker } from '../../upstream/social-care/contract';
import type { SocialCareClient } from '../../upstream/social-care/client';
import { createSocialCareLoaders } from './loaders';

function record(id: string, upn: string): ScChildRecord {
  return {
    CHILD: id,
    SEX: '1',
    DOB: '2015-01-01',
    ETHNIC: 'WBRI',
    UPN: upn,
    FORENAME: 'Test',
    SURNAME: 'Child',
    PREFERRED_NAME: null,
    LA: '340',
    UASC: false,
    UASC_CEASED: null,
    RESTRICTED: false,
    SW_ID: null,
    VS_CASEWORKER_ID: null,
    DELEGATED_AUTHORITY: [],
    LAST_UPDATED: '2025-01-01',
    episodes: [],
    placements: [],
    peps: [],
    worker: null,
  };
}

const CHILDREN = [record('1000001', 'A340200118001'), record('1000002', 'UN1')];

function fakeClient() {
  const calls: Array<{ key: string; values: readonly string[] }> = [];
  const client = {
    childrenByKey: async (key: 'ids' | 'upns', values: readonly string[]) => {
      calls.push({ key, values });
      return CHILDREN.filter((c) => values.includes(key === 'ids' ? c.CHILD : c.UPN));
    },
    workersByIds: async (ids: readonly string[]): Promise<ScWorker[]> => {
      calls.push({ key: 'workers', values: ids });
      return [];
    },
    searchChildren: async (): Promise<Paged<ScChildRecord>> => {
      throw new Error('not used');
    },
  };
  return { client: client as unknown as SocialCareClient, calls };
}

describe('createSocialCareLoaders', () => {
  it('batches look-ups by id into one call, null for the unknown', async () => {
    const { client, calls } = fakeClient();
    const loaders = createSocialCareLoaders(client);
    const found = await Promise.all(
      ['1000001', '1000009', '1000002', '1000001'].map((id) => loaders.childById.load(id)),
    );
    expect(found.map((r) => r?.CHILD ?? null)).toEqual(['1000001', null, '1000002', '1000001']);
    expect(calls).toEqual([{ key: 'ids', values: ['1000001', '1000009', '1000002'] }]);
  });

  it('primes the UPN loader from an id look-up, and the id loader from a UPN look-up', async () => {
    const { client, calls } = fakeClient();
    const loaders = createSocialCareLoaders(client);
    await loaders.childById.load('1000001');
    expect((await loaders.childByUpn.load('A340200118001'))?.CHILD).toBe('1000001');
    expect(calls).toHaveLength(1);

    const other = fakeClient();
    const byUpn = createSocialCareLoaders(other.client);
    await byUpn.childByUpn.load('A340200118001');
    expect((await byUpn.childById.load('1000001'))?.UPN).toBe('A340200118001');
    expect(other.calls).toHaveLength(1);
  });

  it('serves primed records without a call, and never primes an unknown-UPN placeholder', async () => {
    const { client, calls } = fakeClient();
    const loaders = createSocialCareLoaders(client);
    CHILDREN.forEach(loaders.prime);
    expect((await loaders.childById.load('1000002'))?.CHILD).toBe('1000002');
    expect((await loaders.childByUpn.load('A340200118001'))?.CHILD).toBe('1000001');
    expect(calls).toHaveLength(0);
    await loaders.childByUpn.load('UN1');
    expect(calls).toEqual([{ key: 'upns', values: ['UN1'] }]);
  });
});
