import { LOCAL_AUTHORITY_NAMES } from '../../domain/codes/local-authorities';
import { isUkPhone, isWorkEmail } from '../../domain/contact-details';
import { StoreValidationError } from '../errors';
import type { Stores } from '../open-stores';
import { sqlStateOf, testDatabases } from '../testing/databases';
import { SYNTHETIC_SOURCE, syntheticVirtualSchools } from './synthetic-seed';
import type { VirtualSchoolUpdateInput } from './types';
import { SEED_ACTOR, VirtualSchoolDirectoryStore } from './virtual-school-directory-store';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const REFUSED = '42501';

describe('the synthetic seed', () => {
  const seed = syntheticVirtualSchools('2026-02-10');

  it('has one entry for every authority in the code list, ordered by code', () => {
    expect(seed.map((entry) => entry.laCode)).toEqual(Object.keys(LOCAL_AUTHORITY_NAMES).sort());
  });

  it('is plainly synthetic: reserved e-mail domains and Ofcom drama numbers only', () => {
    for (const entry of seed) {
      expect(entry.email).toMatch(/^virtual\.school@[a-z0-9-]+\.example\.gov\.uk$/);
      expect(isWorkEmail(entry.email)).toBe(true);
      expect(entry.phone).toMatch(/^01632 960\d{3}$/);
      expect(isUkPhone(entry.phone)).toBe(true);
      expect(entry.source).toBe(SYNTHETIC_SOURCE);
    }
    expect(seed.find((entry) => entry.laCode === '342')!.email).toBe(
      'virtual.school@st-helens.example.gov.uk',
    );
    expect(new Set(seed.map((entry) => entry.phone)).size).toBe(seed.length);
  });
});

// Its own database: seedIfEmpty is about the empty table. In order, each on what the one
// before left.
describe.each(testDatabases)('VirtualSchoolDirectoryStore.seedIfEmpty on $name', (target) => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await target.openStores();
  });
  afterAll(() => stores?.close());

  const seed = syntheticVirtualSchools('2026-02-10');
  const count = async () => {
    const { rows } = await stores.db.query<{ entries: number; changes: number }>(
      `SELECT (SELECT count(*)::int FROM virtual_school_contact) AS entries,
              (SELECT count(*)::int FROM virtual_school_contact_change) AS changes`,
    );
    return rows[0];
  };

  it('refuses the whole batch if one entry is invalid, naming it, and writes nothing', async () => {
    const broken = [...seed.slice(0, 2), { ...seed[2]!, phone: '999' }];
    await expect(stores.virtualSchoolDirectory.seedIfEmpty(broken)).rejects.toThrow(
      'Invalid virtual school seed: 2.phone.',
    );
    expect(await count()).toEqual({ entries: 0, changes: 0 });
  });

  it('loads an empty directory once, each entry with its first change', async () => {
    const store = new VirtualSchoolDirectoryStore(stores.db);
    // Two at once, as two replicas starting together: only one loads.
    const loaded = await Promise.all([store.seedIfEmpty(seed), store.seedIfEmpty(seed)]);
    expect(loaded.sort((a, b) => a - b)).toEqual([0, seed.length]);
    expect(await count()).toEqual({ entries: seed.length, changes: seed.length });

    const all = await store.all();
    expect(all.map((entry) => entry.laCode)).toEqual(seed.map((entry) => entry.laCode));
    expect(all[0]).toEqual({
      laCode: seed[0]!.laCode,
      headName: seed[0]!.headName,
      email: seed[0]!.email,
      phone: seed[0]!.phone,
      source: SYNTHETIC_SOURCE,
      updatedAt: '2026-02-10T00:00:00.000Z',
      updatedBy: SEED_ACTOR,
    });
    const [first] = (await store.historyFor(['340'])).get('340')!;
    expect(first).toMatchObject({
      laCode: '340',
      changedAt: '2026-02-10T00:00:00.000Z',
      actorSub: SEED_ACTOR,
      requestId: null,
      before: null,
      after: { headName: expect.any(String), source: SYNTHETIC_SOURCE },
    });
  });

  it('does nothing once the directory has entries', async () => {
    const other = seed.map((entry) => ({ ...entry, headName: 'Someone Else' }));
    expect(await stores.virtualSchoolDirectory.seedIfEmpty(other)).toBe(0);
    expect(await count()).toEqual({ entries: seed.length, changes: seed.length });
  });
});

