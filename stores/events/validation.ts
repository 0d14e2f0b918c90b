/** The shapes the outbox accepts: events, alert queries and webhook subscriptions. */
import { z } from 'zod';
import { CATEGORIES } from '../../domain/categories';
import { LA_CODE } from '../../domain/identifiers';
import { EVENT_TYPES, EVENT_TYPE_NAMES, type EventType } from '../../events/types';
import { childId, isoTimestamp, principalId, urn } from '../validation';

export const eventType = z.enum(EVENT_TYPE_NAMES as [EventType, ...EventType[]]);
export const category = z.enum(CATEGORIES);

/** `social-worker:<sub>`, `virtual-school-officer:<sub>`, `virtual-school-head@<la>`, `designated-teacher@<urn>`. */
export const audience = z
  .string()
  .max(250)
  .regex(
    /^(?:(?:social-worker|virtual-school-officer):[\x21-\x7e]{1,200}|virtual-school-head@\d{3}|designated-teacher@\d{6})$/,
  );

/** A bigint as a decimal string (seq, delivery id): what the drivers give for bigint. */
export const bigintId = z.string().regex(/^[1-9]\d{0,18}$/);

/** Printable ASCII: keys and sources are built by our code from ids, dates and codes. */
const printable = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\x20-\x7e]+$/);

const factValue = z.union([z.string().max(500), z.number().finite(), z.boolean(), z.null()]);

export const newEvent = z
  .object({
    key: printable(200),
    type: eventType,
    category,
    childId: childId.nullable(),
    urn: urn.nullable(),
    occurredAt: isoTimestamp,
    facts: z
      .record(z.string().min(1).max(50), factValue)
      .refine((facts) => Object.keys(facts).length <= 50, { message: 'too many facts' }),
    audience: z.array(audience).min(1).max(100),
  })
  .strict()
  .refine((event) => event.category === EVENT_TYPES[event.type], {
    message: "category must be the type's category",
    path: ['category'],
  });

export const source = printable(100);
export const feedCursor = z.string().max(2000).nullable();

export const alertQuery = z
  .object({
    audience: z.array(audience).max(1000),
    categories: z.array(category).max(CATEGORIES.length),
    types: z.array(eventType).max(EVENT_TYPE_NAMES.length).optional(),
    childIds: z.array(childId).max(10_000).optional(),
    since: isoTimestamp.optional(),
    until: isoTimestamp.optional(),
    acknowledged: z.boolean().optional(),
    acknowledgedBy: principalId,
    beforeSeq: bigintId.optional(),
    limit: z.number().int().min(1).max(500),
  })
  .strict();

/** A webhook receiver's address: http(s), no credentials in it (it is listed to its owner). */
export const webhookUrl = z
  .string()
  .max(2000)
  .url()
  .refine(
    (value) => {
      const url = new URL(value);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') &&
        url.username === '' &&
        url.password === ''
      );
    },
    { message: 'must be an http(s) URL without credentials' },
  );

export const subscriptionInput = z
  .object({
    ownerSub: principalId,
    ownerRoles: z.array(z.string().min(1).max(100)).max(50),
    ownerLa: z.string().regex(LA_CODE),
    ownerUrns: z.array(urn).max(1000),
    audience: z.array(audience).min(1).max(1000),
    categories: z.array(category).min(1).max(CATEGORIES.length),
    url: webhookUrl,
    types: z.array(eventType).max(EVENT_TYPE_NAMES.length),
    digest: z.boolean(),
    description: z.string().trim().min(1).max(200).nullable(),
  })
  .strict();

export const uuid = z.string().uuid();
