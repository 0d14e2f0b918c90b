/**
 * The alert pipeline's loop (issue 13): read each council system's change feed, sweep once a
 * day, fan new events out to webhook subscriptions and deliver them. One worker per
 * deployment is enough and more is safe: events are stored once by key and deliveries are
 * claimed row by row (`FOR UPDATE SKIP LOCKED`). A failing council system is logged and tried
 * again on the next tick; it never stops the others.
 */
import { logger } from '../lib/logger';
import type { Clock } from '../lib/clock';
import type { EventStorePort } from '../stores/events/types';
import type { EducationClient } from '../upstream/education/client';
import type { SocialCareClient } from '../upstream/social-care/client';
import type { AlertSettings } from './config';
import { DailySweeper } from './daily-sweeper';
import { FeedPoller, type PollResult } from './feed-poller';
import { educationFeed, socialCareFeed } from './feeds';
import type { NewEvent } from './types';

/** The delivery side, run after each poll. */
export interface Deliverer {
  runOnce(now: Date): Promise<unknown>;
}

export interface AlertWorkerOptions {
  settings: AlertSettings;
  /** This authority's code. */
  la: string;
  /** "Today" in the authority's calendar (AS_OF in the simulated world). */
  clock: Clock;
  events: EventStorePort;
  clients: { socialCare: SocialCareClient; education: EducationClient };
  deliverer?: Deliverer;
  /** Daily digests, enqueued after the sweep (once per day). */
  digests?: (today: string, now: Date) => Promise<unknown>;
  /** Tests stop a poller between working out a page's events and storing them. */
  beforeStore?: (feed: string, events: readonly NewEvent[]) => Promise<void> | void;
}

export interface TickResult {
  feeds: Record<string, PollResult | null>;
  swept: number | null;
}

export class AlertWorker {
  private readonly pollers: FeedPoller<{ change_id: number }>[];
  private readonly sweeper: DailySweeper;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(private readonly options: AlertWorkerOptions) {
    const { settings, la, clock, clients, events } = options;
    const pollerOptions = (feed: string) => ({
      pageSize: settings.feedPageSize,
      start: settings.feedStart,
      beforeStore: options.beforeStore
        ? (batch: readonly NewEvent[]) => options.beforeStore?.(feed, batch)
        : undefined,
    });
    this.pollers = [
      new FeedPoller(socialCareFeed(clients, la, clock), events, pollerOptions('social-care')),
      new FeedPoller(
        educationFeed(clients, la, clock, settings),
        events,
        pollerOptions('education'),
      ),
    ] as FeedPoller<{ change_id: number }>[];
    this.sweeper = new DailySweeper(clients, events, {
      la,
      pepDueDays: settings.pepDueDays,
      noSchoolPlaceDays: settings.noSchoolPlaceDays,
      attendanceThresholdPercent: settings.attendanceThresholdPercent,
      attendanceWeeks: settings.attendanceWeeks,
    });
  }

  /** Reads every feed once (social care first: a placement before the school move it caused). */
  async pollOnce(): Promise<Record<string, PollResult | null>> {
    const out: Record<string, PollResult | null> = {};
    for (const poller of this.pollers) {
      try {
        out[poller.name] = await poller.pollOnce();
      } catch (error) {
        out[poller.name] = null;
        logger.warn('change feed not read; trying again next poll', {
          system: poller.name,
          failure: error instanceof Error ? error.name : 'unknown',
        });
      }
    }
    return out;
  }

  /** The daily sweep, when today has not been swept and it is past the sweep hour (or never swept). */
  async sweepIfDue(now: Date = new Date()): Promise<number | null> {
    const today = this.options.clock();
    if (now.getUTCHours() < this.options.settings.sweepHour && (await this.sweptBefore())) {
      return null;
    }
    const swept = await this.sweeper.sweepIfDue(today);
    if (swept !== null) await this.options.digests?.(today, now);
    return swept;
  }

  private async sweptBefore(): Promise<boolean> {
    return (await this.options.events.cursor('daily-sweep')) !== null;
  }

  /** One whole round: feeds, the sweep if due, deliveries. */
  async runOnce(now: Date = new Date()): Promise<TickResult> {
    const feeds = await this.pollOnce();
    let swept: number | null = null;
    try {
      swept = await this.sweepIfDue(now);
    } catch (error) {
      logger.warn('daily alert sweep failed; trying again next poll', {
        failure: error instanceof Error ? error.name : 'unknown',
      });
    }
    if (this.options.deliverer) await this.options.deliverer.runOnce(now);
    return { feeds, swept };
  }

  /** Runs a round every ALERT_POLL_MS until `stop()`; rounds never overlap. */
  start(): void {
    if (!this.options.settings.enabled || this.timer || this.stopped) return;
    const tick = () => {
      this.running = this.runOnce()
        .catch((error: unknown) =>
          logger.error('alert round failed', {
            failure: error instanceof Error ? error.name : 'unknown',
          }),
        )
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.options.settings.pollMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