describe.each(testDatabases)('VirtualSchoolDirectoryStore on $name', (target) => {
  let stores: Stores;
  // One database per file section: each test takes authority codes of its own.
  let nextCode = 600;
  const code = (): string => String((nextCode += 1));

  beforeAll(async () => {
    stores = await target.openStores();
  });
  afterAll(() => stores?.close());

  const update = (laCode: string, overrides: Partial<VirtualSchoolUpdateInput> = {}) => ({
    laCode,
    headName: 'Robin Calder',
    email: 'virtual.school@testshire.example.gov.uk',
    phone: '020 7946 0123',
    source: 'Confirmed by phone with the Virtual School',
    actorSub: 'VSH001',
    actorRoles: ['virtual-school-head'],
    requestId: 'req-1',
    ...overrides,
  });

  it('adds an authority, then changes it, each change with who, when, before and after', async () => {
    const la = code();
    const added = await stores.virtualSchoolDirectory.update(update(la));
    expect(added).toEqual({
      changed: true,
      entry: {
        laCode: la,
        headName: 'Robin Calder',
        email: 'virtual.school@testshire.example.gov.uk',
        phone: '020 7946 0123',
        source: 'Confirmed by phone with the Virtual School',
        updatedAt: expect.stringMatching(ISO),
        updatedBy: 'VSH001',
      },
    });
    const changed = await stores.virtualSchoolDirectory.update(
      update(la, { phone: '020 7946 0999', requestId: null }),
    );
    expect(changed.changed).toBe(true);
    expect(changed.entry.phone).toBe('020 7946 0999');

    const history = (await stores.virtualSchoolDirectory.historyFor([la])).get(la)!;
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({
      actorSub: 'VSH001',
      actorRoles: ['virtual-school-head'],
      requestId: 'req-1',
      before: null,
      after: { phone: '020 7946 0123' },
    });
    expect(history[1]).toMatchObject({
      requestId: null,
      before: { phone: '020 7946 0123', headName: 'Robin Calder' },
      after: { phone: '020 7946 0999', headName: 'Robin Calder' },
      changedAt: changed.entry.updatedAt,
    });
    expect((await stores.virtualSchoolDirectory.byLaCodes([la, la])).get(la)).toEqual(
      changed.entry,
    );
  });

  it('is idempotent: the same entry again changes nothing and records nothing', async () => {
    const la = code();
    const first = await stores.virtualSchoolDirectory.update(update(la));
    const again = await stores.virtualSchoolDirectory.update(update(la, { actorSub: 'VSH002' }));
    expect(again).toEqual({ changed: false, entry: first.entry });
    expect((await stores.virtualSchoolDirectory.historyFor([la])).get(la)).toHaveLength(1);
  });

  it('answers each authority asked for, [] or absent for none, in one query', async () => {
    const [a, none] = [code(), code()];
    await stores.virtualSchoolDirectory.update(update(a));
    const history = await stores.virtualSchoolDirectory.historyFor([a, none]);
    expect([...history.keys()]).toEqual([a, none]);
    expect(history.get(none)).toEqual([]);
    expect([...(await stores.virtualSchoolDirectory.byLaCodes([a, none])).keys()]).toEqual([a]);
    expect(await stores.virtualSchoolDirectory.byLaCodes([])).toEqual(new Map());
  });

  it('refuses bad input naming every bad field, and writes nothing', async () => {
    const la = code();
    const attempt = stores.virtualSchoolDirectory.update(
      update(la, { headName: ' ', email: 'not-an-address', phone: '12', source: '' }),
    );
    await expect(attempt).rejects.toBeInstanceOf(StoreValidationError);
    await expect(attempt).rejects.toMatchObject({
      fields: ['headName', 'email', 'phone', 'source'],
    });
    await expect(
      stores.virtualSchoolDirectory.update(update('34', { actorSub: 'a b' })),
    ).rejects.toMatchObject({ fields: ['laCode', 'actorSub'] });
    expect((await stores.virtualSchoolDirectory.byLaCodes([la])).size).toBe(0);
    expect((await stores.virtualSchoolDirectory.historyFor([la])).get(la)).toEqual([]);
    await expect(stores.virtualSchoolDirectory.historyFor(["1' OR 1=1"])).rejects.toThrow(
      StoreValidationError,
    );
  });

  it('keeps two concurrent changes of one authority apart: both in the history, in order', async () => {
    const la = code();
    await stores.virtualSchoolDirectory.update(update(la));
    await Promise.all([
      stores.virtualSchoolDirectory.update(update(la, { headName: 'Casey Dunmore' })),
      stores.virtualSchoolDirectory.update(update(la, { headName: 'Drew Ellery' })),
    ]);
    const history = (await stores.virtualSchoolDirectory.historyFor([la])).get(la)!;
    expect(history).toHaveLength(3);
    // Each change's "before" is the entry the one before it left.
    expect(history[2]!.before).toEqual(history[1]!.after);
    const entry = (await stores.virtualSchoolDirectory.byLaCodes([la])).get(la)!;
    expect(entry.headName).toBe(history[2]!.after.headName);
  });

  it('refuses to delete entries and to change or delete history, in the database', async () => {
    const la = code();
    await stores.virtualSchoolDirectory.update(update(la));
    expect(
      await sqlStateOf(
        stores.db.query(
          `UPDATE virtual_school_contact_change SET actor_sub = 'x' WHERE la_code = $1`,
          [la],
        ),
      ),
    ).toBe(REFUSED);
    expect(
      await sqlStateOf(
        stores.db.query('DELETE FROM virtual_school_contact_change WHERE la_code = $1', [la]),
      ),
    ).toBe(REFUSED);
    expect(await sqlStateOf(stores.db.exec('TRUNCATE virtual_school_contact_change'))).toBe(
      REFUSED,
    );
    expect(
      await sqlStateOf(
        stores.db.query('DELETE FROM virtual_school_contact WHERE la_code = $1', [la]),
      ),
    ).toBe(REFUSED);
    expect((await stores.virtualSchoolDirectory.historyFor([la])).get(la)).toHaveLength(1);
  });
});
