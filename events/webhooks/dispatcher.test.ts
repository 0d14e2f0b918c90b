/**
 * The dispatcher against a real HTTP receiver and a real store (PGlite in memory and the
 * machine's PostgreSQL). Time is injected: each `runOnce(now)` is a poll at `now`, so backoff
 * is stepped through without waiting for it.
 */
import type { StoredEvent } from '../types';
import type { Stores } from '../../stores/open-stores';
import { eventPayload } from '../../stores/events/webhook-store';
import { testEvent, testSubscription } from '../../stores/events/testing';
import { testDatabases } from '../../stores/testing/databases';
import { loadWebhookConfig, type WebhookConfig } from './config';
import { backoffMs, WebhookDispatcher, type WebhookDispatcherOptions } from './dispatcher';
import { subscriptionSecret } from './signature';
import { TestReceiver, type Respond } from './test-receiver';

const KEY = 'a-test-master-key-of-forty-characters-xx';
const MINUTE = 60_000;

const frozenClock = (): (() => number) => {
  const at = Date.now();
  return () => at;
};

const config = (overrides: Partial<WebhookConfig> = {}): WebhookConfig => ({
  ...loadWebhookConfig({ WEBHOOK_SIGNING_KEY: KEY }),
  timeoutMs: 2_000,
  ...overrides,
});

describe('backoffMs', () => {
  const schedule = { baseBackoffMs: 1_000, maxBackoffMs: 300_000 };
  it('doubles the ceiling with each attempt up to the maximum, the wait random below it', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 9, 10, 60, 5_000].map((n) => backoffMs(n, schedule, top))).toEqual([
      999, 1_999, 3_999, 7_999, 255_999, 299_999, 299_999, 299_999,
    ]);
    expect(backoffMs(3, schedule, () => 0.5)).toBe(2_000);
    // Never zero: a retry is never due in the poll that failed it.
    expect(backoffMs(1, schedule, () => 0)).toBe(1);
  });
});

