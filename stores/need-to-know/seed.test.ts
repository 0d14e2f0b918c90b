import type { Stores } from '../open-stores';
import { countingDatabase, testDatabases } from '../testing/databases';
import { NeedToKnowStore, type SeedGrant } from './need-to-know-store';

const seeds: SeedGrant[] = Array.from({ length: 120 }, (_, i) => ({
  childId: String(3_000_000 + Math.floor(i / 2)),
  staffId: `E${String(200_000 + (i % 2)).padStart(6, '0')}`,
  urn: '100002',
  grantedBy: 'E900002',
  // The seeded world gives dates; a timestamp is taken too.
  grantedAt: i === 1 ? '2025-09-04' : '2025-09-03T08:30:00.000Z',
  reason: `Seeded grant ${i}`,
}));

// Its own file, so its own empty database: seedIfEmpty is about the empty table. The tests
// below run in order, each on what the one before left.
describe.each(testDatabases)('NeedToKnowStore.seedIfEmpty on $name', (target) => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await target.openStores();
  });
  afterAll(() => stores?.close());

  const count = async (): Promise<{ grants: number; events: number }> => {
    const { rows } = await stores.db.query<{ grants: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM need_to_know_grant) AS grants,
              (SELECT count(*)::int FROM need_to_know_event) AS events`,
    );
    return rows[0];
  };

  it('refuses the whole batch if one seed is invalid, and writes nothing', async () => {
    const broken = [...seeds.slice(0, 3), { ...seeds[3], grantedAt: '2025-02-30' }];
    await expect(stores.needToKnow.seedIfEmpty(broken)).rejects.toThrow(
      'Invalid seed grants: 3.grantedAt.',
    );
    expect(await count()).toEqual({ grants: 0, events: 0 });
  });

  it('loads an empty table in one batch statement, each grant with its GRANT event', async () => {
    const counting = countingDatabase(stores.db);
    const store = new NeedToKnowStore(counting.db);
    // A repeated pair in the seed data keeps its first grant only.
    const withRepeat = [...seeds, { ...seeds[0], reason: 'Repeated' }];
    // Two at once, as two replicas starting together: only one loads.
    const loaded = await Promise.all([
      store.seedIfEmpty(withRepeat),
      store.seedIfEmpty(withRepeat),
    ]);
    expect(loaded.sort((a, b) => a - b)).toEqual([0, 120]);
    expect(await count()).toEqual({ grants: 120, events: 120 });
    // Each call at most: look, lock, look again, insert. Never one statement per grant.
    expect(counting.statements.length).toBeLessThanOrEqual(8);

    const [first] = await stores.needToKnow.history('3000000');
    expect(first).toMatchObject({
      action: 'GRANT',
      actor: 'E900002',
      at: '2025-09-03T08:30:00.000Z',
      reason: 'Seeded grant 0',
    });
    const [fromDate] = (await stores.needToKnow.activeGrantsForChildren(['3000000']))
      .get('3000000')!
      .filter((g) => g.staffId === 'E200001');
    expect(fromDate.grantedAt).toBe('2025-09-04T00:00:00.000Z');
    expect(await stores.needToKnow.activeChildIdsForStaff('E200001')).toHaveLength(60);
  });

  it('does nothing once the table has grants', async () => {
    const more = seeds.map((s) => ({ ...s, childId: String(Number(s.childId) + 500) }));
    expect(await stores.needToKnow.seedIfEmpty(more)).toBe(0);
    expect(await count()).toEqual({ grants: 120, events: 120 });
  });
});
