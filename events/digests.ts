/**
 * The daily digest webhook: after the morning sweep, each subscription that asked for digests
 * gets one DAILY_DIGEST delivery counting, by type, the alerts its owner heard of in the last
 * 24 hours (the same counts `alertDigest` gives in the graph). Its key names the day, so a
 * restart cannot send the same day's digest twice.
 */
import type { EventType } from './types';
import type { EventStorePort } from '../stores/events/types';
import type { WebhookStore } from '../stores/events/webhook-store';

const DAY_MS = 86_400_000;
const PAGE = 500;
/** Most alerts one digest counts. */
const CAP = 10_000;

export async function enqueueDigests(
  stores: { events: Pick<EventStorePort, 'alerts'>; webhooks: WebhookStore },
  today: string,
  now: Date,
): Promise<number> {
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  let queued = 0;
  for (const subscription of await stores.webhooks.activeSubscriptions()) {
    if (!subscription.digest) continue;
    const byType: Partial<Record<EventType, number>> = {};
    let total = 0;
    let beforeSeq: string | undefined;
    for (let read = 0; read < CAP; read += PAGE) {
      const rows = await stores.events.alerts({
        audience: subscription.audience,
        categories: subscription.categories,
        types: subscription.types.length > 0 ? subscription.types : undefined,
        since,
        acknowledgedBy: subscription.ownerSub,
        beforeSeq,
        limit: PAGE,
      });
      for (const row of rows) {
        total += 1;
        byType[row.type] = (byType[row.type] ?? 0) + 1;
      }
      if (rows.length < PAGE) break;
      beforeSeq = rows[rows.length - 1]!.seq;
    }
    const delivery = await stores.webhooks.enqueueDigest(
      subscription.id,
      `digest_${today}`,
      { date: today, since, until: now.toISOString(), total, byType },
      now,
    );
    if (delivery) queued += 1;
  }
  return queued;
}
