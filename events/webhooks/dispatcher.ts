/**
 * Sends webhook deliveries from the outbox (issue 13): at least once, in order per
 * subscription, signed, with exponential backoff and full jitter.
 *
 * Each run fans new events out to the subscriptions (`WebhookStore.fanOut`), then claims the
 * head of every subscription's line that is due (`nextDue`, which leases it so no other
 * dispatcher sends it meanwhile), POSTs each, and records the outcome: 2xx delivered (and
 * the next in that line is claimed in the same run); anything else, a redirect included, or
 * a network error, a retry after a random wait below min(max backoff, base * 2^attempts);
 * after the last attempt or past the maximum age, dead (listed for the head; the next in the
 * line proceeds). A subscription's later deliveries wait behind a failing one, so a receiver
 * that was down gets everything in order when it is back.
 *
 * Logs name the subscription, the delivery and a status or network code only: never the
 * payload (it names a child), the URL's query, the secret or the response body.
 */
import { logger } from '../../lib/logger';
import type { ClaimedDelivery, WebhookStore } from '../../stores/events/webhook-store';
import { webhookUrlProblem, type WebhookConfig } from './config';
import {
  EVENT_TYPE_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  SIGNATURE_HEADER,
  signPayload,
  subscriptionSecret,
} from './signature';

export type DeliveryStorePort = Pick<
  WebhookStore,
  'fanOut' | 'nextDue' | 'markDelivered' | 'markRetry' | 'markDead'
>;

export interface WebhookDispatcherOptions {
  store: DeliveryStorePort;
  config: Pick<
    WebhookConfig,
    | 'signingKey'
    | 'timeoutMs'
    | 'baseBackoffMs'
    | 'maxBackoffMs'
    | 'maxAttempts'
    | 'maxAgeMs'
    | 'pollMs'
    | 'requireHttps'
  >;
  /** [0, 1): the jitter. Default Math.random. */
  random?: () => number;
  /**
   * The real clock (ms): signature timestamps, and how far a run's `now` has moved while it
   * sends. Default Date.now.
   */
  clock?: () => number;
  /** Lines claimed at once (sent concurrently, one per subscription). Default 50. */
  batchSize?: number;
  /** Claim rounds per run, so one run ends even with a long backlog. Default 1000. */
  maxRounds?: number;
}

export interface DispatchSummary {
  /** Deliveries made from new events. */
  fannedOut: number;
  delivered: number;
  retried: number;
  dead: number;
}

type Outcome = 'delivered' | 'retried' | 'dead' | 'skipped';

const USER_AGENT = 'cla-graph-webhooks/1';
/** A lease outlives the request's own deadline by this much. */
const LEASE_MARGIN_MS = 30_000;
const FAN_OUT_LIMIT = 1_000;
const NETWORK_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

/**
 * The wait before the next attempt, given the attempts already made (1 after the first
 * failure): full jitter, a random wait in [1 ms, min(max, base * 2^(attempts - 1))].
 */
export function backoffMs(
  attemptsMade: number,
  config: Pick<WebhookConfig, 'baseBackoffMs' | 'maxBackoffMs'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attemptsMade - 1, 0), 52);
  const ceiling = Math.min(config.maxBackoffMs, config.baseBackoffMs * 2 ** exponent);
  return Math.max(1, Math.floor(random() * ceiling));
}

export class WebhookDispatcher {
  private readonly store: DeliveryStorePort;
  private readonly config: WebhookDispatcherOptions['config'];
  private readonly random: () => number;
  private readonly clock: () => number;
  private readonly batchSize: number;
  private readonly maxRounds: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(options: WebhookDispatcherOptions) {
    this.store = options.store;
    this.config = options.config;
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date.now;
    this.batchSize = options.batchSize ?? 50;
    this.maxRounds = options.maxRounds ?? 1_000;
  }

