import type { NewEvent } from '../../events/types';
import { StoreValidationError } from '../errors';
import type { Stores } from '../open-stores';
import { sqlStateOf, testDatabases } from '../testing/databases';
import type { AlertQuery } from './types';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(testDatabases)('EventStore on $name', (target) => {
  let stores: Stores;
  // One database per file: each test takes keys and children of its own.
  let next = 0;
  const unique = (): string => String((next += 1));
  const childOf = (n: string): string => String(3_000_000 + Number(n));

  beforeAll(async () => {
    stores = await target.openStores();
  });
  afterAll(() => stores?.close());

  const absence = (overrides: Partial<NewEvent> = {}): NewEvent => {
    const n = unique();
    return {
      key: `ABSENT_TODAY:${childOf(n)}:2026-03-0${(Number(n) % 9) + 1}:AM`,
      type: 'ABSENT_TODAY',
      category: 'EDU',
      childId: childOf(n),
      urn: '100001',
      occurredAt: '2026-03-02T09:30:00Z',
      facts: { date: '2026-03-02', session: 'AM', code: 'O' },
      audience: ['social-worker:SW100', 'virtual-school-officer:VSO1', 'designated-teacher@100001'],
      ...overrides,
    };
  };

  const query = (overrides: Partial<AlertQuery> = {}): AlertQuery => ({
    audience: ['social-worker:SW100'],
    categories: ['EDU', 'PEP', 'CARE', 'PLACEMENT'],
    acknowledgedBy: 'SW100',
    limit: 100,
    ...overrides,
  });

  it('stores a batch once by key, in the order given, and moves the cursor with it', async () => {
    const feed = `education-${unique()}`;
    expect(await stores.events.cursor(feed)).toBeNull();
    const [a, b, c] = [absence(), absence(), absence()];
    const stored = await stores.events.recordBatch(feed, 'c1', [c, a, b]);
    expect(stored.map((event) => event.key)).toEqual([c.key, a.key, b.key]);
    const seqs = stored.map((event) => BigInt(event.seq));
    expect(seqs[0] < seqs[1] && seqs[1] < seqs[2]).toBe(true);
    expect(stored[0]).toEqual({
      ...c,
      occurredAt: '2026-03-02T09:30:00.000Z',
      seq: expect.stringMatching(/^\d+$/),
      detectedAt: expect.stringMatching(ISO),
    });
    expect(await stores.events.cursor(feed)).toBe('c1');

    // A restart re-reads the batch: nothing is stored twice, the new event is, the cursor moves.
    const d = absence();
    const again = await stores.events.recordBatch(feed, 'c2', [a, b, c, d, d]);
    expect(again.map((event) => event.key)).toEqual([d.key]);
    expect(BigInt(again[0].seq) > seqs[2]).toBe(true);
    expect(await stores.events.cursor(feed)).toBe('c2');
    expect(await stores.events.event(stored[1].seq)).toEqual(stored[1]);
    expect(await stores.events.event('999999999')).toBeNull();
  });

  it('records without a cursor (the daily sweeps), with the same de-duplication', async () => {
    const event = absence({ type: 'PEP_OVERDUE', category: 'PEP', facts: { dueOn: '2026-02-01' } });
    expect(await stores.events.record([event])).toHaveLength(1);
    expect(await stores.events.record([event])).toEqual([]);
    expect(await stores.events.record([])).toEqual([]);
  });

  it('stores nothing and keeps the cursor when any event in the batch is refused', async () => {
    const feed = `care-${unique()}`;
    await stores.events.recordBatch(feed, 'before', []);
    const good = absence();
    const attempt = stores.events.recordBatch(feed, 'after', [
      good,
      absence({ category: 'CARE' }), // not ABSENT_TODAY's category
    ]);
    await expect(attempt).rejects.toBeInstanceOf(StoreValidationError);
    await expect(attempt).rejects.toMatchObject({ fields: ['1.category'] });
    expect(await stores.events.cursor(feed)).toBe('before');
    expect(await stores.events.record([good])).toHaveLength(1);
  });

  it.each<[string, Partial<NewEvent>, string]>([
    ['a key over 200 characters', { key: 'k'.repeat(201) }, '0.key'],
    ['an unknown type', { type: 'BIRTHDAY' as NewEvent['type'] }, '0.type'],
    ['a bad child id', { childId: '12' }, '0.childId'],
    ['an empty audience', { audience: [] }, '0.audience'],
    ['an audience naming a teacher', { audience: ['teacher@100001'] }, '0.audience.0'],
    [
      'a nested fact',
      { facts: { nested: { a: 1 } } as unknown as NewEvent['facts'] },
      '0.facts.nested',
    ],
    ['a date without a zone', { occurredAt: '2026-03-02 09:30' }, '0.occurredAt'],
  ])('refuses %s, naming the field', async (_what, overrides, field) => {
    const attempt = stores.events.record([absence(overrides)]);
    await expect(attempt).rejects.toBeInstanceOf(StoreValidationError);
    await expect(attempt).rejects.toMatchObject({ fields: [field] });
  });

  describe('alerts', () => {
    // A world of its own: an audience no other test uses.
    const sw = `social-worker:SWA${process.pid}`;
    const officer = 'virtual-school-officer:VSO-ALERTS';
    let events: Awaited<ReturnType<Stores['events']['record']>>;

    beforeAll(async () => {
      events = await stores.events.record([
        absence({
          audience: [sw, officer],
          childId: '3100001',
          occurredAt: '2026-03-01T09:00:00Z',
        }),
        absence({
          type: 'PLACEMENT_MOVE',
          category: 'PLACEMENT',
          audience: [sw],
          childId: '3100002',
          urn: null,
          occurredAt: '2026-03-02T09:00:00Z',
          facts: { startDate: '2026-03-02' },
        }),
        absence({
          type: 'SUSPENSION',
          audience: [officer],
          childId: '3100001',
          occurredAt: '2026-03-03T09:00:00Z',
        }),
        absence({
          type: 'SCHOOL_WITHOUT_DESIGNATED_TEACHER',
          audience: ['virtual-school-head@340', officer],
          childId: null,
          urn: '100009',
          occurredAt: '2026-03-04T09:00:00Z',
          facts: { pupils: 3 },
        }),
      ]);
    });

    const keys = (rows: { seq: string }[]) =>
      rows.map((row) => events.findIndex((event) => event.seq === row.seq));

    it("answers only the caller's audience and categories, newest first", async () => {
      const mine = query({ audience: [sw], acknowledgedBy: 'SWA' });
      expect(keys(await stores.events.alerts(mine))).toEqual([1, 0]);
      expect(await stores.events.countAlerts(mine)).toBe(2);
      expect(keys(await stores.events.alerts({ ...mine, categories: ['EDU'] }))).toEqual([0]);
      expect(keys(await stores.events.alerts(query({ audience: [officer] })))).toEqual([3, 2, 0]);
      expect(keys(await stores.events.alerts(query({ audience: [sw, officer] })))).toEqual([
        3, 2, 1, 0,
      ]);
      expect(await stores.events.alerts(query({ audience: [] }))).toEqual([]);
      expect(await stores.events.alerts(query({ audience: [sw], categories: [] }))).toEqual([]);
      expect(await stores.events.countAlerts(query({ audience: ['social-worker:NOBODY'] }))).toBe(
        0,
      );
    });

    it('filters by type, child, since and until, and pages by seq', async () => {
      const all = query({ audience: [sw, officer] });
      expect(
        keys(await stores.events.alerts({ ...all, types: ['SUSPENSION', 'ABSENT_TODAY'] })),
      ).toEqual([2, 0]);
      expect(keys(await stores.events.alerts({ ...all, childIds: ['3100001'] }))).toEqual([2, 0]);
      expect(await stores.events.alerts({ ...all, childIds: [] })).toEqual([]);
      expect(keys(await stores.events.alerts({ ...all, until: '2026-03-03T09:00:00Z' }))).toEqual([
        1, 0,
      ]);
      expect(await stores.events.alerts({ ...all, since: '2999-01-01T00:00:00Z' })).toEqual([]);
      expect(keys(await stores.events.alerts({ ...all, since: events[0].detectedAt }))).toEqual([
        3, 2, 1, 0,
      ]);
      const first = await stores.events.alerts({ ...all, limit: 2 });
      expect(keys(first)).toEqual([3, 2]);
      const second = await stores.events.alerts({ ...all, limit: 2, beforeSeq: first[1].seq });
      expect(keys(second)).toEqual([1, 0]);
      expect(await stores.events.alerts({ ...all, beforeSeq: events[0].seq })).toEqual([]);
    });

    it('acknowledges once per person (the first stands) and filters by it', async () => {
      const all = query({ audience: [sw, officer], acknowledgedBy: 'VSO-ALERTS' });
      const at = new Date('2026-03-05T10:00:00.000Z');
      const ack = await stores.events.acknowledge(events[2].seq, 'VSO-ALERTS', at);
      expect(ack).toEqual({ by: 'VSO-ALERTS', at: '2026-03-05T10:00:00.000Z' });
      expect(await stores.events.acknowledge(events[2].seq, 'VSO-ALERTS')).toEqual(ack);
      // Someone else's acknowledgement is theirs, not the caller's.
      await stores.events.acknowledge(events[0].seq, 'SWA');

      const rows = await stores.events.alerts(all);
      expect(rows.map((row) => row.acknowledgement)).toEqual([null, ack, null, null]);
      expect(keys(await stores.events.alerts({ ...all, acknowledged: true }))).toEqual([2]);
      expect(keys(await stores.events.alerts({ ...all, acknowledged: false }))).toEqual([3, 1, 0]);
      expect(await stores.events.countAlerts({ ...all, acknowledged: true })).toBe(1);
      expect(await stores.events.countAlerts({ ...all, acknowledged: false })).toBe(3);
      await expect(stores.events.acknowledge('999999999', 'VSO-ALERTS')).rejects.toMatchObject({
        extensions: { code: 'NOT_FOUND' },
      });
    });

    it('refuses a malformed query, naming the field', async () => {
      await expect(stores.events.alerts(query({ beforeSeq: "1' OR 1=1" }))).rejects.toMatchObject({
        fields: ['beforeSeq'],
      });
      await expect(stores.events.alerts(query({ limit: 501 }))).rejects.toMatchObject({
        fields: ['limit'],
      });
    });
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE of events and acknowledgements', async () => {
    const [event] = await stores.events.record([absence()]);
    await stores.events.acknowledge(event.seq, 'SW100');
    const refused = '42501';
    expect(
      await sqlStateOf(
        stores.db.query(`UPDATE alert_event SET audience = '{x}' WHERE seq = $1`, [event.seq]),
      ),
    ).toBe(refused);
    expect(
      await sqlStateOf(stores.db.query('DELETE FROM alert_event WHERE seq = $1', [event.seq])),
    ).toBe(refused);
    expect(await sqlStateOf(stores.db.exec('TRUNCATE alert_event CASCADE'))).toBe(refused);
    expect(await sqlStateOf(stores.db.query(`UPDATE alert_acknowledgement SET ack_by = 'x'`))).toBe(
      refused,
    );
    expect(await sqlStateOf(stores.db.exec('DELETE FROM alert_acknowledgement'))).toBe(refused);
    expect(await stores.events.event(event.seq)).toEqual(event);
  });

  it('gives concurrent writers gap-free visibility: seq is committed in order', async () => {
    // Many batches at once (several connections on PostgreSQL): every stored seq is unique and
    // each batch's events are consecutive in the order given.
    const batches = Array.from({ length: 8 }, () => [absence(), absence(), absence()]);
    const results = await Promise.all(
      batches.map((batch, i) => stores.events.recordBatch(`concurrent-${i}`, String(i), batch)),
    );
    results.forEach((stored, i) => {
      expect(stored.map((event) => event.key)).toEqual(batches[i].map((event) => event.key));
      const seqs = stored.map((event) => Number(event.seq));
      expect(seqs).toEqual([seqs[0], seqs[0] + 1, seqs[0] + 2]);
    });
  });
});
