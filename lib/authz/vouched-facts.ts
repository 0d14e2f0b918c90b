/**
 * Scope facts the social care subgraph vouches for, so that the subgraphs that extend a
 * `Child` (education, finance, need-to-know) decide scope without asking the case system
 * again for facts social care has just read (issue 16: one request per council system for a
 * profile, one round fewer).
 *
 * Social care seals a child's facts (case id, UPN, who looks after them, restricted, the
 * allocated social worker and caseworker) into the `Child.scopeFacts` field, which is not in
 * the API: only the query planner reads it, to pass it in the representations of the fields
 * that `@requires` it. The seal is an HMAC-SHA256 under a key derived from the social care
 * read credential (HKDF, `SOCIAL_CARE_API_KEY`): exactly the parties that could read these
 * facts from the case system themselves can vouch for them, and the gateway, which holds no
 * such credential, can neither forge nor alter them. A seal is bound to the request (the
 * gateway's request id) and the caller it was made for, and expires after a minute, so it
 * cannot be carried into another request or to another caller.
 *
 * Anything not exactly right (no seal, another child's, another request's, expired, altered,
 * malformed) is simply not used: the subgraph then asks social care as before. A bad seal
 * never admits a child; it only costs the look-up it would have saved.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { ChildFacts } from './scope';

/** Long enough for one gateway request's plan; no longer (the gateway's token lives 60 s too). */
export const SEAL_LIFETIME_SECONDS = 60;
const VERSION = 'v1';
const HKDF_INFO = 'cla-graph/scope-facts/v1';

/** The key every scoped subgraph derives from the social care read credential it holds. */
export function scopeFactsKey(socialCareApiKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', socialCareApiKey, '', HKDF_INFO, 32));
}

/** Who and what a seal is bound to: the gateway's request and the caller it vouches for. */
export interface SealBinding {
  requestId: string;
  sub: string;
}

/** The sealed payload: short names, since one travels with every child of a page. */
type SealedFacts = [
  version: string,
  requestId: string,
  sub: string,
  expiresAt: number,
  id: string,
  upn: string | null,
  lookedAfterBy: string,
  restricted: boolean,
  socialWorkerId: string | null,
  caseworkerId: string | null,
];

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/** Social care's seal on one child's facts, for this request and caller. */
export function sealFacts(
  key: Buffer,
  facts: ChildFacts & { id: string },
  binding: SealBinding,
  nowMs: number = Date.now(),
): string {
  const sealed: SealedFacts = [
    VERSION,
    binding.requestId,
    binding.sub,
    Math.floor(nowMs / 1000) + SEAL_LIFETIME_SECONDS,
    facts.id,
    facts.upn,
    facts.lookedAfterBy,
    facts.restricted,
    facts.socialWorkerId,
    facts.caseworkerId,
  ];
  const payload = Buffer.from(JSON.stringify(sealed)).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

const nullableText = (value: unknown): value is string | null =>
  value === null || typeof value === 'string';

function isSealedFacts(value: unknown): value is SealedFacts {
  return (
    Array.isArray(value) &&
    value.length === 10 &&
    value[0] === VERSION &&
    typeof value[1] === 'string' &&
    typeof value[2] === 'string' &&
    typeof value[3] === 'number' &&
    typeof value[4] === 'string' &&
    nullableText(value[5]) &&
    typeof value[6] === 'string' &&
    typeof value[7] === 'boolean' &&
    nullableText(value[8]) &&
    nullableText(value[9])
  );
}

/**
 * The facts of child `childId` when `seal` is social care's, for this request and caller, and
 * not expired; null for anything else (the caller of this then asks social care instead).
 */
export function openSealedFacts(
  key: Buffer,
  seal: unknown,
  childId: string,
  binding: SealBinding,
  nowMs: number = Date.now(),
): ChildFacts | null {
  if (typeof seal !== 'string' || seal.length > 2_048) return null;
  const dot = seal.indexOf('.');
  if (dot <= 0) return null;
  const payload = seal.slice(0, dot);
  const given = Buffer.from(seal.slice(dot + 1), 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let sealed: unknown;
  try {
    sealed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!isSealedFacts(sealed)) return null;
  const [, requestId, sub, expiresAt, id, upn, lookedAfterBy, restricted, sw, caseworker] = sealed;
  if (requestId !== binding.requestId || sub !== binding.sub) return null;
  if (expiresAt * 1000 <= nowMs || id !== childId) return null;
  return { id, upn, lookedAfterBy, restricted, socialWorkerId: sw, caseworkerId: caseworker };
}