  /**
   * One pass: fan out, then send everything due at `now` (injected by tests, so backoff is
   * stepped through without waiting), head of line per subscription.
   */
  async runOnce(now: Date = new Date(this.clock())): Promise<DispatchSummary> {
    const summary: DispatchSummary = { fannedOut: 0, delivered: 0, retried: 0, dead: 0 };
    summary.fannedOut = await this.store.fanOut(FAN_OUT_LIMIT, now);
    const startedAt = this.clock();
    for (let round = 0; round < this.maxRounds; round += 1) {
      // `now` moves on with the real time the run has taken, so a lease is never already
      // over when it is taken late in a long run.
      const roundNow = new Date(now.getTime() + Math.max(0, this.clock() - startedAt));
      const leaseUntil = new Date(roundNow.getTime() + this.config.timeoutMs * 2 + LEASE_MARGIN_MS);
      const due = await this.store.nextDue(roundNow, this.batchSize, leaseUntil);
      if (due.length === 0) break;
      const outcomes = await Promise.allSettled(due.map((d) => this.deliver(d, roundNow)));
      let failure: unknown = null;
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') failure ??= outcome.reason;
        else if (outcome.value !== 'skipped') summary[outcome.value] += 1;
      }
      // A store failure ends the run; its lease expires and the delivery is sent again.
      if (failure !== null) throw failure;
    }
    return summary;
  }

  /** Runs every WEBHOOK_POLL_MS until `stop()`; a failed run is logged and the next one tried. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops the loop and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runOnce()
        .then(
          () => undefined,
          (error: unknown) => {
            logger.error('webhook dispatch run failed', { code: errorCode(error) });
          },
        )
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.schedule(this.config.pollMs);
        });
    }, delayMs);
  }

  private async deliver(delivery: ClaimedDelivery, now: Date): Promise<Outcome> {
    const ids = { subscriptionId: delivery.subscriptionId, deliveryId: delivery.id };
    const urlProblem = webhookUrlProblem(delivery.url, this.config.requireHttps);
    if (urlProblem !== null) {
      await this.store.markDead(delivery.id, `URL refused: ${urlProblem}`);
      logger.warn('webhook delivery dead: URL refused', { ...ids, reason: urlProblem });
      return 'dead';
    }

    const result = await this.send(delivery);
    if (result.ok) {
      const marked = await this.store.markDelivered(delivery.id, result.status, now);
      logger.debug('webhook delivered', { ...ids, status: result.status });
      return marked ? 'delivered' : 'skipped';
    }

    const attemptsMade = delivery.attempts + 1;
    const agedFrom = Date.parse(delivery.redeliveredAt ?? delivery.createdAt);
    const expired = now.getTime() - agedFrom >= this.config.maxAgeMs;
    if (attemptsMade >= this.config.maxAttempts || expired) {
      const marked = await this.store.markDead(delivery.id, result.error, result.status);
      logger.warn('webhook delivery dead', {
        ...ids,
        status: result.status,
        code: result.error,
        attempts: attemptsMade,
        reason: expired ? 'max age' : 'max attempts',
      });
      return marked ? 'dead' : 'skipped';
    }
    const next = new Date(now.getTime() + backoffMs(attemptsMade, this.config, this.random));
    const marked = await this.store.markRetry(delivery.id, next, result.error, result.status);
    logger.info('webhook delivery failed, will retry', {
      ...ids,
      status: result.status,
      code: result.error,
      attempts: attemptsMade,
    });
    return marked ? 'retried' : 'skipped';
  }

  /** One POST. The error is a status or a network code: never the response body or the URL. */
  private async send(
    delivery: ClaimedDelivery,
  ): Promise<{ ok: true; status: number } | { ok: false; status: number | null; error: string }> {
    const secret = subscriptionSecret(this.config.signingKey, delivery.subscriptionId);
    const timestamp = Math.floor(this.clock() / 1000);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        body: delivery.payload,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': USER_AGENT,
          [SIGNATURE_HEADER]: signPayload(secret, delivery.payload, timestamp),
          [IDEMPOTENCY_KEY_HEADER]: delivery.idempotencyKey,
          [EVENT_TYPE_HEADER]: delivery.eventType,
        },
        // A redirect is a failure, not followed: the signed body goes where it was registered.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      // The body is not read (it is the receiver's, and may be large); free the connection.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) {
        return { ok: true, status: response.status };
      }
      return { ok: false, status: response.status, error: `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, status: null, error: errorCode(error) };
    }
  }
}

/** A network failure as a code (ECONNREFUSED, TIMEOUT...), never its message (it has the URL). */
function errorCode(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'TIMEOUT';
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODE.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return 'NETWORK_ERROR';
}
