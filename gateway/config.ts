/** The gateway's configuration, parsed once from the environment. */
import { z } from 'zod';
import { milliseconds, parseEnv, port } from '../lib/config';
import type { SubgraphName } from '../schema/subgraphs';

/** Where the development issuer runs by default (`npm start` outside production). */
export const DEV_ISSUER_URL = 'http://127.0.0.1:4010';
export const DEFAULT_AUDIENCE = 'api://cla-graph';

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: port(4000),
    HOST: z.string().default('127.0.0.1'),
    SOCIAL_CARE_SUBGRAPH_URL: z.string().url().default('http://127.0.0.1:4001/graphql'),
    EDUCATION_SUBGRAPH_URL: z.string().url().default('http://127.0.0.1:4002/graphql'),
    FINANCE_SUBGRAPH_URL: z.string().url().default('http://127.0.0.1:4003/graphql'),
    NEED_TO_KNOW_SUBGRAPH_URL: z.string().url().default('http://127.0.0.1:4004/graphql'),
    ACCESS_LOG_SUBGRAPH_URL: z.string().url().default('http://127.0.0.1:4006/graphql'),
    /** Longest wait for one subgraph call (Apollo Gateway has none of its own). */
    SUBGRAPH_TIMEOUT_MS: milliseconds(10_000),
    OIDC_ISSUER: z.string().url().optional(),
    OIDC_AUDIENCE: z.string().min(1).optional(),
    OIDC_JWKS_URL: z.string().url().optional(),
    /** SPKI PEM public key, instead of a JWKS URL. */
    OIDC_PUBLIC_KEY: z.string().optional(),
    OIDC_PUBLIC_KEY_ALG: z.enum(['RS256', 'PS256', 'ES256']).default('RS256'),
    /** PKCS8 PEM (ES256) the gateway signs subgraph tokens with. Generated per start outside production. */
    GATEWAY_SIGNING_KEY: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    for (const name of ['OIDC_ISSUER', 'OIDC_AUDIENCE', 'GATEWAY_SIGNING_KEY'] as const) {
      if (!env[name])
        ctx.addIssue({ code: 'custom', path: [name], message: 'required in production' });
    }
    if (!env.OIDC_JWKS_URL && !env.OIDC_PUBLIC_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_JWKS_URL'],
        message: 'OIDC_JWKS_URL or OIDC_PUBLIC_KEY is required in production',
      });
    }
  });

export interface GatewayConfig {
  production: boolean;
  port: number;
  host: string;
  subgraphUrls: Record<SubgraphName, string>;
  subgraphTimeoutMs: number;
  oidc: {
    issuer: string;
    audience: string;
    jwksUrl?: string;
    publicKeyPem?: string;
    publicKeyAlgorithm: string;
  };
  signingKeyPem?: string;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = parseEnv(schema, env);
  const issuer = parsed.OIDC_ISSUER ?? DEV_ISSUER_URL;
  return {
    production: parsed.NODE_ENV === 'production',
    port: parsed.PORT,
    host: parsed.HOST,
    subgraphUrls: {
      'social-care': parsed.SOCIAL_CARE_SUBGRAPH_URL,
      education: parsed.EDUCATION_SUBGRAPH_URL,
      finance: parsed.FINANCE_SUBGRAPH_URL,
      'need-to-know': parsed.NEED_TO_KNOW_SUBGRAPH_URL,
      'access-log': parsed.ACCESS_LOG_SUBGRAPH_URL,
    },
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS,
    oidc: {
      issuer,
      audience: parsed.OIDC_AUDIENCE ?? DEFAULT_AUDIENCE,
      jwksUrl:
        parsed.OIDC_JWKS_URL ??
        (parsed.OIDC_PUBLIC_KEY ? undefined : `${issuer}/.well-known/jwks.json`),
      publicKeyPem: parsed.OIDC_PUBLIC_KEY,
      publicKeyAlgorithm: parsed.OIDC_PUBLIC_KEY_ALG,
    },
    signingKeyPem: parsed.GATEWAY_SIGNING_KEY,
  };
}
