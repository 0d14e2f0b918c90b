/**
 * What a subgraph needs, beyond its own upstream system, to enforce access: the gateway's
 * keys (to verify who is calling), read-only clients for the scope facts held by social care
 * and education, and the need-to-know store. Parsed from the same environment variables in
 * every subgraph.
 */
import { z } from 'zod';
import {
  createInternalTokenVerifier,
  type VerifyInternalToken,
} from '../../identity/internal-token';
import { httpUrl, milliseconds, parseEnv, secret } from '../config';
import { UpstreamClient } from '../upstream/upstream-client';
import type { ScopeDependencies } from './request-auth';
import type { NeedToKnowReader } from './scope-sources';

const scopeEnvSchema = z.object({
  SOCIAL_CARE_URL: httpUrl().default('http://127.0.0.1:4101'),
  SOCIAL_CARE_API_KEY: secret(),
  EDUCATION_URL: httpUrl().default('http://127.0.0.1:4102'),
  EDUCATION_API_KEY: secret(),
  SCOPE_TIMEOUT_MS: milliseconds(2_000),
  SCOPE_DEADLINE_MS: milliseconds(5_000),
  LA_CODE: z
    .string()
    .regex(/^\d{3}$/, 'must be a 3-digit local authority code')
    .default('340'),
  /** Where the gateway publishes the keys it signs subgraph tokens with. */
  GATEWAY_JWKS_URL: httpUrl().default('http://127.0.0.1:4000/.well-known/jwks.json'),
});

export interface ScopeConfig {
  homeLa: string;
  socialCare: { baseUrl: string; apiKey: string };
  education: { baseUrl: string; apiKey: string };
  timeoutMs: number;
  deadlineMs: number;
  gatewayJwksUrl: string;
}

export function loadScopeConfig(env: NodeJS.ProcessEnv = process.env): ScopeConfig {
  const parsed = parseEnv(scopeEnvSchema, env);
  return {
    homeLa: parsed.LA_CODE,
    socialCare: { baseUrl: parsed.SOCIAL_CARE_URL, apiKey: parsed.SOCIAL_CARE_API_KEY },
    education: { baseUrl: parsed.EDUCATION_URL, apiKey: parsed.EDUCATION_API_KEY },
    timeoutMs: parsed.SCOPE_TIMEOUT_MS,
    deadlineMs: parsed.SCOPE_DEADLINE_MS,
    gatewayJwksUrl: parsed.GATEWAY_JWKS_URL,
  };
}

/** Given to each subgraph's factory: how to check the gateway's token, and the NTK store. */
export interface SubgraphSecurity {
  verifyIdentity: VerifyInternalToken;
  needToKnow: NeedToKnowReader;
}

/** For a subgraph running on its own: trust the gateway's published keys. */
export function remoteGatewayVerifier(config: ScopeConfig, audience: string): VerifyInternalToken {
  return createInternalTokenVerifier({ audience, jwksUrl: config.gatewayJwksUrl });
}

/** The long-lived scope clients a subgraph holds (closed when it stops). */
export function createScopeDependencies(
  config: ScopeConfig,
  needToKnow: NeedToKnowReader,
): ScopeDependencies & { close(): void } {
  const client = (system: string, upstream: { baseUrl: string; apiKey: string }) =>
    new UpstreamClient({
      system,
      ...upstream,
      timeoutMs: config.timeoutMs,
      deadlineMs: config.deadlineMs,
      retries: 1,
    });
  const socialCare = client('social care', config.socialCare);
  const education = client('education', config.education);
  return {
    homeLa: config.homeLa,
    socialCare,
    education,
    needToKnow,
    close() {
      socialCare.close();
      education.close();
    },
  };
}
