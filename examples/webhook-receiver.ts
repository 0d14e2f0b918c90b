/**
 * A complete webhook receiver for CLA Graph's alerts, with nothing but Node's own modules: the
 * check every receiver needs (README, "Webhooks"). Run it with the secret shown at
 * registration:
 *
 *   WEBHOOK_SECRET=... npx tsx examples/webhook-receiver.ts   # listens on :9999/hooks/cla-graph
 *
 * It answers 400 to an unsigned, forged, altered or replayed request, 200 to a genuine one,
 * and stores each event once however often it is delivered (by its idempotency key).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

/** How far a signature's timestamp may be from this clock: older is a replay. */
const TOLERANCE_SECONDS = 300;

/** True when `header` (X-CLA-Signature) signs `rawBody` with `secret`, recently. */
export function isGenuine(
  secret: string,
  rawBody: string,
  header: string | undefined,
  nowMs = Date.now(),
): boolean {
  const t = /(?:^|,)t=(\d{1,12})(?:,|$)/.exec(header ?? '')?.[1];
  const signatures = [...(header ?? '').matchAll(/(?:^|,)v1=([0-9a-f]{64})(?=,|$)/g)].map((match) =>
    Buffer.from(match[1]!, 'hex'),
  );
  if (!t || signatures.length === 0) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  if (!signatures.some((signature) => timingSafeEqual(signature, expected))) return false;
  return Math.abs(nowMs / 1000 - Number(t)) <= TOLERANCE_SECONDS;
}

/** Keys of the events already stored (keep them at least a day: a delivery is retried for one). */
const stored = new Set<string>();

/** What to do with a request: refuse it, acknowledge a repeat, or store a new event. */
export function receive(
  secret: string,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  seen: Set<string> = stored,
  nowMs = Date.now(),
): 'refused' | 'repeat' | 'stored' {
  const header = headers['x-cla-signature'];
  if (!isGenuine(secret, rawBody, typeof header === 'string' ? header : undefined, nowMs)) {
    return 'refused';
  }
  const key = String(headers['x-cla-idempotency-key']);
  if (seen.has(key)) return 'repeat';
  seen.add(key);
  return 'stored';
}

if (require.main === module) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) throw new Error('Set WEBHOOK_SECRET to the secret shown at registration');
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const outcome = receive(secret, Buffer.concat(chunks).toString('utf8'), req.headers);
      res.statusCode = outcome === 'refused' ? 400 : 200;
      res.end();
      process.stdout.write(`${outcome} ${String(req.headers['x-cla-event-type'])}\n`);
    });
  }).listen(9999);
}
