/** The gateway's configuration, parsed once from the environment. */
import { z } from 'zod';
import { milliseconds, parseEnv, port } from '../lib/config';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port(4000),
  HOST: z.string().default('127.0.0.1'),
  SOCIAL_CARE_SUBGRAPH_URL: z.string().url().default('http://127.0.0.1:4001/graphql'),
  EDUCATION_SUBGRAPH_URL: z.string().url().default('http://127.0.0.1:4002/graphql'),
  FINANCE_SUBGRAPH_URL: z.string().url().default('http://127.0.0.1:4003/graphql'),
  /** Longest wait for one subgraph call (Apollo Gateway has none of its own). */
  SUBGRAPH_TIMEOUT_MS: milliseconds(10_000),
});

export type GatewayConfig = {
  production: boolean;
  port: number;
  host: string;
  subgraphUrls: Record<'social-care' | 'education' | 'finance', string>;
  subgraphTimeoutMs: number;
};

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = parseEnv(schema, env);
  return {
    production: parsed.NODE_ENV === 'production',
    port: parsed.PORT,
    host: parsed.HOST,
    subgraphUrls: {
      'social-care': parsed.SOCIAL_CARE_SUBGRAPH_URL,
      education: parsed.EDUCATION_SUBGRAPH_URL,
      finance: parsed.FINANCE_SUBGRAPH_URL,
    },
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS,
  };
}
