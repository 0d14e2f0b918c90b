/**
 * The need-to-know subgraph's environment, parsed once at start. It has no upstream system of
 * its own: the grants live in CLA Graph's database (given to the factory as a store), and what
 * it asks the council's systems (scope facts from social care, school rolls and staff records
 * from education) goes through the scope credentials: SOCIAL_CARE_*, EDUCATION_*, LA_CODE and
 * GATEWAY_JWKS_URL, see `loadScopeConfig`.
 */
import { z } from 'zod';
import { parseEnv } from '../../lib/config';
import { subgraphConfig, subgraphEnv, type SubgraphConfig } from '../descriptor';

/** Where it listens unless PORT says otherwise (its descriptor's `defaultPort`). */
export const DEFAULT_PORT = 4004;

const needToKnowEnvSchema = z.object({
  ...subgraphEnv(DEFAULT_PORT),
});

/** Its port, NODE_ENV and the scope settings: nothing of its own. */
export type NeedToKnowConfig = SubgraphConfig;

export function loadNeedToKnowConfig(env: NodeJS.ProcessEnv = process.env): NeedToKnowConfig {
  const parsed = parseEnv(needToKnowEnvSchema, env);
  return subgraphConfig(parsed, env);
}
