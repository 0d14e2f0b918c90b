/**
 * Webhook subscriptions and their deliveries (issue 13): at least once, in order per
 * subscription, from the outbox.
 *
 * - `fanOut` turns the events after a subscription's `last_fanned_seq` that its owner may
 *   hear of into PENDING deliveries, and moves `last_fanned_seq`, in one transaction per
 *   subscription (its row locked, so two dispatchers never fan one out twice; the unique
 *   (subscription, idempotency key) holds besides).
 * - `nextDue` claims, per subscription, only the oldest PENDING delivery (the head of its
 *   line) and only when due, by moving its `next_attempt_at` to a lease: the subscription's
 *   row is locked `FOR UPDATE SKIP LOCKED` while claiming, so two dispatchers (two replicas)
 *   never claim one line at once, and the lease keeps the claimed delivery from being due
 *   while it is being sent. A dispatcher that dies mid-send leaves the lease to expire: the
 *   delivery is sent again (at least once; the receiver deduplicates by the idempotency key).
 * - `markDelivered`, `markRetry`, `markDead` record an attempt's outcome; a DEAD delivery
 *   stops blocking its line and stays listed (`deadLetters`) until `redeliver` puts it back.
 *
 * No secret is stored: signing secrets are derived from the subscription id
 * (`events/webhooks/signature.ts`).
 */
import { z } from 'zod';
import type { StoredEvent } from '../../events/types';
import type { Database, Queryable } from '../database';
import { parseInput, StoreValidationError } from '../errors';
import { isoSql } from '../sql';
import { principalId } from '../validation';
import { OUTBOX_READ_LOCK } from './event-store';
import {
  DIGEST_EVENT_TYPE,
  type ClaimedDelivery,
  type DeadLetter,
  type Delivery,
  type DeliveryEventType,
  type DeliveryStatus,
  type WebhookScope,
  type WebhookSubscription,
  type WebhookSubscriptionInput,
} from './types';
import { bigintId, subscriptionInput, uuid } from './validation';
import { LA_CODE } from '../../domain/identifiers';

export type {
  ClaimedDelivery,
  DeadLetter,
  Delivery,
  DeliveryStatus,
  WebhookScope,
  WebhookSubscription,
  WebhookSubscriptionInput,
} from './types';

/** The JSON body of an event delivery, exactly as sent (and documented for receivers). */
export interface WebhookEventPayload {
  /** The idempotency key: `evt_<seq>`, the same for every subscription and every attempt. */
  id: string;
  type: StoredEvent['type'];
  occurredAt: string;
  detectedAt: string;
  category: StoredEvent['category'];
  child: { id: string } | null;
  school: { urn: string } | null;
  facts: StoredEvent['facts'];
}

/** The idempotency key of an event's deliveries. */
export const eventIdempotencyKey = (seq: string): string => `evt_${seq}`;

/** The body sent for an event: what `fanOut` stores, built in one place. */
export function eventPayload(event: Omit<StoredEvent, 'key' | 'audience'>): WebhookEventPayload {
  return {
    id: eventIdempotencyKey(event.seq),
    type: event.type,
    occurredAt: event.occurredAt,
    detectedAt: event.detectedAt,
    category: event.category,
    child: event.childId === null ? null : { id: event.childId },
    school: event.urn === null ? null : { urn: event.urn },
    facts: event.facts,
  };
}

const FAN_OUT_LIMIT = 1_000;
const MAX_PAYLOAD = 1_000_000;
/** Sanitised error texts only: the column holds 200 characters. */
const MAX_ERROR = 200;

const scope = z
  .object({ ownerSub: principalId.optional(), la: z.string().regex(LA_CODE).optional() })
  .strict();
const requiredScope = scope.refine((s) => s.ownerSub !== undefined || s.la !== undefined, {
  message: 'an owner or an LA',
  path: ['ownerSub'],
});
const limit = (max: number) => z.number().int().min(1).max(max);
const idempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/);
const httpStatus = z.number().int().min(100).max(599).nullable();
const errorText = z.string().min(1);

interface SubscriptionRow {
  id: string;
  owner_sub: string;
  owner_roles: string[];
  owner_la: string;
  owner_urns: string[];
  audience: string[];
  categories: string[];
  url: string;
  types: string[];
  digest: boolean;
  description: string | null;
  created_at: string;
  disabled_at: string | null;
  disabled_by: string | null;
}

