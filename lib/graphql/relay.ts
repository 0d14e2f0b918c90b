/**
 * Relay-style connections over offset paging. Cursors are opaque to clients (base64 of a
 * versioned offset) and checked on the way in: a forged or stale cursor is bad input.
 */
import { badUserInput } from '../errors';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

const PREFIX = 'o1:';

export function encodeCursor(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`, 'utf8').toString('base64url');
}

/** The offset after `after` (0 when absent). */
export function decodeCursor(after: string | null | undefined): number {
  if (after === null || after === undefined) return 0;
  const text = Buffer.from(after, 'base64url').toString('utf8');
  const match = /^o1:(\d{1,9})$/.exec(text);
  if (!match) throw badUserInput('`after` is not a cursor this API issued.');
  return Number(match[1]) + 1;
}

/** Validates `first`: 1..MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}.`);
  }
  return first;
}

/** Builds a connection from the nodes found at `offset` and the total count. */
export function connectionFrom<T>(nodes: T[], offset: number, totalCount: number): Connection<T> {
  const edges = nodes.map((node, index) => ({ cursor: encodeCursor(offset + index), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: offset + nodes.length < totalCount,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
