/** The access-log subgraph's environment, parsed once at start. */
import { z } from 'zod';
import { parseEnv } from '../../lib/config';
import { subgraphConfig, subgraphEnv, type SubgraphConfig } from '../descriptor';

/** Where it listens unless PORT says otherwise (its descriptor's `defaultPort`). */
export const DEFAULT_PORT = 4006;

const schema = z.object({
  ...subgraphEnv(DEFAULT_PORT),
});

/** Its port, NODE_ENV and the scope settings: nothing of its own. */
export type AccessLogConfig = SubgraphConfig;

export function loadAccessLogConfig(env: NodeJS.ProcessEnv = process.env): AccessLogConfig {
  const parsed = parseEnv(schema, env);
  return subgraphConfig(parsed, env);
}
