/**
 * The social care subgraph's environment, parsed once at start. The API key has no default: a
 * subgraph that starts without one would only fail later, on the first request.
 */
import { z } from 'zod';
import { laCode, type ScopeConfig } from '../../lib/authz/subgraph-security';
import { httpUrl, isoDate, milliseconds, parseEnv, secret } from '../../lib/config';
import { subgraphConfig, subgraphEnv } from '../descriptor';

/** Where it listens unless PORT says otherwise (its descriptor's `defaultPort`). */
export const DEFAULT_PORT = 4001;

const socialCareEnvSchema = z.object({
  ...subgraphEnv(DEFAULT_PORT),
  SOCIAL_CARE_URL: httpUrl().default('http://127.0.0.1:4101'),
  SOCIAL_CARE_API_KEY: secret(),
  SOCIAL_CARE_TIMEOUT_MS: milliseconds(2_000),
  SOCIAL_CARE_DEADLINE_MS: milliseconds(5_000),
  SOCIAL_CARE_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** This authority's 3-digit code: the placing authority, and what "out of area" is measured from. */
  LA_CODE: laCode(),
  LA_NAME: z.string().trim().min(1).default('Knowsley'),
  /** Fixes "today" (ages, PEP timeliness) so the subgraph agrees with a seeded world. */
  AS_OF: isoDate().optional(),
});

export interface SocialCareUpstreamConfig {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  deadlineMs: number;
  retries: number;
}

export interface SocialCareConfig {
  port: number;
  socialCare: SocialCareUpstreamConfig;
  /** The authority this deployment serves. */
  la: { code: string; name: string };
  asOf: string | undefined;
  production: boolean;
  /** Scope look-ups (school rolls) and the gateway's keys. */
  scope: ScopeConfig;
}

export function loadSocialCareConfig(env: NodeJS.ProcessEnv = process.env): SocialCareConfig {
  const parsed = parseEnv(socialCareEnvSchema, env);
  return {
    ...subgraphConfig(parsed, env),
    socialCare: {
      baseUrl: parsed.SOCIAL_CARE_URL,
      apiKey: parsed.SOCIAL_CARE_API_KEY,
      timeoutMs: parsed.SOCIAL_CARE_TIMEOUT_MS,
      deadlineMs: parsed.SOCIAL_CARE_DEADLINE_MS,
      retries: parsed.SOCIAL_CARE_RETRIES,
    },
    la: { code: parsed.LA_CODE, name: parsed.LA_NAME },
    asOf: parsed.AS_OF,
  };
}
