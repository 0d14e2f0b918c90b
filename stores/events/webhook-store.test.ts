import { StoreValidationError } from '../errors';
import type { Stores } from '../open-stores';
import { sqlStateOf, testDatabases } from '../testing/databases';
import { testEvent, testSubscription } from './testing';

const URL_A = 'https://receiver.example/hooks/a';
const LEASE = 60_000;

describe.each(testDatabases)('WebhookStore on $name', (target) => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await target.openStores();
  });
  afterAll(() => stores?.close());
  // Fan-out and claims span every subscription in the database: each test's end disables
  // its own, and a new subscription starts after the events already stored.
  afterEach(async () => {
    for (const sub of await stores.webhooks.activeSubscriptions()) {
      await stores.webhooks.disableSubscription(sub.id, 'TEST', { la: sub.ownerLa });
    }
  });

  const at = (iso: string) => new Date(iso);
  const T0 = at('2026-03-02T10:00:00.000Z');
  const plus = (ms: number) => new Date(T0.getTime() + ms);

  it('registers, lists, finds and disables subscriptions within scope', async () => {
    const mine = await stores.webhooks.createSubscription(
      testSubscription(URL_A, { description: 'Case system', types: ['SUSPENSION'] }),
    );
    expect(mine).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ownerSub: 'VSO1',
      types: ['SUSPENSION'],
      description: 'Case system',
      disabledAt: null,
      disabledBy: null,
    });
    const other = await stores.webhooks.createSubscription(
      testSubscription(URL_A, { ownerSub: 'VSO2', ownerLa: '341' }),
    );
    expect(await stores.webhooks.subscriptionsOf('VSO1')).toEqual([mine]);
    expect(await stores.webhooks.subscription(mine.id)).toEqual(mine);
    expect(await stores.webhooks.subscription('not-a-uuid')).toBeNull();
    expect((await stores.webhooks.activeSubscriptions()).map((s) => s.id)).toEqual([
      mine.id,
      other.id,
    ]);

    // Not the owner, not the LA's head: nothing happens.
    expect(
      await stores.webhooks.disableSubscription(other.id, 'VSO1', { ownerSub: 'VSO1' }),
    ).toBeNull();
    expect(await stores.webhooks.disableSubscription(other.id, 'H340', { la: '340' })).toBeNull();
    // A head of the owner's LA may.
    const disabled = await stores.webhooks.disableSubscription(other.id, 'H341', { la: '341' });
    expect(disabled).toMatchObject({ disabledAt: expect.any(String), disabledBy: 'H341' });
    expect(await stores.webhooks.disableSubscription(other.id, 'H341', { la: '341' })).toBeNull();
    expect(
      (await stores.webhooks.disableSubscription(mine.id, 'VSO1', { ownerSub: 'VSO1' }))
        ?.disabledBy,
    ).toBe('VSO1');
    expect(await stores.webhooks.activeSubscriptions()).toEqual([]);
    await expect(stores.webhooks.disableSubscription(mine.id, 'VSO1', {})).rejects.toBeInstanceOf(
      StoreValidationError,
    );
  });

  it.each([
    ['a URL with credentials', { url: 'https://user:pw@receiver.example/' }, 'url'],
    ['a non-http URL', { url: 'ftp://receiver.example/' }, 'url'],
    ['no audience', { audience: [] }, 'audience'],
    ['no categories', { categories: [] }, 'categories'],
    ['an unknown type', { types: ['BIRTHDAY'] }, 'types.0'],
  ])('refuses a subscription with %s', async (_what, overrides, field) => {
    const attempt = stores.webhooks.createSubscription({
      ...testSubscription(URL_A),
      ...(overrides as object),
    });
    await expect(attempt).rejects.toMatchObject({ fields: [field] });
  });

  it('fans out only new events its owner hears of, once, with the documented payload', async () => {
    const [history] = await stores.events.record([testEvent()]);
    const sub = await stores.webhooks.createSubscription(testSubscription(URL_A));
    const suspensionsOnly = await stores.webhooks.createSubscription(
      testSubscription(URL_A, { types: ['SUSPENSION'] }),
    );
    const stored = await stores.events.record([
      testEvent({ facts: { date: '2026-03-02', session: 'PM', code: 'O' } }),
      testEvent({ audience: ['social-worker:SW1'] }), // not the officer's
      testEvent({ type: 'SUSPENSION', childId: '1000002' }),
      testEvent({
        type: 'SCHOOL_WITHOUT_DESIGNATED_TEACHER',
        childId: null,
        urn: '100009',
        facts: { pupils: 2 },
      }),
      testEvent({ type: 'PLACEMENT_MOVE', category: 'PLACEMENT', urn: null, facts: {} }),
    ]);
    expect(await stores.webhooks.fanOut(1000, T0)).toBe(5);
    expect(await stores.webhooks.fanOut(1000, T0)).toBe(0);

    const deliveries = await stores.webhooks.deliveriesOf(sub.id);
    expect(deliveries.map((d) => d.eventSeq)).toEqual(
      [stored[0], stored[2], stored[3], stored[4]].map((e) => e.seq),
    );
    expect(deliveries.map((d) => d.eventSeq)).not.toContain(history.seq);
    const first = deliveries[0];
    expect(first).toMatchObject({
      subscriptionId: sub.id,
      eventType: 'ABSENT_TODAY',
      idempotencyKey: `evt_${stored[0].seq}`,
      status: 'PENDING',
      attempts: 0,
      nextAttemptAt: T0.toISOString(),
      createdAt: T0.toISOString(),
      lastError: null,
    });
    expect(JSON.parse(first.payload)).toEqual({
      id: `evt_${stored[0].seq}`,
      type: 'ABSENT_TODAY',
      occurredAt: '2026-03-02T09:30:00.000Z',
      detectedAt: stored[0].detectedAt,
      category: 'EDU',
      child: { id: '1000001' },
      school: { urn: '100001' },
      facts: { date: '2026-03-02', session: 'PM', code: 'O' },
    });
    expect(Object.keys(JSON.parse(first.payload))).toEqual([
      'id',
      'type',
      'occurredAt',
      'detectedAt',
      'category',
      'child',
      'school',
      'facts',
    ]);
    expect(JSON.parse(deliveries[2].payload)).toMatchObject({
      child: null,
      school: { urn: '100009' },
    });
    expect(JSON.parse(deliveries[3].payload)).toMatchObject({ school: null });

    // Only its types; the same key as the other subscription's delivery of the event.
    const suspensions = await stores.webhooks.deliveriesOf(suspensionsOnly.id);
    expect(suspensions.map((d) => d.idempotencyKey)).toEqual([`evt_${stored[2].seq}`]);
    expect(suspensions[0].idempotencyKey).toBe(deliveries[1].idempotencyKey);
  });

  it('fans out only the categories the owner reads, in chunks, and not to a disabled subscription', async () => {
    const sub = await stores.webhooks.createSubscription(
      testSubscription(URL_A, { categories: ['PEP'] }),
    );
    const off = await stores.webhooks.createSubscription(testSubscription(URL_A));
    await stores.webhooks.disableSubscription(off.id, 'VSO1', { ownerSub: 'VSO1' });
    const stored = await stores.events.record([
      testEvent(),
      testEvent({ type: 'PEP_OVERDUE', category: 'PEP', facts: { dueOn: '2026-02-01' } }),
      testEvent({ type: 'PEP_DUE_SOON', category: 'PEP', facts: { dueOn: '2026-03-10' } }),
    ]);
    expect(await stores.webhooks.fanOut(2, T0)).toBe(1);
    expect(await stores.webhooks.fanOut(2, T0)).toBe(1);
    expect(await stores.webhooks.fanOut(2, T0)).toBe(0);
    expect((await stores.webhooks.deliveriesOf(sub.id)).map((d) => d.eventSeq)).toEqual([
      stored[1].seq,
      stored[2].seq,
    ]);
    expect(await stores.webhooks.deliveriesOf(off.id)).toEqual([]);
  });

  it('claims only the head of each line, only when due, and leases it', async () => {
    const a = await stores.webhooks.createSubscription(testSubscription(URL_A));
    const b = await stores.webhooks.createSubscription(testSubscription(URL_A));
    await stores.events.record([testEvent(), testEvent()]);
    await stores.webhooks.fanOut(1000, T0);
    const [a1, a2] = await stores.webhooks.deliveriesOf(a.id);
    const [b1] = await stores.webhooks.deliveriesOf(b.id);

    expect(await stores.webhooks.nextDue(plus(-1), 10, plus(LEASE))).toEqual([]);
    const claimed = await stores.webhooks.nextDue(T0, 10, plus(LEASE));
    expect(claimed.map((d) => d.id).sort()).toEqual([a1.id, b1.id].sort());
    expect(claimed[0]).toMatchObject({ url: URL_A, nextAttemptAt: plus(LEASE).toISOString() });
    // Leased: neither is due again, and the next in line waits behind its head.
    expect(await stores.webhooks.nextDue(plus(1000), 10, plus(LEASE))).toEqual([]);

    expect(await stores.webhooks.markDelivered(a1.id, 204, plus(10))).toBe(true);
    expect(await stores.webhooks.markDelivered(a1.id, 204, plus(10))).toBe(false);
    expect(await stores.webhooks.markRetry(b1.id, plus(5000), 'HTTP 503', 503)).toBe(true);
    expect(await stores.webhooks.delivery(a1.id)).toMatchObject({
      status: 'DELIVERED',
      attempts: 1,
      lastStatus: 204,
      deliveredAt: plus(10).toISOString(),
    });
    expect(await stores.webhooks.delivery(b1.id)).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      lastError: 'HTTP 503',
      lastStatus: 503,
      nextAttemptAt: plus(5000).toISOString(),
    });
    // a's next proceeds; b's head is not due until its retry time, and its second waits.
    expect((await stores.webhooks.nextDue(plus(20), 10, plus(LEASE))).map((d) => d.id)).toEqual([
      a2.id,
    ]);
    expect((await stores.webhooks.nextDue(plus(5000), 10, plus(LEASE))).map((d) => d.id)).toEqual([
      b1.id,
    ]);
    // A lease that ran out (the dispatcher died): due again, at least once.
    expect(
      (await stores.webhooks.nextDue(plus(LEASE), 10, plus(2 * LEASE))).map((d) => d.id).sort(),
    ).toEqual([a2.id, b1.id].sort());
  });

  it('lets the next in line proceed past a dead one, lists it and redelivers it within scope', async () => {
    const sub = await stores.webhooks.createSubscription(testSubscription(URL_A));
    await stores.events.record([testEvent(), testEvent()]);
    await stores.webhooks.fanOut(1000, T0);
    const [first, second] = await stores.webhooks.deliveriesOf(sub.id);
    await stores.webhooks.nextDue(T0, 10, plus(LEASE));
    expect(await stores.webhooks.markDead(first.id, `HTTP 500 ${'x'.repeat(300)}`, 500)).toBe(true);
    expect((await stores.webhooks.nextDue(T0, 10, plus(LEASE))).map((d) => d.id)).toEqual([
      second.id,
    ]);

    const [dead] = await stores.webhooks.deadLetters({ la: '340' });
    expect(dead).toMatchObject({
      id: first.id,
      status: 'DEAD',
      ownerSub: 'VSO1',
      ownerLa: '340',
      lastStatus: 500,
    });
    expect(dead.lastError).toHaveLength(200);
    expect(await stores.webhooks.deadLetters({ ownerSub: 'VSO1' })).toHaveLength(1);
    expect(await stores.webhooks.deadLetters({ la: '341' })).toEqual([]);
    expect(await stores.webhooks.deadLetters({ ownerSub: 'VSO2' })).toEqual([]);
    expect(await stores.webhooks.deadLetters()).toHaveLength(1);

    expect(await stores.webhooks.redeliver(first.id, 'H341', { la: '341' })).toBeNull();
    expect(await stores.webhooks.redeliver(second.id, 'H340', { la: '340' })).toBeNull(); // not dead
    const again = await stores.webhooks.redeliver(first.id, 'H340', { la: '340' }, plus(60_000));
    expect(again).toMatchObject({
      status: 'PENDING',
      attempts: 0,
      idempotencyKey: first.idempotencyKey,
      payload: first.payload,
      nextAttemptAt: plus(60_000).toISOString(),
      redeliveredAt: plus(60_000).toISOString(),
      redeliveredBy: 'H340',
    });
    expect(await stores.webhooks.deadLetters({ la: '340' })).toEqual([]);
  });

  it('queues a digest once per key, only for a subscription that asked for digests', async () => {
    const digests = await stores.webhooks.createSubscription(
      testSubscription(URL_A, { digest: true }),
    );
    const plain = await stores.webhooks.createSubscription(testSubscription(URL_A));
    const payload = { date: '2026-03-02', changes: 3 };
    const queued = await stores.webhooks.enqueueDigest(
      digests.id,
      'digest_2026-03-02',
      payload,
      T0,
    );
    expect(queued).toMatchObject({
      eventSeq: null,
      eventType: 'DAILY_DIGEST',
      idempotencyKey: 'digest_2026-03-02',
    });
    expect(JSON.parse(queued!.payload)).toEqual({
      ...payload,
      id: 'digest_2026-03-02',
      type: 'DAILY_DIGEST',
    });
    expect(
      await stores.webhooks.enqueueDigest(digests.id, 'digest_2026-03-02', payload, T0),
    ).toBeNull();
    expect(
      await stores.webhooks.enqueueDigest(plain.id, 'digest_2026-03-02', payload, T0),
    ).toBeNull();
    expect(await stores.webhooks.deliveriesOf(digests.id)).toHaveLength(1);
  });

  it('refuses to delete deliveries or subscriptions, and to change what a delivery sends', async () => {
    const sub = await stores.webhooks.createSubscription(testSubscription(URL_A));
    await stores.events.record([testEvent()]);
    await stores.webhooks.fanOut(1000, T0);
    expect(await sqlStateOf(stores.db.exec('DELETE FROM webhook_delivery'))).toBe('42501');
    expect(await sqlStateOf(stores.db.exec('DELETE FROM webhook_subscription'))).toBe('42501');
    expect(await sqlStateOf(stores.db.exec('TRUNCATE webhook_delivery'))).toBe('42501');
    expect(await stores.webhooks.deliveriesOf(sub.id)).toHaveLength(1);
  });

  it('never lets two dispatchers claim one line at once', async () => {
    const subs = await Promise.all(
      Array.from({ length: 6 }, () => stores.webhooks.createSubscription(testSubscription(URL_A))),
    );
    await stores.events.record(Array.from({ length: 3 }, () => testEvent()));
    // Two fan-outs at once make each delivery once.
    const made = await Promise.all([
      stores.webhooks.fanOut(1000, T0),
      stores.webhooks.fanOut(1000, T0),
    ]);
    expect(made[0] + made[1]).toBe(18);
    const claims = await Promise.all(
      Array.from({ length: 6 }, () => stores.webhooks.nextDue(T0, 2, plus(LEASE))),
    );
    // A claimer that lost a race claims fewer (SKIP LOCKED, then the lease); what is left
    // is claimed afterwards: every line exactly once, each by its head.
    claims.push(await stores.webhooks.nextDue(T0, 10, plus(LEASE)));
    const ids = claims.flat().map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const lines = claims.flat().map((d) => d.subscriptionId);
    expect(lines.sort()).toEqual(subs.map((s) => s.id).sort());
    const heads = await Promise.all(subs.map((s) => stores.webhooks.deliveriesOf(s.id, 1)));
    expect(ids.sort()).toEqual(heads.map(([head]) => head.id).sort());
  });
});
