/**
 * The domain events CLA Graph raises from changes in the council's systems (issue 13): what
 * happened to a child (or a school), in which data category, and who is to hear of it. One
 * list, read by the detectors (`events/detect/`), the router (`events/routing.ts`), the outbox
 * (`stores/events/`), the alerts subgraph and the webhooks.
 *
 * An event carries no personal data beyond the child's social care id and the facts of its
 * own category (a date, a session, a code): the name comes from the graph, under the reader's
 * own rules, and the address never.
 */
import type { Category } from '../domain/categories';

/** Every event type with the category a recipient must read to hear of it. */
export const EVENT_TYPES = {
  /** An unauthorised absence today, or any absence of a child under the attendance threshold. */
  ABSENT_TODAY: 'EDU',
  /** Attendance over the last N weeks fell below the threshold. */
  ATTENDANCE_BELOW_THRESHOLD: 'EDU',
  /** A suspension (fixed-period exclusion) was recorded. */
  SUSPENSION: 'EDU',
  /** A permanent exclusion was proposed (the head teacher's decision, before governors review). */
  PERMANENT_EXCLUSION_PROPOSED: 'EDU',
  /** A permanent exclusion was made. */
  PERMANENT_EXCLUSION: 'EDU',
  /** The child joined another school's roll. */
  SCHOOL_MOVE: 'EDU',
  /** The child left a school's roll. */
  LEFT_ROLL: 'EDU',
  /** Not on any school's roll for N school days. */
  NO_SCHOOL_PLACE: 'EDU',
  /** A new placement began. */
  PLACEMENT_MOVE: 'PLACEMENT',
  /** A period of care began. */
  ENTERED_CARE: 'CARE',
  /** A period of care ended. */
  LEFT_CARE: 'CARE',
  /** The PEP (first or review) is due within 14 days. */
  PEP_DUE_SOON: 'PEP',
  /** The PEP is overdue. */
  PEP_OVERDUE: 'PEP',
  /** A school with looked-after children on roll has no designated teacher on the register. */
  SCHOOL_WITHOUT_DESIGNATED_TEACHER: 'EDU',
} as const satisfies Record<string, Category>;

export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];

/** A fact's value: plain scalars only, so nothing nested can smuggle another category in. */
export type FactValue = string | number | boolean | null;

/**
 * Who is to hear of an event, as strings the outbox stores and matches:
 * - `virtual-school-head@<la>`: the authority's head(s);
 * - `virtual-school-officer:<sub>`: the child's Virtual School officer (caseworker);
 * - `social-worker:<sub>`: the allocated social worker;
 * - `designated-teacher@<urn>`: the designated teacher(s) of the child's school.
 * A teacher never hears (access.md: a teacher reads nothing of EDU, PEP, CARE or PLACEMENT).
 */
export type Audience = string;

/** An event as a detector raises it, before it is stored. */
export interface NewEvent {
  /**
   * Stable key: the same happening always gives the same key (e.g.
   * `ABSENT_TODAY:<child>:<date>:<session>`), so a restart or a re-read cannot duplicate it.
   * At most 200 characters.
   */
  key: string;
  type: EventType;
  /** Always `EVENT_TYPES[type]`. */
  category: Category;
  /** Social care id; null for an event about a school. */
  childId: string | null;
  /** The school it concerns, if any. */
  urn: string | null;
  /** When it happened upstream (ISO 8601). */
  occurredAt: string;
  /** The event's own facts, all of its category (dates, codes, counts). */
  facts: Readonly<Record<string, FactValue>>;
  /** Who is to hear of it (at least one). */
  audience: readonly Audience[];
}

/** An event as the outbox holds it. */
export interface StoredEvent extends NewEvent {
  /** Position in the one global order (a bigint as a decimal string): per child, the order they happened in. */
  seq: string;
  /** When CLA Graph stored it (ISO 8601). */
  detectedAt: string;
}

/** The audience strings that name this caller (by role), for matching stored events. */
export function audiencesOf(caller: {
  sub: string;
  roles: readonly string[];
  la: string;
  urns: readonly string[];
}): Audience[] {
  const out: Audience[] = [];
  for (const role of caller.roles) {
    if (role === 'virtual-school-head') out.push(`virtual-school-head@${caller.la}`);
    if (role === 'virtual-school-officer') out.push(`virtual-school-officer:${caller.sub}`);
    if (role === 'social-worker') out.push(`social-worker:${caller.sub}`);
    if (role === 'designated-teacher')
      for (const urn of caller.urns) out.push(`designated-teacher@${urn}`);
  }
  return out;
}