describe.each(testDatabases)('WebhookDispatcher on $name', (target) => {
  let stores: Stores;
  const receivers: TestReceiver[] = [];
  /** The secret each receiver path checks with (one subscription per path). */
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    stores = await target.openStores();
  });
  afterAll(() => stores?.close());
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.stop()));
    // Fan-out and claims span the database: each test's subscriptions end with it.
    for (const sub of await stores.webhooks.activeSubscriptions()) {
      await stores.webhooks.disableSubscription(sub.id, 'TEST', { la: sub.ownerLa });
    }
    secrets.clear();
  });

  const receiver = async (respond?: Respond) => {
    const r = new TestReceiver({ secretFor: (path) => secrets.get(path) ?? null, respond });
    receivers.push(r);
    await r.start();
    return r;
  };

  /** A subscription delivering to `url`; the receiver at its path checks with its secret. */
  const subscribe = async (url: string) => {
    const sub = await stores.webhooks.createSubscription(testSubscription(url));
    secrets.set(new URL(url).pathname, subscriptionSecret(KEY, sub.id));
    return sub;
  };

  const dispatcher = (
    overrides: Partial<WebhookConfig> = {},
    options: Partial<WebhookDispatcherOptions> = {},
  ) =>
    new WebhookDispatcher({
      store: stores.webhooks,
      config: config(overrides),
      // Deterministic: a run's `now` does not move while it sends (so a short wait cannot
      // fall due again within the run), and the jitter is the middle of its range.
      clock: frozenClock(),
      random: () => 0.5,
      ...options,
    });

  const keyOf = (event: StoredEvent) => `evt_${event.seq}`;

  it('delivers an event once, signed, with the idempotency key and type headers', async () => {
    const r = await receiver();
    const sub = await subscribe(r.url('/once'));
    const [event] = await stores.events.record([testEvent()]);
    const d = dispatcher();

    expect(await d.runOnce()).toEqual({ fannedOut: 1, delivered: 1, retried: 0, dead: 0 });
    expect(await d.runOnce()).toEqual({ fannedOut: 0, delivered: 0, retried: 0, dead: 0 });
    expect(r.receipts).toHaveLength(1);
    const [receipt] = r.receipts;
    expect(receipt).toMatchObject({
      path: '/once',
      key: keyOf(event),
      type: 'ABSENT_TODAY',
      verified: { ok: true },
    });
    expect(JSON.parse(receipt.body)).toEqual(eventPayload(event));
    const [delivery] = await stores.webhooks.deliveriesOf(sub.id);
    expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 1, lastStatus: 200 });
  });

  it('retries a failing receiver with the same key and growing backoff; later events wait', async () => {
    let failures = 3;
    const r = await receiver(() => (failures-- > 0 ? 500 : 200));
    const sub = await subscribe(r.url('/flaky'));
    const events = await stores.events.record([testEvent(), testEvent(), testEvent()]);
    const frozen = Date.now();
    const d = dispatcher({}, { clock: () => frozen });
    const T = new Date(frozen);
    const at = (ms: number) => new Date(T.getTime() + ms);
    const head = async () => (await stores.webhooks.deliveriesOf(sub.id))[0];

    const waits: number[] = [];
    let now = 0;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect(await d.runOnce(at(now))).toMatchObject({ retried: 1, delivered: 0 });
      const next = Date.parse((await head()).nextAttemptAt) - T.getTime();
      waits.push(next - now);
      // Not due a millisecond early: nothing is sent.
      expect(await d.runOnce(at(next - 1))).toMatchObject({ retried: 0, delivered: 0 });
      now = next;
    }
    expect(waits).toEqual([500, 1_000, 2_000]);
    expect(await d.runOnce(at(now))).toMatchObject({ retried: 0, delivered: 3 });

    expect(r.receipts.map((x) => x.key)).toEqual([
      ...Array(4).fill(keyOf(events[0])),
      keyOf(events[1]),
      keyOf(events[2]),
    ]);
    expect(r.receipts.map((x) => x.status)).toEqual([500, 500, 500, 200, 200, 200]);
    expect(r.receipts.every((x) => x.verified.ok)).toBe(true);
    // Every attempt carries the same body; only the signature's timestamp may differ.
    expect(new Set(r.receipts.slice(0, 4).map((x) => x.body)).size).toBe(1);
    expect(await head()).toMatchObject({ status: 'DELIVERED', attempts: 4, lastError: 'HTTP 500' });
  });

  it('gets everything once and in order to a receiver down for an hour (default schedule)', async () => {
    const probe = await receiver();
    const port = probe.port;
    await probe.stop();
    const url = `http://127.0.0.1:${port}/down`;
    const sub = await subscribe(url);
    const events = await stores.events.record(Array.from({ length: 5 }, () => testEvent()));
    const d = dispatcher({ timeoutMs: 10_000 });
    const T = Date.now();

    // Polled every minute for an hour while nothing listens.
    let attempts = 0;
    for (let minute = 0; minute < 60; minute += 1) {
      const summary = await d.runOnce(new Date(T + minute * MINUTE));
      expect(summary).toMatchObject({ delivered: 0, dead: 0 });
      attempts += summary.retried;
    }
    const [head] = await stores.webhooks.deliveriesOf(sub.id);
    expect(head).toMatchObject({
      status: 'PENDING',
      attempts,
      lastError: 'ECONNREFUSED',
      lastStatus: null,
    });
    expect(attempts).toBeGreaterThan(5);

    const back = new TestReceiver({ secretFor: (path) => secrets.get(path) ?? null, port });
    receivers.push(back);
    await back.start();
    expect(await d.runOnce(new Date(T + 65 * MINUTE))).toMatchObject({ delivered: 5, dead: 0 });
    expect(back.accepted).toEqual(events.map((event) => `/down ${keyOf(event)}`));
    expect(back.receipts).toHaveLength(5);
    expect(back.receipts.every((x) => x.verified.ok)).toBe(true);
  });

  it('makes a delivery dead after the last attempt, proceeds with the next, and redelivers it', async () => {
    let refuse = true;
    const r = await receiver((receipt) => (refuse && receipt.key === firstKey ? 500 : 200));
    const sub = await subscribe(r.url('/dead'));
    const events = await stores.events.record([testEvent(), testEvent()]);
    const firstKey = keyOf(events[0]);
    const d = dispatcher({ maxAttempts: 3 });
    const T = Date.now();

    expect(await d.runOnce(new Date(T))).toMatchObject({ retried: 1 });
    expect(await d.runOnce(new Date(T + 10 * MINUTE))).toMatchObject({ retried: 1 });
    expect(await d.runOnce(new Date(T + 20 * MINUTE))).toMatchObject({ dead: 1, delivered: 1 });
    expect(r.receipts.map((x) => x.key)).toEqual([firstKey, firstKey, firstKey, keyOf(events[1])]);

    const letters = await stores.webhooks.deadLetters({ la: '340' });
    expect(letters.map((x) => x.idempotencyKey)).toEqual([firstKey]);
    // A status, never the response body ("internal detail").
    expect(letters[0]).toMatchObject({
      attempts: 3,
      lastError: 'HTTP 500',
      lastStatus: 500,
      subscriptionId: sub.id,
    });

    refuse = false;
    const again = await stores.webhooks.redeliver(
      letters[0].id,
      'H340',
      { la: '340' },
      new Date(T + 30 * MINUTE),
    );
    expect(again).not.toBeNull();
    expect(await d.runOnce(new Date(T + 30 * MINUTE))).toMatchObject({ delivered: 1 });
    expect(r.receipts.at(-1)).toMatchObject({ key: firstKey, status: 200, verified: { ok: true } });
    expect(r.accepted).toEqual([`/dead ${keyOf(events[1])}`, `/dead ${firstKey}`]);
    expect(await stores.webhooks.deadLetters({ la: '340' })).toEqual([]);
  });

  it('makes a delivery dead once it is older than the maximum age', async () => {
    const r = await receiver(() => 503);
    await subscribe(r.url('/old'));
    await stores.events.record([testEvent()]);
    const d = dispatcher({ maxAgeMs: MINUTE });
    const T = Date.now();
    expect(await d.runOnce(new Date(T))).toMatchObject({ retried: 1, dead: 0 });
    expect(await d.runOnce(new Date(T + 2 * MINUTE))).toMatchObject({ retried: 0, dead: 1 });
    expect(r.receipts).toHaveLength(2);
  });

  it('follows no redirect, gives up on a slow receiver and stores no response body', async () => {
    const r = await receiver(async (receipt) => {
      if (receipt.path === '/redirect') return 302;
      if (receipt.path === '/slow') await new Promise((resolve) => setTimeout(resolve, 500));
      return 500;
    });
    const redirect = await subscribe(r.url('/redirect'));
    const slow = await subscribe(r.url('/slow'));
    const failing = await subscribe(r.url('/failing'));
    await stores.events.record([testEvent()]);
    expect(await dispatcher({ timeoutMs: 100 }).runOnce()).toMatchObject({ retried: 3 });
    const last = async (id: string) => (await stores.webhooks.deliveriesOf(id))[0];
    expect(await last(redirect.id)).toMatchObject({ lastError: 'HTTP 302', lastStatus: 302 });
    expect(await last(slow.id)).toMatchObject({ lastError: 'TIMEOUT', lastStatus: null });
    expect(await last(failing.id)).toMatchObject({ lastError: 'HTTP 500', lastStatus: 500 });
    expect(r.receipts.filter((x) => x.path === '/redirect')).toHaveLength(1);
  });

  it('sends nothing to a plain http URL when https is required (production)', async () => {
    const r = await receiver();
    const sub = await subscribe(r.url('/plain'));
    await stores.events.record([testEvent()]);
    expect(await dispatcher({ requireHttps: true }).runOnce()).toMatchObject({
      dead: 1,
      delivered: 0,
    });
    expect(r.receipts).toEqual([]);
    expect((await stores.webhooks.deliveriesOf(sub.id))[0].lastError).toBe(
      'URL refused: not https (required in production)',
    );
  });

  it('never sends one delivery twice, nor two of one line at once, with two dispatchers running', async () => {
    const r = await receiver(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 200;
    });
    const paths = ['/two-a', '/two-b', '/two-c'];
    for (const path of paths) await subscribe(r.url(path));
    const events = await stores.events.record(Array.from({ length: 10 }, () => testEvent()));
    const one = dispatcher({}, { batchSize: 2 });
    const two = dispatcher({}, { batchSize: 2 });

    const summaries = await Promise.all([
      one.runOnce(),
      two.runOnce(),
      one.runOnce(),
      two.runOnce(),
    ]);
    const rest = await one.runOnce();
    const delivered = [...summaries, rest].reduce((sum, s) => sum + s.delivered, 0);
    expect(delivered).toBe(30);
    expect(r.receipts).toHaveLength(30);
    expect(r.maxInFlightPerPath).toBe(1);
    for (const path of paths) {
      expect(r.receipts.filter((x) => x.path === path).map((x) => x.key)).toEqual(
        events.map(keyOf),
      );
    }
  });

  it('delivers on its own once started, and stops', async () => {
    let arrived: () => void = () => undefined;
    const received = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const r = await receiver(() => {
      arrived();
      return 200;
    });
    await subscribe(r.url('/loop'));
    const d = dispatcher({ pollMs: 20 });
    d.start();
    try {
      await stores.events.record([testEvent()]);
      await received;
    } finally {
      await d.stop();
    }
    expect(r.receipts.map((x) => x.verified.ok)).toEqual([true]);
  });
});
