/** Checking an access-log query's arguments before they reach the store. */
import { CHILD_ID, UPN } from '../../domain/identifiers';
import { badUserInput } from '../../lib/errors';
import type { AuditQuery } from '../../stores/audit/types';

export interface AccessLogFilterInput {
  childId?: string | null;
  upn?: string | null;
  actor?: string | null;
  from?: string | null;
  to?: string | null;
}

/** A directory id or client id: printable, no spaces, bounded. */
const ACTOR = /^[A-Za-z0-9:._@-]{1,100}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function instant(name: string, value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw badUserInput(
      `\`${name}\` must be an ISO 8601 date or date-time, e.g. 2026-02-01T00:00:00Z.`,
    );
  }
  return new Date(value).toISOString();
}

export function toAuditQuery(
  filter: AccessLogFilterInput | null | undefined,
  first: number,
  after: string | null | undefined,
): AuditQuery {
  const f = filter ?? {};
  if (f.childId !== null && f.childId !== undefined && !CHILD_ID.test(f.childId)) {
    throw badUserInput('`childId` must be a 7-digit social care id.');
  }
  if (f.upn !== null && f.upn !== undefined && !UPN.test(f.upn)) {
    throw badUserInput('`upn` must be a 13-character unique pupil number.');
  }
  if (f.actor !== null && f.actor !== undefined && !ACTOR.test(f.actor)) {
    throw badUserInput('`actor` is not a directory or client id.');
  }
  const from = instant('from', f.from);
  const to = instant('to', f.to);
  if (from && to && from >= to) throw badUserInput('`from` must be before `to`.');
  return {
    childId: f.childId ?? undefined,
    subjectUpn: f.upn ?? undefined,
    actorSub: f.actor ?? undefined,
    from,
    to,
    first,
    after: after ?? undefined,
  };
}
