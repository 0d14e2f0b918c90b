/** The access-log subgraph's environment, parsed once at start. */
import { z } from 'zod';
import { loadScopeConfig, type ScopeConfig } from '../../lib/authz/subgraph-security';
import { parseEnv, port } from '../../lib/config';

const schema = z.object({
  PORT: port(4006),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
});

export interface AccessLogConfig {
  port: number;
  production: boolean;
  /** The gateway's keys (and the scope clients every request context carries). */
  scope: ScopeConfig;
}

export function loadAccessLogConfig(env: NodeJS.ProcessEnv = process.env): AccessLogConfig {
  const parsed = parseEnv(schema, env);
  return {
    port: parsed.PORT,
    production: parsed.NODE_ENV === 'production',
    scope: loadScopeConfig(env),
  };
}