const SUBSCRIPTION_COLUMNS = `s.id::text AS id, s.owner_sub, s.owner_roles, s.owner_la, s.owner_urns,
  s.audience, s.categories, s.url, s.types, s.digest, s.description,
  ${isoSql('s.created_at')} AS created_at, ${isoSql('s.disabled_at')} AS disabled_at, s.disabled_by`;

interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_seq: string | null;
  event_type: DeliveryEventType;
  idempotency_key: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  last_status: number | null;
  created_at: string;
  delivered_at: string | null;
  redelivered_at: string | null;
  redelivered_by: string | null;
}

const DELIVERY_COLUMNS = `d.id::text AS id, d.subscription_id::text AS subscription_id,
  d.event_seq::text AS event_seq, d.event_type, d.idempotency_key, d.payload, d.status,
  d.attempts, ${isoSql('d.next_attempt_at')} AS next_attempt_at, d.last_error, d.last_status,
  ${isoSql('d.created_at')} AS created_at, ${isoSql('d.delivered_at')} AS delivered_at,
  ${isoSql('d.redelivered_at')} AS redelivered_at, d.redelivered_by`;

export class WebhookStore {
  constructor(private readonly db: Database) {}

  /**
   * Registers a subscription. It hears of events stored from now on, not of the history:
   * `last_fanned_seq` starts at the newest event (read under the outbox's lock, so an event
   * being written now is either before it or fanned out to it).
   */
  async createSubscription(input: WebhookSubscriptionInput): Promise<WebhookSubscription> {
    const valid = parseInput(subscriptionInput, input, 'webhook subscription');
    return this.db.transaction(async (tx) => {
      await tx.query(OUTBOX_READ_LOCK);
      const { rows } = await tx.query<SubscriptionRow>(
        `INSERT INTO webhook_subscription AS s
           (owner_sub, owner_roles, owner_la, owner_urns, audience, categories, url, types,
            digest, description, last_fanned_seq)
         VALUES ($1, $2::text[], $3, $4::text[], $5::text[], $6::text[], $7, $8::text[], $9, $10,
                 (SELECT coalesce(max(seq), 0) FROM alert_event))
         RETURNING ${SUBSCRIPTION_COLUMNS}`,
        [
          valid.ownerSub,
          valid.ownerRoles,
          valid.ownerLa,
          valid.ownerUrns,
          [...new Set(valid.audience)],
          [...new Set(valid.categories)],
          valid.url,
          [...new Set(valid.types)],
          valid.digest,
          valid.description,
        ],
      );
      return toSubscription(rows[0]!);
    });
  }

