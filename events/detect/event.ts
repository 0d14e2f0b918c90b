/** Building an event: its category from the one table, its audience from the routing rule. */
import { audienceForChild } from '../routing';
import { EVENT_TYPES, type EventType, type FactValue, type NewEvent } from '../types';
import type { ChildContext } from './child-context';

export function childEvent(
  type: EventType,
  child: ChildContext,
  parts: {
    /** What makes this happening unique for the child (dates, ids), joined into the key. */
    identity: readonly string[];
    occurredAt: string;
    urn: string | null;
    facts: Record<string, FactValue>;
  },
): NewEvent {
  const category = EVENT_TYPES[type];
  return {
    key: [type, child.record.CHILD, ...parts.identity].join(':').slice(0, 200),
    type,
    category,
    childId: child.record.CHILD,
    urn: parts.urn,
    occurredAt: parts.occurredAt,
    facts: parts.facts,
    audience: audienceForChild(category, child.routing),
  };
}
