/**
 * Checks on what a council system answered, before anything reads it. A body of another
 * shape is as useless as none: the system is failing, not saying "no data". So is a 404 or
 * an empty object where a page or a batch is expected (a search or batch route never 404s
 * while the system is healthy). Every client uses these, so every caller gets the same
 * answer: `UpstreamUnavailableError` naming the system.
 */
import { UpstreamUnavailableError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import type { Batch, Paged, Pagination } from './contract';

type Guard<T> = (value: unknown) => value is T;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `meta.pagination` as the APIs document it: numbers where numbers are, `more` a boolean. */
export function isPagination(value: unknown): value is Pagination {
  return (
    isObject(value) &&
    typeof value.total === 'number' &&
    typeof value.more === 'boolean' &&
    (value.page === undefined || typeof value.page === 'number') &&
    (value.per_page === undefined || typeof value.per_page === 'number') &&
    (value.next === undefined || value.next === null || typeof value.next === 'string')
  );
}

/** `{ data: T[], meta: { pagination } }`; each item checked too when `isItem` is given. */
export function isPaged<T = unknown>(value: unknown, isItem?: Guard<T>): value is Paged<T> {
  if (!isObject(value) || !Array.isArray(value.data)) return false;
  if (!isObject(value.meta) || !isPagination(value.meta.pagination)) return false;
  return isItem === undefined || value.data.every(isItem);
}

/** `{ data: T[], meta: { missing: string[] } }`; each item checked too when `isItem` is given. */
export function isBatch<T = unknown>(value: unknown, isItem?: Guard<T>): value is Batch<T> {
  if (!isObject(value) || !Array.isArray(value.data)) return false;
  if (!isObject(value.meta) || !Array.isArray(value.meta.missing)) return false;
  return isItem === undefined || value.data.every(isItem);
}

/** `{ data: T[] }`, a whole list in one answer; each item checked when `isItem` is given. */
export function isList<T = unknown>(value: unknown, isItem?: Guard<T>): value is { data: T[] } {
  if (!isObject(value) || !Array.isArray(value.data)) return false;
  return isItem === undefined || value.data.every(isItem);
}

/** `{ data: <object or null> }`, one record (null: the system holds none). */
export function isRecord(value: unknown): value is { data: Record<string, unknown> | null } {
  return isObject(value) && 'data' in value && (value.data === null || isObject(value.data));
}

/** The system answered something other than the route's shape: it is failing. */
export function unexpectedShape(system: string, route: string): UpstreamUnavailableError {
  logger.warn('upstream answered an unexpected shape', { system, route });
  return new UpstreamUnavailableError(system);
}

/** The payload if it is a page (items checked when `isItem` is given), else the system failing. */
export function expectPaged<T>(
  payload: unknown,
  system: string,
  route: string,
  isItem?: Guard<T>,
): Paged<T> {
  if (!isPaged<T>(payload, isItem)) throw unexpectedShape(system, route);
  return payload;
}

/** The payload if it is a batch answer (items checked when `isItem` is given), else failing. */
export function expectBatch<T>(
  payload: unknown,
  system: string,
  route: string,
  isItem?: Guard<T>,
): Batch<T> {
  if (!isBatch<T>(payload, isItem)) throw unexpectedShape(system, route);
  return payload;
}
