/** zod helpers for query strings and bodies: every failure is a 400 `BAD_REQUEST`. */
import { z } from 'zod';
import { badRequest, describeZodError } from './errors';

/** Parse `input` with `schema`, or throw a 400 naming what was wrong and where. */
export function parseInput<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
  where: 'query' | 'body',
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const fields = [
      ...new Set(result.error.issues.map((issue) => issue.path.join('.')).filter(Boolean)),
    ];
    throw badRequest(`Invalid ${where}: ${describeZodError(result.error)}`, fields);
  }
  return result.data as z.output<S>;
}

function isValidIsoDate(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

/** `YYYY-MM-DD`, a real calendar date. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isValidIsoDate, 'must be a real calendar date');

/** A date or a date-time, ISO 8601 (as `updated_after` takes). */
export const isoTimestamp = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/,
    'must be an ISO date or date-time',
  )
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO date or date-time');

/** Milliseconds since the epoch of an ISO date or date-time (a bare date is midnight UTC). */
export function toEpochMs(value: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
}

/** `true` / `false` in a query string. */
export const booleanParam = z.enum(['true', 'false']).transform((value) => value === 'true');

/** A positive whole number in a query string, at most `max`. */
export function positiveIntParam(name: string, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .regex(/^\d+$/, `${name} must be a positive integer`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, `${name} must be at least 1`)
        .max(max, `${name} must be at most ${max}`),
    );
}

/**
 * `include=a,b` (or `include=a&include=b`) in a query string: the listed values, each one of
 * `allowed`, without repeats.
 */
export function includeParam<T extends string>(allowed: readonly [T, ...T[]]) {
  const item = z.enum(allowed);
  return z
    .union([z.string(), z.array(z.string())])
    .transform((raw) =>
      (Array.isArray(raw) ? raw : [raw])
        .flatMap((part) => part.split(','))
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(item))
    .transform((values) => [...new Set(values)]);
}

/** An id list in a batch body: 1..max non-empty strings. */
export function idList(name: string, max: number) {
  return z
    .array(z.string().min(1, `${name} must not contain empty strings`))
    .max(max, `at most ${max} ${name} per request`);
}
