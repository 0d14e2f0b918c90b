/**
 * A simulator's change feed, after the MIS aggregation APIs' `updated_after` cursors: every
 * change made through a write route is appended with the next whole-number `change_id` (from
 * 1, never reused) and the wall-clock `changed_at`; a reader asks for the entries after the
 * last id it has seen. The seeded world's history is not in it: the feed starts empty.
 */
import { z } from 'zod';
import { MAX_PER_PAGE } from '../../upstream/common/contract';
import { positiveIntParam } from './validation';

export const DEFAULT_CHANGES_LIMIT = 100;

/** What every entry carries beside its kind and record. */
export interface ChangeStamp {
  change_id: number;
  changed_at: string;
}

/** An entry as a write route hands it in: the log stamps it. Distributes over a union. */
export type Unstamped<E> = E extends unknown ? Omit<E, keyof ChangeStamp> : never;

export interface ChangePage<E> {
  data: E[];
  meta: { latest: number; more: boolean };
}

/** `updated_after=<change_id>` (0 or more) and `limit=1..500`. */
export const changesQuerySchema = z
  .object({
    updated_after: z
      .string()
      .regex(/^\d+$/, 'updated_after must be a change_id (a whole number, 0 or more)')
      .transform(Number)
      .pipe(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER))
      .optional(),
    limit: positiveIntParam('limit', MAX_PER_PAGE).optional(),
  })
  .strict();

export class ChangeLog<E extends ChangeStamp & { kind: string }> {
  /** Entry `n` has change_id `n + 1`: ids are dense, so a cursor is an index. */
  private readonly entries: E[] = [];
  private lastAt = 0;

  /** Appends the changes in order and answers their change_ids. */
  append(...changes: Array<Unstamped<E>>): number[] {
    return changes.map((change) => {
      // Wall-clock time, but never before the entry above it.
      this.lastAt = Math.max(Date.now(), this.lastAt);
      const change_id = this.entries.length + 1;
      this.entries.push({
        change_id,
        changed_at: new Date(this.lastAt).toISOString(),
        ...change,
      } as unknown as E);
      return change_id;
    });
  }

  /** The highest change_id so far (0 when none). */
  get latest(): number {
    return this.entries.length;
  }

  /** Up to `limit` entries with change_id > `after`, in change_id order. */
  page(after = 0, limit = DEFAULT_CHANGES_LIMIT): ChangePage<E> {
    const start = Math.min(after, this.entries.length);
    const data = this.entries.slice(start, start + limit);
    return {
      data,
      meta: { latest: this.latest, more: start + data.length < this.entries.length },
    };
  }
}

/**
 * `updated_at` stamps that only move forward: never before anything the system already held,
 * so a client's "updated after" watermark never misses a change.
 */
export class ForwardClock {
  private last: number;

  constructor(stamps: Iterable<string>) {
    let last = 0;
    for (const stamp of stamps) {
      const time = Date.parse(stamp);
      if (Number.isFinite(time) && time > last) last = time;
    }
    this.last = last;
  }

  stamp(): string {
    this.last = Math.max(Date.now(), this.last + 1);
    return new Date(this.last).toISOString();
  }
}

/** The later of the world's "today" and the real one: a record dated after it is refused. */
export function latestToday(asOf: string): string {
  const today = new Date().toISOString().slice(0, 10);
  return today > asOf ? today : asOf;
}
