/**
 * Webhook delivery's settings (issue 13), parsed once at start: the master key every
 * subscription's signing secret is derived from, the request timeout, the retry schedule
 * (exponential backoff with full jitter, up to a number of attempts or an age) and how often
 * the dispatcher looks for work.
 *
 * The master key is a secret: required in production, no default. Outside production, when
 * unset, one is generated for the process (and a log line says so, without it): the secrets
 * shown at registration then last as long as the process, which is what development needs.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isProduction, parseEnv, secret } from '../../lib/config';
import { logger } from '../../lib/logger';

const ms = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z
  .object({
    NODE_ENV: z.string().optional(),
    /** Master key (32+ characters); each subscription's secret is HMAC(key, its id). */
    WEBHOOK_SIGNING_KEY: secret()
      .refine((key) => key.length >= 32, 'must be at least 32 characters')
      .optional(),
    /** One delivery attempt's deadline (connect, send, answer). */
    WEBHOOK_TIMEOUT_MS: ms(100, 60_000, 10_000),
    /** The first retry's backoff ceiling; doubles with each attempt. */
    WEBHOOK_BASE_BACKOFF_MS: ms(1, 3_600_000, 1_000),
    /** The largest backoff ceiling (the wait is random below it: full jitter). */
    WEBHOOK_MAX_BACKOFF_MS: ms(1, 86_400_000, 300_000),
    /** Attempts before a delivery is dead (then the next in its line proceeds). */
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1_000).default(50),
    /** A delivery undelivered this long after it was made (or redelivered) is dead. */
    WEBHOOK_MAX_AGE_MS: ms(1_000, 30 * 86_400_000, 86_400_000),
    /** How often the dispatcher fans out new events and sends what is due. */
    WEBHOOK_POLL_MS: ms(10, 3_600_000, 1_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.WEBHOOK_SIGNING_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_SIGNING_KEY'],
        message: 'required in production: the key webhook signing secrets are derived from',
      });
    }
    if (env.WEBHOOK_MAX_BACKOFF_MS < env.WEBHOOK_BASE_BACKOFF_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_MAX_BACKOFF_MS'],
        message: 'must not be below WEBHOOK_BASE_BACKOFF_MS',
      });
    }
  });

export interface WebhookConfig {
  /** The master key (never logged, never stored). */
  signingKey: string;
  timeoutMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  maxAttempts: number;
  maxAgeMs: number;
  pollMs: number;
  /** Production: deliveries go to https:// URLs only. */
  requireHttps: boolean;
}

/** One generated key per process, so every component in it derives the same secrets. */
let generatedKey: string | null = null;

function developmentKey(): string {
  if (generatedKey === null) {
    generatedKey = randomBytes(32).toString('base64url');
    logger.warn(
      'WEBHOOK_SIGNING_KEY is not set: generated a signing key for this process; webhook ' +
        'secrets shown at registration stop working when it restarts (development only)',
    );
  }
  return generatedKey;
}

export function loadWebhookConfig(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const parsed = parseEnv(schema, env);
  return {
    signingKey: parsed.WEBHOOK_SIGNING_KEY ?? developmentKey(),
    timeoutMs: parsed.WEBHOOK_TIMEOUT_MS,
    baseBackoffMs: parsed.WEBHOOK_BASE_BACKOFF_MS,
    maxBackoffMs: parsed.WEBHOOK_MAX_BACKOFF_MS,
    maxAttempts: parsed.WEBHOOK_MAX_ATTEMPTS,
    maxAgeMs: parsed.WEBHOOK_MAX_AGE_MS,
    pollMs: parsed.WEBHOOK_POLL_MS,
    requireHttps: isProduction(env),
  };
}

/**
 * Why a webhook URL may not be delivered to, or null when it may: http(s), no credentials in
 * it, and https when `requireHttps` (production). Registration checks it too (with the
 * allowed hosts); the dispatcher checks again before each send.
 */
export function webhookUrlProblem(url: string, requireHttps: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'not http(s)';
  if (parsed.username !== '' || parsed.password !== '') return 'has credentials';
  if (requireHttps && parsed.protocol !== 'https:') return 'not https (required in production)';
  return null;
}
