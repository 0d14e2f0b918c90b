/**
 * Reads one council system's change feed from where it left off and turns the changes into
 * events. A page of changes is one unit: the events it raises and the feed's new cursor are
 * stored in one transaction, so a poller stopped anywhere (a crash, a deploy) re-reads at most
 * that page when it comes back, and the events' stable keys make the re-read store nothing
 * twice. Within a page the events keep the order of the changes, so a child's events are in
 * the order they happened. The children a page touches are read once, in batches.
 */
import { logger } from '../lib/logger';
import type { EventStorePort } from '../stores/events/types';
import type { ChildContext } from './detect/child-context';
import type { NewEvent } from './types';

/** One page of a change feed, as the systems answer `GET .../changes?updated_after=`. */
export interface ChangePage<C> {
  data: C[];
  meta: { latest: number; more: boolean };
}

export interface FeedSource<C extends { change_id: number }> {
  /** The cursor's name in the store, e.g. `education`. */
  name: string;
  read(updatedAfter: number, limit: number): Promise<ChangePage<C>>;
  /**
   * Whether a change could raise an event at all (a present mark cannot): only those are
   * looked up, so the morning's registers cost feed pages, not a look-up per pupil.
   */
  mayRaise(change: C): boolean;
  /** Which child a change is about: by social care id or by UPN. */
  subject(change: C): { key: 'ids' | 'upns'; value: string };
  /** The children's context, by the subject's value. */
  contexts(key: 'ids' | 'upns', values: string[]): Promise<Map<string, ChildContext>>;
  detect(change: C, child: ChildContext | null): NewEvent[];
}

export interface PollResult {
  changes: number;
  events: number;
  pages: number;
}

export interface FeedPollerOptions {
  pageSize: number;
  /** Where a feed never read before starts: its beginning, or after what it holds now. */
  start: 'beginning' | 'latest';
  /** Most pages read in one poll (the rest next time): a backlog cannot starve the other feed. */
  maxPagesPerPoll?: number;
  /**
   * Called after a page's events are worked out and before they are stored. Tests stop the
   * poller here, as a crash would, to prove nothing is lost or doubled.
   */
  beforeStore?: (events: readonly NewEvent[]) => Promise<void> | void;
}

export class FeedPoller<C extends { change_id: number }> {
  constructor(
    private readonly source: FeedSource<C>,
    private readonly store: Pick<EventStorePort, 'cursor' | 'recordBatch'>,
    private readonly options: FeedPollerOptions,
  ) {}

  get name(): string {
    return this.source.name;
  }

  async pollOnce(): Promise<PollResult> {
    const result: PollResult = { changes: 0, events: 0, pages: 0 };
    let cursor = await this.startingCursor();
    const maxPages = this.options.maxPagesPerPoll ?? 20;
    while (result.pages < maxPages) {
      const page = await this.source.read(cursor, this.options.pageSize);
      result.pages += 1;
      if (page.data.length === 0) break;
      const events = await this.eventsOf(page.data);
      await this.options.beforeStore?.(events);
      const last = page.data[page.data.length - 1]!.change_id;
      const stored = await this.store.recordBatch(this.source.name, String(last), events);
      result.changes += page.data.length;
      result.events += stored.length;
      cursor = last;
      if (!page.meta.more) break;
    }
    if (result.changes > 0) {
      logger.info('change feed read', {
        system: this.source.name,
        changes: result.changes,
        events: result.events,
        pages: result.pages,
      });
    }
    return result;
  }

  private async startingCursor(): Promise<number> {
    const stored = await this.store.cursor(this.source.name);
    if (stored !== null) return Number(stored);
    if (this.options.start === 'beginning') return 0;
    // First poll of a feed that already holds history: start after what it holds now.
    const head = await this.source.read(0, 1);
    await this.store.recordBatch(this.source.name, String(head.meta.latest), []);
    return head.meta.latest;
  }

  private async eventsOf(changes: readonly C[]): Promise<NewEvent[]> {
    const byKey = { ids: new Set<string>(), upns: new Set<string>() };
    const candidates = changes.filter((change) => this.source.mayRaise(change));
    for (const change of candidates) {
      const subject = this.source.subject(change);
      byKey[subject.key].add(subject.value);
    }
    const [ids, upns] = await Promise.all([
      this.source.contexts('ids', [...byKey.ids]),
      this.source.contexts('upns', [...byKey.upns]),
    ]);
    return candidates.flatMap((change) => {
      const subject = this.source.subject(change);
      const child = (subject.key === 'ids' ? ids : upns).get(subject.value) ?? null;
      return this.source.detect(change, child);
    });
  }
}