  async subscription(id: string): Promise<WebhookSubscription | null> {
    if (!uuid.safeParse(id).success) return null;
    const { rows } = await this.db.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription s WHERE s.id = $1::uuid`,
      [id],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  /** An owner's subscriptions, active and disabled, oldest first. */
  async subscriptionsOf(ownerSub: string): Promise<WebhookSubscription[]> {
    const owner = parseInput(principalId, ownerSub, 'owner');
    const { rows } = await this.db.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription s
        WHERE s.owner_sub = $1 ORDER BY s.created_at, s.id`,
      [owner],
    );
    return rows.map(toSubscription);
  }

  /** Every active subscription, oldest first. */
  async activeSubscriptions(): Promise<WebhookSubscription[]> {
    const { rows } = await this.db.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription s
        WHERE s.disabled_at IS NULL ORDER BY s.created_at, s.id`,
    );
    return rows.map(toSubscription);
  }

  /**
   * Disables an active subscription of `scope` (its owner's, or any in the head's LA): no
   * more fan-out, its pending deliveries are no longer sent. Null when there is no such
   * active subscription in scope.
   */
  async disableSubscription(
    id: string,
    by: string,
    within: WebhookScope,
    at: Date = new Date(),
  ): Promise<WebhookSubscription | null> {
    const who = parseInput(principalId, by, 'actor');
    const valid = parseInput(requiredScope, within, 'scope');
    if (!uuid.safeParse(id).success) return null;
    const { rows } = await this.db.query<SubscriptionRow>(
      `UPDATE webhook_subscription s SET disabled_at = $2::timestamptz, disabled_by = $3
        WHERE s.id = $1::uuid AND s.disabled_at IS NULL
          AND ((s.owner_sub = $4) IS TRUE OR (s.owner_la = $5) IS TRUE)
        RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [id, at.toISOString(), who, valid.ownerSub ?? null, valid.la ?? null],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  /**
   * Makes deliveries of the events after each active subscription's `last_fanned_seq` that
   * it hears of (audience overlaps, category among its categories, type among its types or
   * any), looking at `limit` events per subscription per call. Returns how many it made.
   */
  async fanOut(limitPerSubscription = FAN_OUT_LIMIT, now: Date = new Date()): Promise<number> {
    const max = parseInput(limit(10_000), limitPerSubscription, 'fan-out limit');
    const { rows } = await this.db.query<{ id: string }>(
      // Only those behind the newest event: an idle poll is one cheap statement.
      `SELECT id::text AS id FROM webhook_subscription
        WHERE disabled_at IS NULL
          AND last_fanned_seq < (SELECT coalesce(max(seq), 0) FROM alert_event)
        ORDER BY id`,
    );
    let made = 0;
    for (const { id } of rows) {
      made += await this.db.transaction((tx) => fanOutOne(tx, id, max, now));
    }
    return made;
  }

  /**
   * Queues a digest for a subscription that asked for them (once per key: a second call with
   * the same key does nothing). The body is `{ id: key, type: 'DAILY_DIGEST', ...payload }`.
   * Null when the subscription is unknown, disabled or not for digests, or the key is taken.
   */
  async enqueueDigest(
    subscriptionId: string,
    key: string,
    payload: Readonly<Record<string, unknown>>,
    now: Date = new Date(),
  ): Promise<Delivery | null> {
    const validKey = parseInput(idempotencyKey, key, 'digest key');
    if (!uuid.safeParse(subscriptionId).success) return null;
    const body = JSON.stringify({ ...payload, id: validKey, type: DIGEST_EVENT_TYPE });
    if (body.length > MAX_PAYLOAD) throw new StoreValidationError('digest', ['payload']);
    const { rows } = await this.db.query<DeliveryRow>(
      `INSERT INTO webhook_delivery AS d
         (subscription_id, event_seq, event_type, idempotency_key, payload, next_attempt_at, created_at)
       SELECT s.id, NULL, $2, $3, $4, $5::timestamptz, $5::timestamptz
         FROM webhook_subscription s
        WHERE s.id = $1::uuid AND s.disabled_at IS NULL AND s.digest
       ON CONFLICT (subscription_id, idempotency_key) DO NOTHING
       RETURNING ${DELIVERY_COLUMNS}`,
      [subscriptionId, DIGEST_EVENT_TYPE, validKey, body, now.toISOString()],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  /**
   * Claims up to `max` deliveries to send now: per active subscription only its oldest
   * PENDING delivery, and only if due at `now`. Each claimed delivery's `next_attempt_at`
   * becomes `leaseUntil`, so it is not due again (to this dispatcher or another) while it is
   * sent; record the outcome with markDelivered, markRetry or markDead.
   */
  async nextDue(now: Date, max: number, leaseUntil: Date): Promise<ClaimedDelivery[]> {
    const validMax = parseInput(limit(1_000), max, 'limit');
    return this.db.transaction(async (tx) => {
      // Locks the lines to claim from; a line another dispatcher is claiming is skipped.
      const lines = await tx.query<{ id: string }>(
        `SELECT s.id::text AS id
           FROM webhook_subscription s
           CROSS JOIN LATERAL (
             SELECT p.next_attempt_at FROM webhook_delivery p
              WHERE p.subscription_id = s.id AND p.status = 'PENDING'
              ORDER BY p.id LIMIT 1) head
          WHERE s.disabled_at IS NULL AND head.next_attempt_at <= $1::timestamptz
          ORDER BY head.next_attempt_at, s.id
          LIMIT $2
          FOR UPDATE OF s SKIP LOCKED`,
        [now.toISOString(), validMax],
      );
      if (lines.rows.length === 0) return [];
      // A fresh snapshot: the head and its due time are read again under the line's lock,
      // after any claim another dispatcher committed before we took it.
      const { rows } = await tx.query<DeliveryRow & { url: string }>(
        `UPDATE webhook_delivery d SET next_attempt_at = $3::timestamptz
           FROM webhook_subscription s
          WHERE s.id = ANY($1::uuid[]) AND d.subscription_id = s.id
            AND d.id = (SELECT min(p.id) FROM webhook_delivery p
                         WHERE p.subscription_id = s.id AND p.status = 'PENDING')
            AND d.next_attempt_at <= $2::timestamptz
          RETURNING ${DELIVERY_COLUMNS}, s.url`,
        [lines.rows.map((row) => row.id), now.toISOString(), leaseUntil.toISOString()],
      );
      return rows
        .map((row) => ({ ...toDelivery(row), url: row.url }))
        .sort((a, b) => compareIds(a.id, b.id));
    });
  }

  /** The receiver answered 2xx. False when the delivery was no longer pending. */
  async markDelivered(id: string, status: number, at: Date = new Date()): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE webhook_delivery SET status = 'DELIVERED', attempts = attempts + 1,
              last_status = $2, delivered_at = $3::timestamptz
        WHERE id = $1::bigint AND status = 'PENDING'`,
      [
        parseInput(bigintId, id, 'delivery'),
        parseInput(httpStatus, status, 'status'),
        at.toISOString(),
      ],
    );
    return rowCount > 0;
  }

  /**
   * An attempt failed: try again at `nextAttemptAt`. `error` must be sanitised (an HTTP
   * status or a network code, never a response body); it is cut to 200 characters.
   */
  async markRetry(
    id: string,
    nextAttemptAt: Date,
    error: string,
    status: number | null,
  ): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE webhook_delivery SET attempts = attempts + 1, next_attempt_at = $2::timestamptz,
              last_error = $3, last_status = $4
        WHERE id = $1::bigint AND status = 'PENDING'`,
      [
        parseInput(bigintId, id, 'delivery'),
        nextAttemptAt.toISOString(),
        shortError(error),
        parseInput(httpStatus, status, 'status'),
      ],
    );
    return rowCount > 0;
  }

  /** The last attempt failed and no more will be made: the next in its line proceeds. */
  async markDead(id: string, error: string, status: number | null = null): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE webhook_delivery SET status = 'DEAD', attempts = attempts + 1,
              last_error = $2, last_status = $3
        WHERE id = $1::bigint AND status = 'PENDING'`,
      [
        parseInput(bigintId, id, 'delivery'),
        shortError(error),
        parseInput(httpStatus, status, 'status'),
      ],
    );
    return rowCount > 0;
  }

  /** One delivery (null if none). */
  async delivery(id: string): Promise<Delivery | null> {
    if (!bigintId.safeParse(id).success) return null;
    const { rows } = await this.db.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery d WHERE d.id = $1::bigint`,
      [id],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  /** A subscription's deliveries, oldest first (the order they are sent in). */
  async deliveriesOf(subscriptionId: string, max = 100): Promise<Delivery[]> {
    const validMax = parseInput(limit(1_000), max, 'limit');
    if (!uuid.safeParse(subscriptionId).success) return [];
    const { rows } = await this.db.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery d
        WHERE d.subscription_id = $1::uuid ORDER BY d.id LIMIT $2`,
      [subscriptionId, validMax],
    );
    return rows.map(toDelivery);
  }

  /**
   * Dead deliveries, newest first: an owner's (`ownerSub`), an LA's (`la`, for its head),
   * both narrowed together when both are given, or every one when neither is.
   */
  async deadLetters(within: WebhookScope = {}, max = 100): Promise<DeadLetter[]> {
    const valid = parseInput(scope, within, 'scope');
    const validMax = parseInput(limit(500), max, 'limit');
    const { rows } = await this.db.query<DeliveryRow & { owner_sub: string; owner_la: string }>(
      `SELECT ${DELIVERY_COLUMNS}, s.owner_sub, s.owner_la
         FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id
        WHERE d.status = 'DEAD'
          AND ($1::text IS NULL OR s.owner_sub = $1)
          AND ($2::text IS NULL OR s.owner_la = $2)
        ORDER BY d.id DESC
        LIMIT $3`,
      [valid.ownerSub ?? null, valid.la ?? null, validMax],
    );
    return rows.map((row) => ({
      ...toDelivery(row),
      ownerSub: row.owner_sub,
      ownerLa: row.owner_la,
    }));
  }

  /**
   * Puts a dead delivery of `scope` back in its line as PENDING, due at `now`, with its
   * attempts counted afresh and its age from now. It keeps its place (its id): it goes
   * before the deliveries made after it. Null when there is no such dead delivery in scope.
   */
  async redeliver(
    id: string,
    by: string,
    within: WebhookScope,
    now: Date = new Date(),
  ): Promise<Delivery | null> {
    const who = parseInput(principalId, by, 'actor');
    const valid = parseInput(requiredScope, within, 'scope');
    if (!bigintId.safeParse(id).success) return null;
    const { rows } = await this.db.query<DeliveryRow>(
      `UPDATE webhook_delivery d SET status = 'PENDING', attempts = 0,
              next_attempt_at = $2::timestamptz, redelivered_at = $2::timestamptz,
              redelivered_by = $3
         FROM webhook_subscription s
        WHERE d.id = $1::bigint AND d.status = 'DEAD' AND s.id = d.subscription_id
          AND ((s.owner_sub = $4) IS TRUE OR (s.owner_la = $5) IS TRUE)
        RETURNING ${DELIVERY_COLUMNS}`,
      [id, now.toISOString(), who, valid.ownerSub ?? null, valid.la ?? null],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }
}

interface FanOutSubscription {
  last: string;
  audience: string[];
  categories: string[];
  types: string[];
}

interface FanOutEvent {
  seq: string;
  type: StoredEvent['type'];
  category: StoredEvent['category'];
  child_id: string | null;
  urn: string | null;
  occurred_at: string;
  detected_at: string;
  facts: string;
  matches: boolean;
}

/** One subscription's fan-out, in the caller's transaction. */
async function fanOutOne(tx: Queryable, id: string, max: number, now: Date): Promise<number> {
  // Shared: waits for an event writer in flight, so every seq up to the newest is committed.
  await tx.query(OUTBOX_READ_LOCK);
  const subscription = await tx.query<FanOutSubscription>(
    `SELECT last_fanned_seq::text AS last, audience, categories, types
       FROM webhook_subscription
      WHERE id = $1::uuid AND disabled_at IS NULL
      FOR UPDATE SKIP LOCKED`,
    [id],
  );
  const sub = subscription.rows[0];
  if (!sub) return 0;
  const scanned = await tx.query<FanOutEvent>(
    `SELECT e.seq::text AS seq, e.type, e.category, e.child_id, e.urn,
            ${isoSql('e.occurred_at')} AS occurred_at, ${isoSql('e.detected_at')} AS detected_at,
            e.facts::text AS facts,
            (e.audience && $3::text[] AND e.category = ANY($4::text[])
              AND (cardinality($5::text[]) = 0 OR e.type = ANY($5::text[]))) AS matches
       FROM alert_event e
      WHERE e.seq > $1::bigint
      ORDER BY e.seq
      LIMIT $2`,
    [sub.last, max, sub.audience, sub.categories, sub.types],
  );
  if (scanned.rows.length === 0) return 0;
  const matching = scanned.rows.filter((row) => row.matches);
  let made = 0;
  if (matching.length > 0) {
    const payloads = matching.map((row) =>
      JSON.stringify(
        eventPayload({
          seq: row.seq,
          type: row.type,
          category: row.category,
          childId: row.child_id,
          urn: row.urn,
          occurredAt: row.occurred_at,
          detectedAt: row.detected_at,
          facts: JSON.parse(row.facts) as StoredEvent['facts'],
        }),
      ),
    );
    // In seq order, so delivery ids (the order of the line) follow the events' order.
    const inserted = await tx.query(
      `INSERT INTO webhook_delivery
         (subscription_id, event_seq, event_type, idempotency_key, payload, next_attempt_at, created_at)
       SELECT $1::uuid, x.seq::bigint, x.type, 'evt_' || x.seq, x.payload,
              $5::timestamptz, $5::timestamptz
         FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS x(seq, type, payload, n)
        ORDER BY x.n
       ON CONFLICT (subscription_id, idempotency_key) DO NOTHING`,
      [
        id,
        matching.map((row) => row.seq),
        matching.map((row) => row.type),
        payloads,
        now.toISOString(),
      ],
    );
    made = inserted.rowCount;
  }
  await tx.query(
    `UPDATE webhook_subscription SET last_fanned_seq = $2::bigint WHERE id = $1::uuid`,
    [id, scanned.rows[scanned.rows.length - 1]!.seq],
  );
  return made;
}

function shortError(error: string): string {
  const text = parseInput(errorText, error, 'error');
  return text.length > MAX_ERROR ? text.slice(0, MAX_ERROR) : text;
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function toSubscription(row: SubscriptionRow): WebhookSubscription {
  return {
    id: row.id,
    ownerSub: row.owner_sub,
    ownerRoles: row.owner_roles,
    ownerLa: row.owner_la,
    ownerUrns: row.owner_urns,
    audience: row.audience,
    categories: row.categories as WebhookSubscription['categories'],
    url: row.url,
    types: row.types as WebhookSubscription['types'],
    digest: row.digest,
    description: row.description,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    disabledBy: row.disabled_by,
  };
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventSeq: row.event_seq,
    eventType: row.event_type,
    idempotencyKey: row.idempotency_key,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    lastStatus: row.last_status,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    redeliveredAt: row.redelivered_at,
    redeliveredBy: row.redelivered_by,
  };
}
