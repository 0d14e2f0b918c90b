/**
 * Reading more than one request's worth from a council system: batches cut into chunks the
 * system accepts in one request, and paged lists read to their end, with a bound, so a system
 * that never says "no more" fails loudly instead of looping or stopping short in silence.
 */
import { UpstreamUnavailableError } from '../../lib/errors';
import { logger } from '../../lib/logger';
import type { Paged } from './contract';

/** More pages than this in one list is a system misbehaving (500 000 records at 500 a page). */
export const DEFAULT_MAX_PAGES = 1_000;

/** `items` cut into runs of at most `size`, in order. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size ${size}`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

export interface ReadAllPagesOptions {
  /** The system and route, for the error and the log. */
  system: string;
  route: string;
  /** Pages read at the most; one more is an `UpstreamUnavailableError`. */
  maxPages?: number;
}

/**
 * Every item of a paged list: page 1, 2, ... until the system says there is no more (or
 * answers an empty page). A list longer than `maxPages` throws the system's
 * `UpstreamUnavailableError`: never a silent stop with part of the list.
 *
 * When `fetchPage` may answer null (a 404: the list's parent is unknown), a null first page
 * gives null; a null later page means the list vanished while being read, and throws.
 */
export async function readAllPages<T>(
  fetchPage: (page: number) => Promise<Paged<T>>,
  options: ReadAllPagesOptions,
): Promise<T[]>;
export async function readAllPages<T>(
  fetchPage: (page: number) => Promise<Paged<T> | null>,
  options: ReadAllPagesOptions,
): Promise<T[] | null>;
export async function readAllPages<T>(
  fetchPage: (page: number) => Promise<Paged<T> | null>,
  { system, route, maxPages = DEFAULT_MAX_PAGES }: ReadAllPagesOptions,
): Promise<T[] | null> {
  const items: T[] = [];
  for (let page = 1; page <= maxPages; page += 1) {
    const payload = await fetchPage(page);
    if (payload === null) {
      if (page === 1) return null;
      logger.warn('upstream list vanished while read', { system, route, page });
      throw new UpstreamUnavailableError(system);
    }
    items.push(...payload.data);
    if (!payload.meta.pagination.more || payload.data.length === 0) return items;
  }
  logger.warn('upstream list did not end', { system, route, pages: maxPages });
  throw new UpstreamUnavailableError(system);
}
