/** The shapes of the ids and texts the stores accept, shared by both stores. */
import { CHILD_ID, UPN, URN } from '../domain/identifiers';
import { z } from 'zod';

/** Social care system child id. */
export const childId = z.string().regex(CHILD_ID);

/**
 * Education system staff id: one or two capitals and digits, e.g. `E123456` for school
 * staff or `ST1001` in the test fixtures.
 */
export const staffId = z.string().regex(/^[A-Z]{1,2}\d{4,6}$/);

/** A 13-character unique pupil number (a letter, then 11 digits and a digit or letter). */
export const upn = z.string().regex(UPN);

/** School unique reference number. */
export const urn = z.string().regex(URN);

/** A directory id (token `sub`) or client id: printable ASCII, no spaces. */
export const principalId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/);

/** Why a grant was made or revoked, as the designated teacher wrote it. */
export const reason = z.string().trim().min(1).max(500);

/** An ISO 8601 timestamp with a zone (`Z` or an offset). */
export const isoTimestamp = z.string().datetime({ offset: true });

/**
 * A date (`YYYY-MM-DD`, as the seeded world gives when a grant was made) or an ISO
 * timestamp. A date means midnight UTC, fixed here rather than left to the session's zone.
 */
export const isoDateOrTimestamp = z.union([
  isoTimestamp,
  z
    .string()
    .date()
    .transform((date) => `${date}T00:00:00.000Z`),
]);
