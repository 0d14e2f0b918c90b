/** `alerts` paging: a keyset cursor over the outbox's order (newest first), opaque to clients. */
import { badUserInput } from '../../lib/errors';

const PREFIX = 'a1:';

export function encodeAlertCursor(seq: string): string {
  return Buffer.from(`${PREFIX}${seq}`, 'utf8').toString('base64url');
}

/** The seq to read below, or undefined for the first page; a cursor we did not issue is bad input. */
export function decodeAlertCursor(after: string | null | undefined): string | undefined {
  if (after === null || after === undefined) return undefined;
  const match = /^a1:(\d{1,18})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!match) throw badUserInput('`after` is not a cursor this API issued.');
  return match[1];
}

/** The alert's public id: the webhook idempotency key of the same event. */
export const alertId = (seq: string): string => `evt_${seq}`;

export function seqOfAlertId(id: string): string | null {
  const match = /^evt_(\d{1,18})$/.exec(id);
  return match ? match[1]! : null;
}
