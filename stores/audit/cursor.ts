/**
 * Opaque keyset cursors for the audit log: the position (occurred_at, id) of a page's last
 * event. The time keeps its microseconds, so the next page starts exactly after it.
 */
import { z } from 'zod';
import { StoreValidationError } from '../errors';

export interface AuditCursor {
  /** ISO 8601 with microseconds, UTC. */
  occurredAt: string;
  /** The event's bigint id, as a string. */
  id: string;
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

// Checked down to values PostgreSQL would accept: a forged cursor must be a validation
// error, not a database error.
const decoded = z.tuple([
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
    .refine((at) => {
      const ms = Date.parse(at);
      return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 23) === at.slice(0, 23);
    }),
  z
    .string()
    .regex(/^\d{1,19}$/)
    .refine((id) => BigInt(id) <= MAX_BIGINT),
]);

export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.occurredAt, cursor.id])).toString('base64url');
}

export function decodeCursor(cursor: string): AuditCursor {
  try {
    const [occurredAt, id] = decoded.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
    return { occurredAt, id };
  } catch {
    throw new StoreValidationError('audit query', ['after']);
  }
}
