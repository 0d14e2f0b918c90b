/**
 * Need-to-know grants for other authorities' pupils, named by UPN (issue 15, migration 0010):
 * the same guarantees as a child's grants (idempotent, race-safe, append-only history), and
 * the two kinds never mixed up.
 */
import { StoreValidationError } from '../errors';
import type { Stores } from '../open-stores';
import { testDatabases } from '../testing/databases';
import type { NeedToKnowStore } from './need-to-know-store';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** SQLSTATE of a failed statement ('' when it succeeded). */
async function sqlStateOf(attempt: Promise<unknown>): Promise<string> {
  return attempt.then(
    () => '',
    (error: { code?: string }) => error.code ?? 'no code',
  );
}

describe.each(testDatabases)('NeedToKnowStore pupil (UPN) grants on $name', (target) => {
  let stores: Stores;
  let store: NeedToKnowStore;
  // One database per file: each test takes pupils of its own.
  let next = 0;
  const pupil = (): string => `Z${String(80_000_000_000 + (next += 1)).padStart(11, '0')}1`;

  beforeAll(async () => {
    stores = await target.openStores();
    store = stores.needToKnow;
  });
  afterAll(() => stores?.close());

  const grantFor = (upn: string, staffId = 'E100001') => ({
    upn,
    staffId,
    urn: '100001',
    actor: 'E900001',
    reason: 'Agreed with the pupil at the PEP meeting',
  });
  const revokeFor = (upn: string, staffId = 'E100001') => ({
    upn,
    staffId,
    urns: ['100001'],
    actor: 'E900001',
    reason: 'Pupil asked for it to end',
  });

  const rowsFor = async (upn: string) => {
    const { rows } = await stores.db.query<{ grants: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM need_to_know_grant WHERE upn = $1) AS grants,
              (SELECT count(*)::int FROM need_to_know_event WHERE upn = $1) AS events`,
      [upn],
    );
    return rows[0];
  };

  it('grants by UPN, and records who, when and why under the UPN', async () => {
    const upn = pupil();
    const { grant, created } = await store.grantForPupil(grantFor(upn));
    expect(created).toBe(true);
    expect(grant).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      upn,
      staffId: 'E100001',
      urn: '100001',
      grantedBy: 'E900001',
      grantedAt: expect.stringMatching(ISO),
      reason: 'Agreed with the pupil at the PEP meeting',
      revokedAt: null,
      revokedBy: null,
      revokeReason: null,
    });
    expect(await store.historyForPupil(upn)).toEqual([
      {
        id: expect.any(String),
        grantId: grant.id,
        upn,
        staffId: 'E100001',
        urn: '100001',
        action: 'GRANT',
        actor: 'E900001',
        at: grant.grantedAt,
        reason: grant.reason,
      },
    ]);
    const { rows } = await stores.db.query<{ child_id: string | null }>(
      'SELECT child_id FROM need_to_know_event WHERE upn = $1',
      [upn],
    );
    expect(rows).toEqual([{ child_id: null }]);
  });

  it('returns the active grant for a repeated grant, with no new event', async () => {
    const upn = pupil();
    const first = await store.grantForPupil(grantFor(upn));
    const again = await store.grantForPupil({ ...grantFor(upn), reason: 'Said again' });
    expect(again).toEqual({ grant: first.grant, created: false });
    expect(await rowsFor(upn)).toEqual({ grants: 1, events: 1 });
  });

  it('revokes once, only at the given schools; grants again after, keeping the history', async () => {
    const upn = pupil();
    const first = await store.grantForPupil(grantFor(upn));
    expect(await store.revokeForPupil({ ...revokeFor(upn), urns: ['100002'] })).toEqual({
      grant: null,
      revoked: false,
    });
    const revoked = await store.revokeForPupil(revokeFor(upn));
    expect(revoked).toEqual({
      grant: {
        ...first.grant,
        revokedAt: expect.stringMatching(ISO),
        revokedBy: 'E900001',
        revokeReason: 'Pupil asked for it to end',
      },
      revoked: true,
    });
    expect(await store.revokeForPupil(revokeFor(upn))).toEqual({
      grant: revoked.grant,
      revoked: false,
    });
    expect((await store.activeGrantsForPupils([upn])).get(upn)).toEqual([]);

    const second = await store.grantForPupil(grantFor(upn));
    expect(second.created).toBe(true);
    expect((await store.historyForPupil(upn)).map((e) => [e.action, e.grantId])).toEqual([
      ['GRANT', first.grant.id],
      ['REVOKE', first.grant.id],
      ['GRANT', second.grant.id],
    ]);
  });

  it('leaves one active grant when the same grant is made concurrently', async () => {
    const upn = pupil();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store.grantForPupil(grantFor(upn))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.grant.id)).size).toBe(1);
    expect(await rowsFor(upn)).toEqual({ grants: 1, events: 1 });
  });

  it("reads many pupils' active grants in one call, every UPN a key", async () => {
    const [a, b, none] = [pupil(), pupil(), pupil()];
    await store.grantForPupil(grantFor(a, 'E100001'));
    await store.grantForPupil(grantFor(a, 'E100002'));
    await store.grantForPupil(grantFor(b, 'E100003'));
    const byPupil = await store.activeGrantsForPupils([a, b, none, a]);
    expect([...byPupil.keys()]).toEqual([a, b, none]);
    expect(byPupil.get(a)!.map((g) => g.staffId)).toEqual(['E100001', 'E100002']);
    expect(byPupil.get(b)!.map((g) => g.staffId)).toEqual(['E100003']);
    expect(byPupil.get(none)).toEqual([]);
  });

  it("keeps children's and pupils' lists apart for a member of staff named on both", async () => {
    const upn = pupil();
    await store.grantForPupil(grantFor(upn, 'E555555'));
    await store.grant({
      childId: '2999999',
      staffId: 'E555555',
      urn: '100001',
      actor: 'E900001',
      reason: 'Agreed',
    });
    expect(await store.activeChildIdsForStaff('E555555')).toEqual(['2999999']);
    expect(await store.activeUpnsForStaff('E555555')).toEqual([upn]);
    await store.revokeForPupil(revokeFor(upn, 'E555555'));
    expect(await store.activeUpnsForStaff('E555555')).toEqual([]);
    expect(await store.activeChildIdsForStaff('E555555')).toEqual(['2999999']);
  });

  describe('enforced by the database', () => {
    it('refuses a grant naming both a child and a UPN, or neither', async () => {
      const both = stores.db.query(
        `INSERT INTO need_to_know_grant (child_id, upn, staff_id, urn, granted_by, reason)
         VALUES ('2999998', $1, 'E100001', '100001', 'E900001', 'x')`,
        [pupil()],
      );
      expect(await sqlStateOf(both)).toBe('23514');
      const neither = stores.db.query(
        `INSERT INTO need_to_know_grant (staff_id, urn, granted_by, reason)
         VALUES ('E100001', '100001', 'E900001', 'x')`,
      );
      expect(await sqlStateOf(neither)).toBe('23514');
      const badUpn = stores.db.query(
        `INSERT INTO need_to_know_grant (upn, staff_id, urn, granted_by, reason)
         VALUES ('UN1', 'E100001', '100001', 'E900001', 'x')`,
      );
      expect(await sqlStateOf(badUpn)).toBe('23514');
    });

    it('refuses a second active grant for the same pupil and member of staff', async () => {
      const upn = pupil();
      await store.grantForPupil(grantFor(upn));
      const twice = stores.db.query(
        `INSERT INTO need_to_know_grant (upn, staff_id, urn, granted_by, reason)
         VALUES ($1, 'E100001', '100002', 'E900002', 'again')`,
        [upn],
      );
      expect(await sqlStateOf(twice)).toBe('23505');
    });

    it("refuses any change to a grant's UPN, and any edit of its history", async () => {
      const upn = pupil();
      const { grant } = await store.grantForPupil(grantFor(upn));
      const moved = stores.db.query(
        `UPDATE need_to_know_grant SET upn = $2, revoked_at = now(), revoked_by = 'E1',
                revoke_reason = 'x' WHERE id = $1`,
        [grant.id, pupil()],
      );
      expect(await sqlStateOf(moved)).toBe('42501');
      const toChild = stores.db.query(
        `UPDATE need_to_know_grant SET upn = NULL, child_id = '2999997', revoked_at = now(),
                revoked_by = 'E1', revoke_reason = 'x' WHERE id = $1`,
        [grant.id],
      );
      expect(await sqlStateOf(toChild)).toBe('42501');
      const edited = stores.db.query(`UPDATE need_to_know_event SET upn = $1 WHERE upn = $1`, [
        upn,
      ]);
      expect(await sqlStateOf(edited)).toBe('42501');
      expect((await store.activeGrantsForPupils([upn])).get(upn)).toEqual([grant]);
    });
  });

  describe('validation', () => {
    it('refuses a malformed UPN, names the field, and writes nothing', async () => {
      for (const upn of ['UN1', 'z12345678901A', "A12345678901' OR 1=1"]) {
        const attempt = store.grantForPupil(grantFor(upn));
        await expect(attempt).rejects.toBeInstanceOf(StoreValidationError);
        await expect(attempt).rejects.toMatchObject({ fields: ['upn'] });
      }
      await expect(store.activeGrantsForPupils(['UN2'])).rejects.toThrow(StoreValidationError);
      await expect(store.historyForPupil('nope')).rejects.toThrow(StoreValidationError);
      await expect(store.activeUpnsForStaff("E1' OR 1=1")).rejects.toThrow(StoreValidationError);
    });
  });
});
