/**
 * The outbox's interface (issue 13): events stored once by their stable key, in one global
 * order, with each upstream feed's cursor moved in the same transaction (a restart re-reads
 * at most the batch it was in and stores nothing twice); acknowledgements (who, when); webhook
 * subscriptions and their deliveries (at least once, in order per subscription, exponential
 * backoff, a dead-letter list).
 */
import type { Audience, EventType, NewEvent, StoredEvent } from '../../events/types';
import type { Category } from '../../domain/categories';

export interface Acknowledgement {
  by: string;
  /** ISO 8601. */
  at: string;
}

export interface AlertQuery {
  /** The caller's audience strings (`audiencesOf`): events naming none of them are not returned. */
  audience: readonly Audience[];
  /** Only events of these categories (the ones the caller reads). */
  categories: readonly Category[];
  types?: readonly EventType[];
  childIds?: readonly string[];
  /** Detected at or after (ISO 8601). */
  since?: string;
  /** Occurred before (ISO 8601). */
  until?: string;
  /** true: only acknowledged by `acknowledgedBy`; false: only not; undefined: both. */
  acknowledged?: boolean;
  /** Whose acknowledgement counts (the caller's sub). */
  acknowledgedBy: string;
  /** Keyset paging: events with seq below (newest first) this one. */
  beforeSeq?: string;
  /** At most this many (1..500). */
  limit: number;
}

export interface AlertRow extends StoredEvent {
  /** The caller's acknowledgement, if any. */
  acknowledgement: Acknowledgement | null;
}

export interface WebhookSubscriptionInput {
  /** Who registered it; deliveries are what this identity would read in `alerts`. */
  ownerSub: string;
  ownerRoles: readonly string[];
  ownerLa: string;
  ownerUrns: readonly string[];
  /** The audience strings of the owner at registration (`audiencesOf`). */
  audience: readonly Audience[];
  /** The categories the owner reads. */
  categories: readonly Category[];
  /** https:// (http:// only outside production, checked by the caller). */
  url: string;
  /** Only these types (all when empty), plus DAILY_DIGEST when `digest`. */
  types: readonly EventType[];
  digest: boolean;
  /** A description for the owner's list. */
  description: string | null;
}

export interface WebhookSubscription extends WebhookSubscriptionInput {
  id: string;
  createdAt: string;
  /** Null while active. */
  disabledAt: string | null;
  /** Who disabled it (the owner or a head), null while active. */
  disabledBy: string | null;
}

/** Whose subscriptions (or deliveries) an operation may touch: the owner's, or an LA's (a head). */
export interface WebhookScope {
  ownerSub?: string;
  la?: string;
}

/** The event type a digest delivery carries. */
export const DIGEST_EVENT_TYPE = 'DAILY_DIGEST';
export type DeliveryEventType = EventType | typeof DIGEST_EVENT_TYPE;

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'DEAD';

/** One event (or digest) to one subscription. */
export interface Delivery {
  id: string;
  subscriptionId: string;
  /** The event's seq, or null for a digest. */
  eventSeq: string | null;
  /** Sent as `X-CLA-Event-Type`. */
  eventType: DeliveryEventType;
  /** The idempotency key the receiver deduplicates by: stable across every attempt. */
  idempotencyKey: string;
  /** The JSON body sent (the same on every attempt). */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  /** HTTP status of the last attempt, if it got one. */
  lastStatus: number | null;
  createdAt: string;
  deliveredAt: string | null;
  /** Put back in line from the dead letters: when and by whom (its age counts from then). */
  redeliveredAt: string | null;
  redeliveredBy: string | null;
}

/** A delivery a dispatcher has claimed (leased) to send now, with where to send it. */
export interface ClaimedDelivery extends Delivery {
  url: string;
}

/** A dead delivery, listed with whose subscription it was for. */
export interface DeadLetter extends Delivery {
  ownerSub: string;
  ownerLa: string;
}

export interface EventStorePort {
  /** The feed's cursor, null before its first poll. */
  cursor(source: string): Promise<string | null>;
  /**
   * In one transaction: stores the events not already stored (by key; the rest are ignored)
   * in the order given, and sets the source's cursor. Returns the events newly stored.
   */
  recordBatch(
    source: string,
    cursor: string | null,
    events: readonly NewEvent[],
  ): Promise<StoredEvent[]>;
  /** Stores events without moving a cursor (the daily sweeps); same de-duplication. */
  record(events: readonly NewEvent[]): Promise<StoredEvent[]>;
  /** The caller's alerts, newest first. */
  alerts(query: AlertQuery): Promise<AlertRow[]>;
  countAlerts(query: Omit<AlertQuery, 'beforeSeq' | 'limit'>): Promise<number>;
  /** One event by seq (null if none). */
  event(seq: string): Promise<StoredEvent | null>;
  /** Idempotent: the first acknowledgement by `by` stands and is returned. */
  acknowledge(seq: string, by: string, at?: Date): Promise<Acknowledgement>;
}
