/** Events and subscriptions for the outbox's and the dispatcher's tests. */
import type { NewEvent } from '../../events/types';
import type { WebhookSubscriptionInput } from './types';

let counter = 0;

/** A fresh ABSENT_TODAY for the officer VSO1 (a unique key each call). */
export function testEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  counter += 1;
  return {
    key: `TEST:${process.pid}:${counter}`,
    type: 'ABSENT_TODAY',
    category: 'EDU',
    childId: '1000001',
    urn: '100001',
    occurredAt: '2026-03-02T09:30:00Z',
    facts: { date: '2026-03-02', session: 'AM', code: 'O' },
    audience: ['virtual-school-officer:VSO1', 'social-worker:SW1'],
    ...overrides,
  };
}

/** A subscription of the officer VSO1 (LA 340) to every type of the categories it reads. */
export function testSubscription(
  url: string,
  overrides: Partial<WebhookSubscriptionInput> = {},
): WebhookSubscriptionInput {
  return {
    ownerSub: 'VSO1',
    ownerRoles: ['virtual-school-officer'],
    ownerLa: '340',
    ownerUrns: [],
    audience: ['virtual-school-officer:VSO1'],
    categories: ['EDU', 'PEP', 'CARE', 'PLACEMENT'],
    url,
    types: [],
    digest: false,
    description: null,
    ...overrides,
  };
}
