/**
 * The alert pipeline's settings (issue 13), parsed once at start: how often each council
 * system's change feed is read, the thresholds the detectors apply, and when the daily sweep
 * (PEP deadlines, children with no school place, attendance over the last weeks, schools with
 * no designated teacher) runs. Webhook delivery has its own (`events/webhooks/config.ts`).
 */
import { z } from 'zod';
import { parseEnv } from '../lib/config';

const schema = z.object({
  /** Off: no polling, no sweeps, no deliveries (the graph still serves stored alerts). */
  ALERTS_ENABLED: z.enum(['true', 'false']).default('true'),
  /** How often each change feed is read. */
  ALERT_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Changes read per request to a feed. */
  ALERT_FEED_PAGE_SIZE: z.coerce.number().int().min(1).max(500).default(500),
  /**
   * Where a feed is first read from: its beginning, or only what changes after the first poll
   * (right for a council system whose feed already holds years of changes).
   */
  ALERT_FEED_START: z.enum(['beginning', 'latest']).default('beginning'),
  /** Attendance below this (%) makes any absence an alert, and crossing it over the window one too. */
  ALERT_ATTENDANCE_THRESHOLD_PERCENT: z.coerce.number().min(1).max(100).default(90),
  /** The window for "attendance fallen below the threshold over the last N weeks". */
  ALERT_ATTENDANCE_WEEKS: z.coerce.number().int().min(1).max(52).default(4),
  /** Not on any school's roll for this many school days: NO_SCHOOL_PLACE. */
  ALERT_NO_SCHOOL_PLACE_DAYS: z.coerce.number().int().min(1).max(100).default(5),
  /** A PEP due within this many days: PEP_DUE_SOON. */
  ALERT_PEP_DUE_DAYS: z.coerce.number().int().min(1).max(60).default(14),
  /** One request to a council system, and all its retries (the sweep reads batches of 500). */
  ALERT_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  ALERT_UPSTREAM_DEADLINE_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Hour (UTC, 0..23) of the daily sweep and digests; the sweep also runs at start. */
  ALERT_SWEEP_HOUR: z.coerce.number().int().min(0).max(23).default(6),
});

export interface AlertSettings {
  enabled: boolean;
  pollMs: number;
  feedPageSize: number;
  feedStart: 'beginning' | 'latest';
  attendanceThresholdPercent: number;
  attendanceWeeks: number;
  noSchoolPlaceDays: number;
  pepDueDays: number;
  sweepHour: number;
  upstreamTimeoutMs: number;
  upstreamDeadlineMs: number;
}

export function loadAlertSettings(env: NodeJS.ProcessEnv = process.env): AlertSettings {
  const parsed = parseEnv(schema, env);
  return {
    enabled: parsed.ALERTS_ENABLED === 'true',
    pollMs: parsed.ALERT_POLL_MS,
    feedPageSize: parsed.ALERT_FEED_PAGE_SIZE,
    feedStart: parsed.ALERT_FEED_START,
    attendanceThresholdPercent: parsed.ALERT_ATTENDANCE_THRESHOLD_PERCENT,
    attendanceWeeks: parsed.ALERT_ATTENDANCE_WEEKS,
    noSchoolPlaceDays: parsed.ALERT_NO_SCHOOL_PLACE_DAYS,
    pepDueDays: parsed.ALERT_PEP_DUE_DAYS,
    sweepHour: parsed.ALERT_SWEEP_HOUR,
    upstreamTimeoutMs: parsed.ALERT_UPSTREAM_TIMEOUT_MS,
    upstreamDeadlineMs: parsed.ALERT_UPSTREAM_DEADLINE_MS,
  };
}
