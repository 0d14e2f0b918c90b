import { StoreValidationError } from '../errors';
import type { Stores } from '../open-stores';
import { sqlStateOf, testDatabases } from '../testing/databases';
import type { DesignatedTeacherChangeInput, DesignatedTeacherDetails } from './types';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const before: DesignatedTeacherDetails = {
  title: 'Mr',
  forename: 'Owen',
  surname: 'Price',
  jobTitle: 'Designated Teacher for Looked After Children',
  workEmail: 'o.price@brookfield.example',
  workPhone: '0151 496 3001',
  confirmedOn: '2025-09-10',
};
const after: DesignatedTeacherDetails = { ...before, workPhone: '0151 496 3999' };

describe.each(testDatabases)('DesignatedTeacherHistoryStore on $name', (target) => {
  let stores: Stores;
  // One database per file: each test takes schools of its own.
  let nextUrn = 200_000;
  const school = (): string => String((nextUrn += 1));

  beforeAll(async () => {
    stores = await target.openStores();
  });
  afterAll(() => stores?.close());

  const change = (urn: string, overrides: Partial<DesignatedTeacherChangeInput> = {}) => ({
    urn,
    actorSub: 'E100002',
    actorRoles: ['designated-teacher'],
    requestId: 'req-1',
    detailsChanged: true,
    confirmed: false,
    before,
    after,
    ...overrides,
  });

  it('records who, when, and the entry before and after', async () => {
    const urn = school();
    const stored = await stores.designatedTeacherHistory.record(change(urn));
    expect(stored).toEqual({
      id: expect.any(String),
      changedAt: expect.stringMatching(ISO),
      ...change(urn),
    });
    expect(Math.abs(Date.parse(stored.changedAt) - Date.now())).toBeLessThan(60_000);
    expect((await stores.designatedTeacherHistory.historyFor([urn])).get(urn)).toEqual([stored]);
  });

  it('answers each school asked for, oldest first, [] for none, in one query', async () => {
    const [a, b, none] = [school(), school(), school()];
    const first = await stores.designatedTeacherHistory.record(
      change(a, { before: null, requestId: null }),
    );
    const second = await stores.designatedTeacherHistory.record(
      change(a, { detailsChanged: false, confirmed: true, before: after, after }),
    );
    const other = await stores.designatedTeacherHistory.record(change(b));
    const history = await stores.designatedTeacherHistory.historyFor([a, b, none, a]);
    expect([...history.keys()]).toEqual([a, b, none]);
    expect(history.get(a)).toEqual([first, second]);
    expect(first.before).toBeNull();
    expect(first.requestId).toBeNull();
    expect(history.get(b)).toEqual([other]);
    expect(history.get(none)).toEqual([]);
    expect(await stores.designatedTeacherHistory.historyFor([])).toEqual(new Map());
  });

  it.each<[string, Partial<DesignatedTeacherChangeInput>, string]>([
    ['a bad URN', { urn: '12345' }, 'urn'],
    ['a change that changes nothing', { detailsChanged: false, confirmed: false }, 'confirmed'],
    ['a bad date', { after: { ...after, confirmedOn: '2025-13-01' } }, 'after.confirmedOn'],
    ['an empty surname', { after: { ...after, surname: '' } }, 'after.surname'],
    ['an actor with spaces', { actorSub: 'E1 OR 1=1' }, 'actorSub'],
  ])('refuses %s, naming the field, and writes nothing', async (_what, overrides, field) => {
    const urn = school();
    const attempt = stores.designatedTeacherHistory.record({ ...change(urn), ...overrides });
    await expect(attempt).rejects.toBeInstanceOf(StoreValidationError);
    await expect(attempt).rejects.toMatchObject({ fields: [field] });
    expect((await stores.designatedTeacherHistory.historyFor([urn])).get(urn)).toEqual([]);
  });

  it('refuses bad URNs on reads', async () => {
    await expect(stores.designatedTeacherHistory.historyFor(["1' OR 1=1"])).rejects.toThrow(
      StoreValidationError,
    );
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const urn = school();
    await stores.designatedTeacherHistory.record(change(urn));
    const refused = '42501';
    expect(
      await sqlStateOf(
        stores.db.query(`UPDATE designated_teacher_change SET actor_sub = 'x' WHERE urn = $1`, [
          urn,
        ]),
      ),
    ).toBe(refused);
    expect(
      await sqlStateOf(
        stores.db.query('DELETE FROM designated_teacher_change WHERE urn = $1', [urn]),
      ),
    ).toBe(refused);
    expect(await sqlStateOf(stores.db.exec('TRUNCATE designated_teacher_change'))).toBe(refused);
    expect((await stores.designatedTeacherHistory.historyFor([urn])).get(urn)).toHaveLength(1);
  });
});
