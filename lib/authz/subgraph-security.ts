/**
 * What a subgraph needs, beyond its own upstream system, to enforce access: the gateway's
 * keys (to verify who is calling), read-only clients for the scope facts held by social care
 * and education, and the need-to-know store. Parsed from the same environment variables in
 * every subgraph.
 */
import { LA_CODE } from '../../domain/identifiers';
import { z } from 'zod';
import {
  createInternalTokenVerifier,
  type VerifyInternalToken,
} from '../../identity/internal-token';
import {
  createSeenTokenStore,
  DEFAULT_SEEN_TOKEN_KEY_PREFIX,
  type SeenTokenStore,
} from '../../identity/seen-tokens';
import {
  httpUrl,
  isExplicitlyDevelopment,
  milliseconds,
  parseEnv,
  secret,
  untrustworthyIdentityUrl,
} from '../config';
import { EducationClient } from '../../upstream/education/client';
import { SocialCareClient } from '../../upstream/social-care/client';
import type { ScopeDependencies } from './request-auth';
import type { NeedToKnowReader } from './scope-sources';
import { scopeFactsKey } from './vouched-facts';

/** This authority's 3-digit code: no default, a subgraph is always told whose children it serves. */
export const laCode = () =>
  z
    .string({ required_error: 'required: this authority’s 3-digit local authority code' })
    .regex(LA_CODE, 'must be a 3-digit local authority code');

const scopeEnvSchema = (developmentIdentity: boolean) =>
  z.object({
    SOCIAL_CARE_URL: httpUrl().default('http://127.0.0.1:4101'),
    SOCIAL_CARE_API_KEY: secret(),
    EDUCATION_URL: httpUrl().default('http://127.0.0.1:4102'),
    EDUCATION_API_KEY: secret(),
    SCOPE_TIMEOUT_MS: milliseconds(2_000),
    SCOPE_DEADLINE_MS: milliseconds(5_000),
    LA_CODE: laCode(),
    /**
     * Where the gateway publishes the keys it signs subgraph tokens with: required to run on
     * its own (`requireStandaloneIdentity`); HTTPS and not localhost unless NODE_ENV=development.
     * The all-in-one system hands the keys over in process instead.
     */
    GATEWAY_JWKS_URL: httpUrl()
      .optional()
      .superRefine((url, ctx) => {
        const problem = url && !developmentIdentity ? untrustworthyIdentityUrl(url) : null;
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    /** Redis shared by a subgraph's replicas for the gateway tokens already used; memory when unset. */
    REDIS_URL: z.string().url().optional(),
    SEEN_TOKEN_KEY_PREFIX: z.string().min(1).default(DEFAULT_SEEN_TOKEN_KEY_PREFIX),
  });

export interface ScopeConfig {
  homeLa: string;
  socialCare: { baseUrl: string; apiKey: string };
  education: { baseUrl: string; apiKey: string };
  timeoutMs: number;
  deadlineMs: number;
  /** Absent when the keys are handed over in process (`npm start`, tests). */
  gatewayJwksUrl?: string;
  /** Where used gateway tokens are remembered (in memory when absent). */
  seenTokens?: { redisUrl?: string; keyPrefix: string };
}

export function loadScopeConfig(env: NodeJS.ProcessEnv = process.env): ScopeConfig {
  const parsed = parseEnv(scopeEnvSchema(isExplicitlyDevelopment(env)), env);
  return {
    homeLa: parsed.LA_CODE,
    socialCare: { baseUrl: parsed.SOCIAL_CARE_URL, apiKey: parsed.SOCIAL_CARE_API_KEY },
    education: { baseUrl: parsed.EDUCATION_URL, apiKey: parsed.EDUCATION_API_KEY },
    timeoutMs: parsed.SCOPE_TIMEOUT_MS,
    deadlineMs: parsed.SCOPE_DEADLINE_MS,
    gatewayJwksUrl: parsed.GATEWAY_JWKS_URL,
    seenTokens: { redisUrl: parsed.REDIS_URL, keyPrefix: parsed.SEEN_TOKEN_KEY_PREFIX },
  };
}

/** What a subgraph started on its own must be told; `npm start` wires its own. */
const STANDALONE_IDENTITY = {
  GATEWAY_JWKS_URL: 'the gateway’s keys: https://<gateway>/.well-known/jwks.json',
  LA_CODE: 'this authority’s 3-digit code',
} as const;

/**
 * Refuses to go on, naming every missing variable, unless the identity settings a subgraph
 * started on its own needs were given: it trusts no gateway and serves no authority by
 * default. (Their values are checked when the configuration is loaded.)
 */
export function requireStandaloneIdentity(env: NodeJS.ProcessEnv = process.env): void {
  const missing = (Object.keys(STANDALONE_IDENTITY) as Array<keyof typeof STANDALONE_IDENTITY>)
    .filter((name) => !env[name]?.trim())
    .map((name) => `${name} (${STANDALONE_IDENTITY[name]})`);
  if (missing.length === 0) return;
  throw new Error(
    `Missing required settings: ${missing.join(', ')}. A subgraph started on its own trusts ` +
      'nothing by default; `npm start` runs the development system with its own settings.',
  );
}

/** Given to each subgraph's factory: how to check the gateway's token, and the NTK store. */
export interface SubgraphSecurity {
  verifyIdentity: VerifyInternalToken;
  needToKnow: NeedToKnowReader;
}

/**
 * For a subgraph running on its own: trust the gateway's published keys, remembering used
 * tokens in Redis when REDIS_URL is set (shared by the replicas), in memory otherwise.
 */
export async function remoteGatewayVerifier(
  config: ScopeConfig,
  audience: string,
): Promise<{ verifyIdentity: VerifyInternalToken; close(): Promise<void> }> {
  if (!config.gatewayJwksUrl) throw new Error('GATEWAY_JWKS_URL is required');
  const seenTokens: SeenTokenStore = await createSeenTokenStore(config.seenTokens ?? {});
  return {
    verifyIdentity: createInternalTokenVerifier({
      audience,
      jwksUrl: config.gatewayJwksUrl,
      seenTokens,
    }),
    close: () => seenTokens.close(),
  };
}

/** The long-lived scope clients a subgraph holds (closed when it stops). */
export function createScopeDependencies(
  config: ScopeConfig,
  needToKnow: NeedToKnowReader,
): ScopeDependencies & { close(): void } {
  const settings = { timeoutMs: config.timeoutMs, deadlineMs: config.deadlineMs, retries: 1 };
  const socialCare = SocialCareClient.fromConfig({ ...config.socialCare, ...settings });
  const education = EducationClient.fromConfig({ ...config.education, ...settings });
  return {
    homeLa: config.homeLa,
    socialCare,
    education,
    needToKnow,
    factsKey: scopeFactsKey(config.socialCare.apiKey),
    close() {
      socialCare.close();
      education.close();
    },
  };
}
