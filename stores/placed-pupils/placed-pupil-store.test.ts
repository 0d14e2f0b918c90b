import { StoreValidationError } from '../errors';
import type { Stores } from '../open-stores';
import { sqlStateOf, testDatabases } from '../testing/databases';
import { placedPupilKey } from './placed-pupil-store';
import type { PlacedPupilDetails, PlacedPupilRecordInput } from './types';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const REFUSED = '42501';

const shared: PlacedPupilDetails = {
  placingLa: '359',
  legalStatus: 'C2',
  parentalResponsibility: 'Wigan Council, shared with the birth mother',
  delegatedAuthority: 'Foster carers sign school trip consent forms',
  socialWorkerName: 'Dana Whitfield',
  socialWorkerEmail: 'dana.whitfield@wigan.example.gov.uk',
  socialWorkerPhone: null,
  lastPepDate: '2025-11-03',
  nextPepDate: '2026-03-02',
  placingAuthorityConsent: true,
  source: 'RECORDED_BY_SCHOOL',
};

describe.each(testDatabases)('PlacedPupilStore on $name', (target) => {
  let stores: Stores;
  // One database per file: each test takes pupils of its own.
  let next = 0;
  const pupil = () => {
    next += 1;
    return { urn: String(300_000 + next), upn: `Z${String(next).padStart(11, '0')}9` };
  };
  const input = (
    key: { urn: string; upn: string },
    overrides: Partial<PlacedPupilRecordInput> = {},
  ): PlacedPupilRecordInput => ({
    ...key,
    ...shared,
    actorSub: 'E100002',
    actorRoles: ['designated-teacher'],
    requestId: 'req-1',
    ...overrides,
  });

  beforeAll(async () => {
    stores = await target.openStores();
  });
  afterAll(() => stores?.close());

  it('records a pupil once, reads it back, and repeats change nothing', async () => {
    const key = pupil();
    const first = await stores.placedPupils.record(input(key));
    expect(first).toEqual({
      changed: true,
      record: { ...key, ...shared, updatedAt: expect.stringMatching(ISO), updatedBy: 'E100002' },
    });
    const again = await stores.placedPupils.record(input(key, { actorSub: 'E100003' }));
    expect(again).toEqual({ changed: false, record: first.record });
    expect(await stores.placedPupils.byKeys([key, key])).toEqual(
      new Map([[placedPupilKey(key), first.record]]),
    );
    const history = (await stores.placedPupils.historyFor([key])).get(placedPupilKey(key))!;
    expect(history).toEqual([
      {
        id: expect.any(String),
        ...key,
        changedAt: first.record.updatedAt,
        actorSub: 'E100002',
        actorRoles: ['designated-teacher'],
        requestId: 'req-1',
        before: null,
        after: shared,
      },
    ]);
  });

  it('keeps each change with the record before and after, oldest first', async () => {
    const key = pupil();
    await stores.placedPupils.record(input(key));
    const changed = { ...shared, legalStatus: 'E1', socialWorkerPhone: '01942 404 000' };
    const second = await stores.placedPupils.record(
      input(key, { ...changed, actorSub: 'E100009', requestId: null }),
    );
    expect(second.changed).toBe(true);
    expect(second.record).toMatchObject({ legalStatus: 'E1', updatedBy: 'E100009' });
    const history = (await stores.placedPupils.historyFor([key])).get(placedPupilKey(key))!;
    expect(
      history.map(({ before, after, actorSub, requestId }) => ({
        before,
        after,
        actorSub,
        requestId,
      })),
    ).toEqual([
      { before: null, after: shared, actorSub: 'E100002', requestId: 'req-1' },
      { before: shared, after: changed, actorSub: 'E100009', requestId: null },
    ]);
  });

  it('keeps one pupil at two schools apart, and answers every key asked for', async () => {
    const key = pupil();
    const elsewhere = { urn: String(Number(key.urn) + 500_000), upn: key.upn };
    const none = pupil();
    await stores.placedPupils.record(input(key));
    await stores.placedPupils.record(input(elsewhere, { delegatedAuthority: null }));
    const found = await stores.placedPupils.byKeys([key, elsewhere, none]);
    expect([...found.keys()].sort()).toEqual(
      [placedPupilKey(key), placedPupilKey(elsewhere)].sort(),
    );
    expect(found.get(placedPupilKey(elsewhere))!.delegatedAuthority).toBeNull();
    const history = await stores.placedPupils.historyFor([key, none]);
    expect(history.get(placedPupilKey(key))).toHaveLength(1);
    expect(history.get(placedPupilKey(none))).toEqual([]);
    expect(await stores.placedPupils.byKeys([])).toEqual(new Map());
  });

  it.each<[string, Partial<PlacedPupilRecordInput>, string[]]>([
    ['a bad URN and UPN', { urn: '12345', upn: 'not-a-upn' }, ['upn', 'urn']],
    ['a legal status not on the 903 list', { legalStatus: 'ZZ' }, ['legalStatus']],
    ['a code from another 903 list (placement P1)', { legalStatus: 'P1' }, ['legalStatus']],
    [
      'no work contact at all',
      { socialWorkerEmail: null, socialWorkerPhone: null },
      ['socialWorkerEmail'],
    ],
    ['a next PEP before the last', { nextPepDate: '2025-10-01' }, ['nextPepDate']],
    ['a bad date', { lastPepDate: '2025-02-30' }, ['lastPepDate']],
    [
      'an empty name and PR',
      { socialWorkerName: ' ', parentalResponsibility: '' },
      ['parentalResponsibility', 'socialWorkerName'],
    ],
    [
      'a bad e-mail and phone',
      { socialWorkerEmail: 'x', socialWorkerPhone: '999' },
      ['socialWorkerEmail', 'socialWorkerPhone'],
    ],
    ['a source not known', { source: 'RUMOUR' as never }, ['source']],
    ['an actor with spaces', { actorSub: 'E1 OR 1=1' }, ['actorSub']],
  ])('refuses %s, naming the fields, and writes nothing', async (_what, overrides, fields) => {
    const key = pupil();
    const attempt = stores.placedPupils.record(input(key, overrides));
    await expect(attempt).rejects.toBeInstanceOf(StoreValidationError);
    const error = (await attempt.catch((caught: unknown) => caught)) as StoreValidationError;
    expect([...error.fields].sort()).toEqual(fields);
    if (overrides.urn === undefined) {
      expect(await stores.placedPupils.byKeys([key])).toEqual(new Map());
    }
  });

  it('refuses bad keys on reads', async () => {
    await expect(
      stores.placedPupils.byKeys([{ urn: "1' OR 1=1", upn: 'Z000000000009' }]),
    ).rejects.toThrow(StoreValidationError);
    await expect(
      stores.placedPupils.historyFor([{ urn: '100001', upn: "' OR 1=1" }]),
    ).rejects.toThrow(StoreValidationError);
  });

  it('never deletes a record, and its history is append-only', async () => {
    const key = pupil();
    await stores.placedPupils.record(input(key));
    for (const sql of [
      'DELETE FROM placed_pupil_information WHERE urn = $1',
      `UPDATE placed_pupil_information_change SET actor_sub = 'x' WHERE urn = $1`,
      'DELETE FROM placed_pupil_information_change WHERE urn = $1',
    ]) {
      expect(await sqlStateOf(stores.db.query(sql, [key.urn]))).toBe(REFUSED);
    }
    expect(await sqlStateOf(stores.db.exec('TRUNCATE placed_pupil_information_change'))).toBe(
      REFUSED,
    );
    expect((await stores.placedPupils.byKeys([key])).size).toBe(1);
    expect((await stores.placedPupils.historyFor([key])).get(placedPupilKey(key))).toHaveLength(1);
  });
});
