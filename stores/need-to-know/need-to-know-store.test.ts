import { StoreValidationError } from '../errors';
import type { Stores } from '../open-stores';
import { countingDatabase, testDatabases } from '../testing/databases';
import { NeedToKnowStore } from './need-to-know-store';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(testDatabases)('NeedToKnowStore on $name', (target) => {
  let stores: Stores;
  let store: NeedToKnowStore;
  // One database per file: each test takes children of its own.
  let nextChild = 2_000_000;
  const child = (): string => String((nextChild += 1));

  beforeAll(async () => {
    stores = await target.openStores();
    store = stores.needToKnow;
  });
  afterAll(() => stores?.close());

  const grantFor = (childId: string, staffId = 'E100001') => ({
    childId,
    staffId,
    urn: '100001',
    actor: 'E900001',
    reason: 'Agreed with the child at the PEP meeting',
  });
  const revokeFor = (childId: string, staffId = 'E100001') => ({
    childId,
    staffId,
    urns: ['100001'],
    actor: 'E900001',
    reason: 'Child asked for it to end',
  });

  const rowsFor = async (childId: string) => {
    const { rows } = await stores.db.query<{ grants: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM need_to_know_grant WHERE child_id = $1) AS grants,
              (SELECT count(*)::int FROM need_to_know_event WHERE child_id = $1) AS events`,
      [childId],
    );
    return rows[0];
  };

  it('grants, and records who, when and why', async () => {
    const id = child();
    const { grant, created } = await store.grant(grantFor(id));
    expect(created).toBe(true);
    expect(grant).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      childId: id,
      staffId: 'E100001',
      urn: '100001',
      grantedBy: 'E900001',
      grantedAt: expect.stringMatching(ISO),
      reason: 'Agreed with the child at the PEP meeting',
      revokedAt: null,
      revokedBy: null,
      revokeReason: null,
    });
    expect(Math.abs(Date.parse(grant.grantedAt) - Date.now())).toBeLessThan(60_000);
    expect(await store.history(id)).toEqual([
      {
        id: expect.any(String),
        grantId: grant.id,
        childId: id,
        staffId: 'E100001',
        urn: '100001',
        action: 'GRANT',
        actor: 'E900001',
        at: grant.grantedAt,
        reason: grant.reason,
      },
    ]);
  });

  it('returns the active grant for a repeated grant, with no new event', async () => {
    const id = child();
    const first = await store.grant(grantFor(id));
    const again = await store.grant({ ...grantFor(id), reason: 'Said again' });
    expect(again).toEqual({ grant: first.grant, created: false });
    expect(await rowsFor(id)).toEqual({ grants: 1, events: 1 });
  });

  it('revokes once; a second revoke changes nothing', async () => {
    const id = child();
    const { grant } = await store.grant(grantFor(id));
    const revoked = await store.revoke(revokeFor(id));
    expect(revoked.revoked).toBe(true);
    expect(revoked.grant).toEqual({
      ...grant,
      revokedAt: expect.stringMatching(ISO),
      revokedBy: 'E900001',
      revokeReason: 'Child asked for it to end',
    });

    const again = await store.revoke({ ...revokeFor(id), reason: 'Again' });
    expect(again).toEqual({ grant: revoked.grant, revoked: false });
    expect((await store.history(id)).map((e) => e.action)).toEqual(['GRANT', 'REVOKE']);
    expect((await store.activeGrantsForChildren([id])).get(id)).toEqual([]);
  });

  it('revoking what was never granted returns no grant', async () => {
    const id = child();
    expect(await store.revoke(revokeFor(id))).toEqual({ grant: null, revoked: false });
    expect(await rowsFor(id)).toEqual({ grants: 0, events: 0 });
  });

  it('grants again after a revoke, and keeps the whole history in order', async () => {
    const id = child();
    const first = await store.grant(grantFor(id));
    await store.revoke(revokeFor(id));
    const second = await store.grant(grantFor(id));
    expect(second.created).toBe(true);
    expect(second.grant.id).not.toBe(first.grant.id);

    const history = await store.history(id);
    expect(history.map((e) => [e.action, e.grantId])).toEqual([
      ['GRANT', first.grant.id],
      ['REVOKE', first.grant.id],
      ['GRANT', second.grant.id],
    ]);
    const times = history.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('leaves one active grant when the same grant is made concurrently', async () => {
    const id = child();
    const results = await Promise.all(Array.from({ length: 5 }, () => store.grant(grantFor(id))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.grant.id)).size).toBe(1);
    expect(await rowsFor(id)).toEqual({ grants: 1, events: 1 });
  });

  // PGlite runs one statement at a time, so only a real server can hold this race open.
  if (target.name === 'postgres') {
    it('waits for an uncommitted grant of the same pair, then returns it', async () => {
      const id = child();
      let inserted: () => void = () => undefined;
      let release: () => void = () => undefined;
      const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
      const held = new Promise<void>((resolve) => (release = resolve));
      const other = stores.db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO need_to_know_grant (child_id, staff_id, urn, granted_by, reason)
           VALUES ($1, 'E100001', '100001', 'E900002', 'other replica') RETURNING id::text`,
          [id],
        );
        await tx.query(
          `INSERT INTO need_to_know_event (grant_id, child_id, staff_id, urn, action, actor, reason)
           VALUES ($1, $2, 'E100001', '100001', 'GRANT', 'E900002', 'other replica')`,
          [rows[0].id, id],
        );
        inserted();
        await held;
        return rows[0].id;
      });
      await insertedSignal;
      const racing = store.grant(grantFor(id));
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      const otherId = await other;
      expect(await racing).toMatchObject({ created: false, grant: { id: otherId } });
      expect(await rowsFor(id)).toEqual({ grants: 1, events: 1 });
    });
  }

  it('revokes once when the same revoke is made concurrently', async () => {
    const id = child();
    await store.grant(grantFor(id));
    const results = await Promise.all(Array.from({ length: 4 }, () => store.revoke(revokeFor(id))));
    expect(results.filter((r) => r.revoked)).toHaveLength(1);
    expect((await store.history(id)).map((e) => e.action)).toEqual(['GRANT', 'REVOKE']);
  });

  it("reads many children's active grants in one query, every child a key", async () => {
    const [a, b, none] = [child(), child(), child()];
    await store.grant(grantFor(a, 'E100001'));
    await store.grant(grantFor(a, 'E100002'));
    await store.grant(grantFor(b, 'E100001'));
    await store.grant(grantFor(b, 'E100003'));
    await store.revoke(revokeFor(b, 'E100003'));

    const counting = countingDatabase(stores.db);
    const byChild = await new NeedToKnowStore(counting.db).activeGrantsForChildren([a, b, none, a]);
    expect(counting.statements).toHaveLength(1);
    expect([...byChild.keys()]).toEqual([a, b, none]);
    expect(byChild.get(a)?.map((g) => g.staffId)).toEqual(['E100001', 'E100002']);
    expect(byChild.get(b)?.map((g) => g.staffId)).toEqual(['E100001']);
    expect(byChild.get(none)).toEqual([]);

    const empty = countingDatabase(stores.db);
    expect((await new NeedToKnowStore(empty.db).activeGrantsForChildren([])).size).toBe(0);
    expect(empty.statements).toHaveLength(0);
  });

  it("lists the children on a member of staff's active need-to-know lists", async () => {
    const [a, b, c] = [child(), child(), child()];
    await store.grant(grantFor(b, 'ST4321'));
    await store.grant(grantFor(a, 'ST4321'));
    await store.grant(grantFor(c, 'ST4321'));
    await store.revoke(revokeFor(c, 'ST4321'));
    expect(await store.activeChildIdsForStaff('ST4321')).toEqual([a, b]);
    expect(await store.activeChildIdsForStaff('E999999')).toEqual([]);
  });

  describe('validation', () => {
    const secret = 'Ms Example said so';
    const bad: Array<[string, Record<string, unknown>, string[]]> = [
      ['a child id that is not 7 digits', { childId: '12345' }, ['childId']],
      ['a staff id of the wrong shape', { staffId: 'e100001' }, ['staffId']],
      ['a URN that is not 6 digits', { urn: '1000011' }, ['urn']],
      ['an empty reason', { reason: '   ' }, ['reason']],
      ['a reason over 500 characters', { reason: `${secret} ${'x'.repeat(500)}` }, ['reason']],
      ['an actor with spaces', { actor: secret }, ['actor']],
    ];

    it.each(bad)(
      'refuses %s, names the field, not the value, and writes nothing',
      async (_what, override, fields) => {
        const id = child();
        const attempt = store.grant({ ...grantFor(id), ...override } as never);
        await expect(attempt).rejects.toBeInstanceOf(StoreValidationError);
        await expect(attempt).rejects.toMatchObject({
          fields,
          extensions: { code: 'BAD_USER_INPUT' },
        });
        const message = await attempt.then(
          () => '',
          (error: Error) => error.message,
        );
        expect(message).not.toContain(secret);
        expect(message).not.toContain('12345');
        expect(await rowsFor(id)).toEqual({ grants: 0, events: 0 });
      },
    );

    it('refuses a bad revoke and leaves the grant active', async () => {
      const id = child();
      await store.grant(grantFor(id));
      await expect(store.revoke({ ...revokeFor(id), reason: '' })).rejects.toThrow(
        'Invalid revoke: reason.',
      );
      expect((await store.activeGrantsForChildren([id])).get(id)).toHaveLength(1);
    });

    it('refuses bad ids on reads', async () => {
      await expect(store.activeGrantsForChildren(['1', '2000001'])).rejects.toThrow(
        'Invalid child ids: 0.',
      );
      await expect(store.activeChildIdsForStaff("E1' OR 1=1")).rejects.toThrow(
        StoreValidationError,
      );
      await expect(store.history('abc')).rejects.toThrow(StoreValidationError);
    });
  });
});
