/**
 * The need-to-know subgraph's environment, parsed once at start. It has no upstream system of
 * its own: the grants live in CLA Graph's database (given to the factory as a store), and what
 * it asks the council's systems (scope facts from social care, school rolls and staff records
 * from education) goes through the scope credentials: SOCIAL_CARE_*, EDUCATION_*, LA_CODE and
 * GATEWAY_JWKS_URL, see `loadScopeConfig`.
 */
import { z } from 'zod';
import { loadScopeConfig, type ScopeConfig } from '../../lib/authz/subgraph-security';
import { parseEnv, port } from '../../lib/config';

const needToKnowEnvSchema = z.object({
  PORT: port(4004),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
});

export interface NeedToKnowConfig {
  port: number;
  production: boolean;
  /** Scope look-ups (social care facts, school rolls, school staff) and the gateway's keys. */
  scope: ScopeConfig;
}

export function loadNeedToKnowConfig(env: NodeJS.ProcessEnv = process.env): NeedToKnowConfig {
  const parsed = parseEnv(needToKnowEnvSchema, env);
  return {
    port: parsed.PORT,
    production: parsed.NODE_ENV === 'production',
    scope: loadScopeConfig(env),
  };
}
