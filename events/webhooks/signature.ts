/**
 * Webhook signatures: how CLA Graph signs each delivery, and the check a receiver runs.
 *
 * Every delivery is an HTTP POST of a JSON body with these headers:
 *
 *   X-CLA-Signature:       t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">
 *   X-CLA-Idempotency-Key: evt_<seq> (an event; the same on every attempt and every subscription)
 *   X-CLA-Event-Type:      ABSENT_TODAY, SUSPENSION, ... or DAILY_DIGEST
 *
 * The key is the subscription's secret, shown to its owner once at registration (CLA Graph
 * stores no secret: it derives each one again from its master key, `subscriptionSecret`).
 *
 * A receiver must, in this order:
 *   1. verify the signature over the RAW body bytes, before parsing them as JSON (a parser
 *      and a re-serialiser do not give back the same bytes);
 *   2. refuse a timestamp outside the tolerance (default 5 minutes either way): the timestamp
 *      is signed, so an old delivery replayed later fails here;
 *   3. deduplicate by `X-CLA-Idempotency-Key` (it also names the body's `id`): delivery is
 *      at least once, so the same event may arrive again (with a fresh timestamp and
 *      signature) after a timeout or a restart. Keep the keys seen for longer than the
 *      sender retries (24 hours by default, WEBHOOK_MAX_AGE_MS), and answer 2xx to a
 *      duplicate, or it is sent again.
 * Answer 2xx quickly (within 10 seconds) and do the work afterwards; anything else is retried.
 *
 * In a receiver written in TypeScript, with the raw body as a string or Buffer:
 *
 *   const check = verifySignature({ secret, body, header: req.headers['x-cla-signature'] });
 *   if (!check.ok) return res.status(400).end();             // forged, tampered or replayed
 *   if (await seen(req.headers['x-cla-idempotency-key'])) return res.status(200).end();
 *
 * The same in any language: split the header on ",", take `t` and every `v1`, compute
 * HMAC-SHA256(secret, t + "." + body) as lower-case hex, compare in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-CLA-Signature';
export const IDEMPOTENCY_KEY_HEADER = 'X-CLA-Idempotency-Key';
export const EVENT_TYPE_HEADER = 'X-CLA-Event-Type';

/** Five minutes either way: covers clock skew and a slow network, not a replay days later. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const UNIX_SECONDS = /^\d{1,12}$/;
/** A header is short; anything longer is not ours (and not worth parsing). */
const MAX_HEADER_LENGTH = 1_000;

/** The `v1` signature: hex HMAC-SHA256 of `<timestamp>.<body>` under `secret`. */
export function computeSignature(
  secret: string | Buffer,
  body: string | Buffer,
  timestamp: number,
): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The `X-CLA-Signature` value for `body` sent at `timestamp` (unix seconds). */
export function signPayload(
  secret: string | Buffer,
  body: string | Buffer,
  timestamp: number,
): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new Error('The signature timestamp must be whole unix seconds');
  }
  return `t=${timestamp},v1=${computeSignature(secret, body, timestamp)}`;
}

export type VerifyFailure = 'MISSING' | 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED';
export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: VerifyFailure };

export interface VerifyOptions {
  /** The subscription's secret (as shown at registration). */
  secret: string | Buffer;
  /** The raw request body, exactly as received. */
  body: string | Buffer;
  /** The `X-CLA-Signature` header (Node gives a string, or an array if sent twice). */
  header: string | readonly string[] | null | undefined;
  /** How far the timestamp may be from now, either way; default 300. */
  toleranceSeconds?: number;
  /** Now (tests); default the clock. */
  now?: Date;
}

/**
 * Checks a delivery's signature header against its raw body: well-formed, signed with
 * `secret` over this body and this timestamp, and the timestamp within the tolerance. Any
 * `v1` entry may match (several are sent while a key is being rotated). Compares in
 * constant time. A forged, tampered or replayed delivery fails; a duplicate within the
 * tolerance does not: deduplicate by the idempotency key for that.
 */
export function verifySignature(options: VerifyOptions): VerifyResult {
  const { header } = options;
  if (header === null || header === undefined || header === '') {
    return { ok: false, reason: 'MISSING' };
  }
  // Sent twice is not something CLA Graph does: refuse rather than pick one.
  if (typeof header !== 'string') return { ok: false, reason: 'MALFORMED' };
  const parsed = parseHeader(header);
  if (!parsed) return { ok: false, reason: 'MALFORMED' };

  const expected = Buffer.from(
    computeSignature(options.secret, options.body, parsed.timestamp),
    'hex',
  );
  const matches = parsed.signatures.some((candidate) =>
    timingSafeEqual(Buffer.from(candidate, 'hex'), expected),
  );
  if (!matches) return { ok: false, reason: 'BAD_SIGNATURE' };

  // After the signature, so EXPIRED means a genuine delivery sent too long ago (a replay, or a
  // clock far off) and BAD_SIGNATURE a forgery or a tampered body.
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - parsed.timestamp) > tolerance) return { ok: false, reason: 'EXPIRED' };
  return { ok: true, timestamp: parsed.timestamp };
}

function parseHeader(header: string): { timestamp: number; signatures: string[] } | null {
  if (header.length > MAX_HEADER_LENGTH) return null;
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) return null;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !UNIX_SECONDS.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return null;
      signatures.push(value);
    }
    // Other schemes (a future v2) are ignored, so a sender may add one before receivers know it.
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}

/**
 * A subscription's signing secret: HMAC-SHA256(master key, "cla-graph-webhook:" + id) as
 * base64url. Derived, never stored: the database holds nothing that signs. Rotating the
 * master key (WEBHOOK_SIGNING_KEY) changes every subscription's secret.
 */
export function subscriptionSecret(masterKey: string | Buffer, subscriptionId: string): string {
  return createHmac('sha256', masterKey)
    .update(`cla-graph-webhook:${subscriptionId}`)
    .digest('base64url');
}
