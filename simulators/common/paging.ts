/** Wonde-style paging: `page` from 1, `per_page` up to MAX_PER_PAGE, `next` as path and query. */
import { z } from 'zod';
import { MAX_PER_PAGE } from '../../upstream/common/contract';
import type { Paged } from '../../upstream/common/contract';
import { positiveIntParam } from './validation';

export const DEFAULT_PER_PAGE = 100;

export interface PageRequest {
  page: number;
  perPage: number;
}

/** Query-string fields for paging, to spread into a route's query schema. */
export const pageQueryFields = {
  page: positiveIntParam('page').optional(),
  per_page: positiveIntParam('per_page', MAX_PER_PAGE).optional(),
};

/** Body fields for paging (POST searches), to spread into a body schema. */
export const pageBodyFields = {
  page: z.number().int().min(1, 'page must be at least 1').optional(),
  per_page: z
    .number()
    .int()
    .min(1, 'per_page must be at least 1')
    .max(MAX_PER_PAGE, `per_page must be at most ${MAX_PER_PAGE}`)
    .optional(),
};

export const pageQuerySchema = z.object(pageQueryFields).strict();

export interface PageFields {
  page?: number;
  per_page?: number;
}

/**
 * The page asked for. For a POST search the query string wins over the body, so that a
 * client can POST the same body to `next`.
 */
export function pageRequest(primary: PageFields, fallback: PageFields = {}): PageRequest {
  return {
    page: primary.page ?? fallback.page ?? 1,
    perPage: primary.per_page ?? fallback.per_page ?? DEFAULT_PER_PAGE,
  };
}

/** `originalUrl` (path and query) with `page` and `per_page` set. */
export function pageUrl(originalUrl: string, page: number, perPage: number): string {
  const url = new URL(originalUrl, 'http://simulator.invalid');
  url.searchParams.set('page', String(page));
  url.searchParams.set('per_page', String(perPage));
  return `${url.pathname}${url.search}`;
}

/** One page of `items`; `originalUrl` is the request's path and query (`req.originalUrl`). */
export function paginate<T>(
  items: readonly T[],
  request: PageRequest,
  originalUrl: string,
): Paged<T> {
  const { page, perPage } = request;
  const start = (page - 1) * perPage;
  const more = start + perPage < items.length;
  return {
    data: items.slice(start, start + perPage),
    meta: {
      pagination: {
        page,
        per_page: perPage,
        total: items.length,
        next: more ? pageUrl(originalUrl, page + 1, perPage) : null,
        more,
      },
    },
  };
}
