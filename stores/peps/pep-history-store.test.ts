import { StoreValidationError } from '../errors';
import type { Stores } from '../open-stores';
import { sqlStateOf, testDatabases } from '../testing/databases';
import type { PepChangeInput } from './types';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const draft = {
  PEP_ID: 'PEP-W00001',
  CHILD: '1000001',
  STATUS: 'DRAFT',
  VERSION: 1,
  TARGETS: [{ TARGET_ID: 'PEP-W00001-T1', AREA: 'Reading' }],
};
const complete = { ...draft, STATUS: 'COMPLETE', COMPLETED_ON: '2026-02-10' };

describe.each(testDatabases)('PepHistoryStore on $name', (target) => {
  let stores: Stores;
  // One database per file: each test takes PEPs of its own.
  let nextPep = 0;
  const pep = (): string => `PEP-T${String((nextPep += 1)).padStart(5, '0')}`;

  beforeAll(async () => {
    stores = await target.openStores();
  });
  afterAll(() => stores?.close());

  const change = (pepId: string, overrides: Partial<PepChangeInput> = {}): PepChangeInput => ({
    pepId,
    childId: '1000001',
    action: 'COMPLETE',
    actorSub: 'VSO1001',
    actorRoles: ['virtual-school-officer'],
    requestId: 'req-1',
    before: draft,
    after: complete,
    ...overrides,
  });

  it('records who, when, how, and the PEP before and after', async () => {
    const id = pep();
    const stored = await stores.pepHistory.record(change(id));
    expect(stored).toEqual({
      id: expect.any(String),
      changedAt: expect.stringMatching(ISO),
      ...change(id),
    });
    expect(Math.abs(Date.parse(stored.changedAt) - Date.now())).toBeLessThan(60_000);
    expect((await stores.pepHistory.historyFor([id])).get(id)).toEqual([stored]);
  });

  it('answers each PEP asked for, oldest first, [] for none, in one query', async () => {
    const [a, b, none] = [pep(), pep(), pep()];
    const first = await stores.pepHistory.record(
      change(a, { action: 'CREATE_DRAFT', before: null, after: draft, requestId: null }),
    );
    const second = await stores.pepHistory.record(change(a));
    const other = await stores.pepHistory.record(change(b, { action: 'QUALITY_ASSURE' }));
    const history = await stores.pepHistory.historyFor([a, b, none, a]);
    expect([...history.keys()]).toEqual([a, b, none]);
    expect(history.get(a)).toEqual([first, second]);
    expect(first.before).toBeNull();
    expect(first.requestId).toBeNull();
    expect(history.get(b)).toEqual([other]);
    expect(history.get(none)).toEqual([]);
    expect(await stores.pepHistory.historyFor([])).toEqual(new Map());
  });

  it.each<[string, Partial<PepChangeInput>, string]>([
    ['a bad child id', { childId: '12345' }, 'childId'],
    ['a bad PEP id', { pepId: "PEP' OR 1=1" }, 'pepId'],
    ['an unknown action', { action: 'DELETE' as PepChangeInput['action'] }, 'action'],
    ['a change with no PEP before that is not a new draft', { before: null }, 'before'],
    ['an actor with spaces', { actorSub: 'E1 OR 1=1' }, 'actorSub'],
  ])('refuses %s, naming the field, and writes nothing', async (_what, overrides, field) => {
    const id = pep();
    const attempt = stores.pepHistory.record({ ...change(id), ...overrides });
    await expect(attempt).rejects.toBeInstanceOf(StoreValidationError);
    await expect(attempt).rejects.toMatchObject({ fields: [field] });
    expect((await stores.pepHistory.historyFor([id])).get(id)).toEqual([]);
  });

  it('refuses bad PEP ids on reads', async () => {
    await expect(stores.pepHistory.historyFor(["1' OR 1=1"])).rejects.toThrow(StoreValidationError);
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const id = pep();
    await stores.pepHistory.record(change(id));
    const refused = '42501';
    expect(
      await sqlStateOf(
        stores.db.query(`UPDATE pep_change SET actor_sub = 'x' WHERE pep_id = $1`, [id]),
      ),
    ).toBe(refused);
    expect(
      await sqlStateOf(stores.db.query('DELETE FROM pep_change WHERE pep_id = $1', [id])),
    ).toBe(refused);
    expect(await sqlStateOf(stores.db.exec('TRUNCATE pep_change'))).toBe(refused);
    expect((await stores.pepHistory.historyFor([id])).get(id)).toHaveLength(1);
  });
});
