/**
 * `alerts`, `alertDigest` and `acknowledgeAlert`: the outbox read as the caller may read it.
 * The store narrows by the caller's audience and readable categories; `visibleAlerts` then
 * checks each alert's child against the caller's scope today. What is returned is a read of
 * the alert's category of that child's record, so it goes into the request's audit trail.
 */
import { audiencesOf, type EventType } from '../../events/types';
import type { Caller } from '../../identity/caller';
import { readableCategories } from '../../lib/authz/categories';
import type { RequestAuth } from '../../lib/authz/request-auth';
import { PublicError, ErrorCode } from '../../lib/errors';
import { pageSize } from '../../lib/graphql/relay';
import type { AlertQuery, AlertRow, EventStorePort } from '../../stores/events/types';
import { alertId, decodeAlertCursor, encodeAlertCursor, seqOfAlertId } from './alert-cursor';
import { checkAlertFilter, instant, type AlertFilterInput } from './filter';
import { visibleAlerts } from './visibility';

export interface AlertReadContext {
  caller: Caller | null;
  auth: RequestAuth;
  events: EventStorePort;
}

/** Rows read from the store per round while filling a page. */
const ROUND = 200;
/** Rounds per page at most: a caller whose older alerts are all out of scope gets a short page. */
const MAX_ROUNDS = 10;
/** Most alerts a digest counts. */
const DIGEST_CAP = 10_000;

function baseQuery(caller: Caller): Pick<AlertQuery, 'audience' | 'categories' | 'acknowledgedBy'> {
  return {
    audience: audiencesOf(caller),
    categories: readableCategories(caller),
    acknowledgedBy: caller.sub,
  };
}

function record(auth: RequestAuth, rows: readonly AlertRow[]): void {
  for (const row of rows) if (row.childId) auth.auditTrail.recordChild(row.childId, row.category);
}

/** An alert as the schema shows it. */
export function toAlert(row: AlertRow) {
  return {
    id: alertId(row.seq),
    type: row.type,
    category: row.category,
    occurredAt: row.occurredAt,
    detectedAt: row.detectedAt,
    child: row.childId ? { __typename: 'Child', id: row.childId } : null,
    school: row.urn ? { __typename: 'School', urn: row.urn } : null,
    facts: Object.entries(row.facts).map(([name, value]) => ({
      name,
      value: value === null ? null : String(value),
    })),
    acknowledgement: row.acknowledgement,
  };
}

export async function alerts(
  args: { first?: number | null; after?: string | null; filter?: AlertFilterInput | null },
  context: AlertReadContext,
) {
  const first = pageSize(args.first);
  const filter = checkAlertFilter(args.filter);
  let beforeSeq = decodeAlertCursor(args.after);
  const caller = context.auth.caller;
  const empty = { edges: [], pageInfo: pageInfo(false, args.after, null) };
  if (!caller) return empty;
  const query = { ...baseQuery(caller), ...filter };
  if (query.audience.length === 0) return empty;

  const found: AlertRow[] = [];
  let exhausted = false;
  let scannedTo: string | undefined;
  for (let round = 0; round < MAX_ROUNDS && found.length <= first; round++) {
    const rows = await context.events.alerts({ ...query, beforeSeq, limit: ROUND });
    if (rows.length === 0) {
      exhausted = true;
      break;
    }
    for (const row of await visibleAlerts(context.auth, rows)) {
      found.push(row);
      // Stop at the row after the page: its presence says there is a next page.
      if (found.length > first) break;
    }
    const lastRow = rows[rows.length - 1]!;
    beforeSeq = lastRow.seq;
    scannedTo = lastRow.seq;
    if (rows.length < ROUND) exhausted = true;
    if (exhausted) break;
  }
  const page = found.slice(0, first);
  record(context.auth, page);
  const more = found.length > first || !exhausted;
  // Past the page's last alert when the page is full; past everything scanned otherwise.
  const endSeq = found.length > first ? page[page.length - 1]!.seq : scannedTo;
  return {
    edges: page.map((row) => ({ cursor: encodeAlertCursor(row.seq), node: toAlert(row) })),
    pageInfo: pageInfo(more, args.after, endSeq ? encodeAlertCursor(endSeq) : null),
  };
}

function pageInfo(more: boolean, after: string | null | undefined, endCursor: string | null) {
  return {
    hasNextPage: more,
    hasPreviousPage: after !== null && after !== undefined,
    startCursor: null,
    endCursor: more ? endCursor : null,
  };
}

export async function alertDigest(
  args: { since?: string | null },
  context: AlertReadContext,
  now: Date = new Date(),
) {
  const until = now.toISOString();
  const since =
    args.since !== null && args.since !== undefined
      ? instant('since', args.since)
      : new Date(now.getTime() - 86_400_000).toISOString();
  const caller = context.auth.caller;
  const counts = new Map<EventType, number>();
  let total = 0;
  let unacknowledged = 0;
  if (caller && audiencesOf(caller).length > 0) {
    const query = { ...baseQuery(caller), since };
    let beforeSeq: string | undefined;
    for (let read = 0; read < DIGEST_CAP; read += 500) {
      const rows = await context.events.alerts({ ...query, beforeSeq, limit: 500 });
      for (const row of await visibleAlerts(context.auth, rows)) {
        total += 1;
        if (row.acknowledgement === null) unacknowledged += 1;
        counts.set(row.type, (counts.get(row.type) ?? 0) + 1);
        if (row.childId) context.auth.auditTrail.recordChild(row.childId, row.category);
      }
      if (rows.length < 500) break;
      beforeSeq = rows[rows.length - 1]!.seq;
    }
  }
  return {
    since,
    until,
    total,
    unacknowledged,
    byType: [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, count]) => ({ type, count })),
  };
}

/** A placeholder child id for the look-up an unknown alert still makes (same work either way). */
const NO_CHILD = '0000000';

export async function acknowledgeAlert(args: { id: string }, context: AlertReadContext) {
  const notFound = () => new PublicError(ErrorCode.NOT_FOUND, 'No such alert.');
  const caller = context.auth.caller;
  const seq = seqOfAlertId(args.id);
  const event = seq === null ? null : await context.events.event(seq);
  if (!caller || event === null) {
    await context.auth.facts.byId.load(NO_CHILD);
    throw notFound();
  }
  const [visible] = await visibleAlerts(context.auth, [event]);
  if (!visible) throw notFound();
  const acknowledgement = await context.events.acknowledge(event.seq, caller.sub);
  const row: AlertRow = { ...event, acknowledgement };
  record(context.auth, [row]);
  return toAlert(row);
}
