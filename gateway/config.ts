/** The gateway's configuration, parsed once from the environment. */
import { z } from 'zod';
import {
  isExplicitlyDevelopment,
  milliseconds,
  parseEnv,
  port,
  untrustworthyIdentityUrl,
} from '../lib/config';
import type { ServerTimeouts } from '../lib/http/http-server';
import {
  defaultSubgraphUrl,
  perSubgraph,
  SUBGRAPHS,
  subgraphTimeoutVariable,
  subgraphUrlVariable,
  type SubgraphName,
} from '../subgraphs/registry';
import type { HardeningConfig } from './hardening';
import { partnerIssuersSetting, type PartnerIssuer } from '../exchange/config';

/** Where `npm start` runs the development issuer (given to the gateway explicitly, never a default). */
export const DEV_ISSUER_URL = 'http://127.0.0.1:4010';
/** The audience `npm start` and the development issuer use (given explicitly, never a default). */
export const DEFAULT_AUDIENCE = 'api://cla-graph';

/** A positive whole number (a count or a size). */
const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/**
 * The registry's variables: `<NAME>_SUBGRAPH_URL` for every subgraph (default: this machine,
 * its default port), `<NAME>_SUBGRAPH_TIMEOUT_MS` for those with a deadline of their own.
 */
function subgraphEnvShape() {
  const urls: Record<`${string}_SUBGRAPH_URL`, z.ZodDefault<z.ZodString>> = {};
  const timeouts: Record<`${string}_SUBGRAPH_TIMEOUT_MS`, ReturnType<typeof milliseconds>> = {};
  for (const subgraph of SUBGRAPHS) {
    urls[subgraphUrlVariable(subgraph.name) as `${string}_SUBGRAPH_URL`] = z
      .string()
      .url()
      .default(defaultSubgraphUrl(subgraph));
    if (subgraph.gatewayTimeoutMs !== undefined) {
      const name = subgraphTimeoutVariable(subgraph.name) as `${string}_SUBGRAPH_TIMEOUT_MS`;
      timeouts[name] = milliseconds(subgraph.gatewayTimeoutMs);
    }
  }
  return { ...urls, ...timeouts };
}

/**
 * `developmentIdentity`: whether an issuer or JWKS on this machine or over plain HTTP may be
 * trusted (explicit development only).
 */
const gatewaySchema = (developmentIdentity: boolean) =>
  z
    .object({
      NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
      PORT: port(4000),
      /** Prometheus `/metrics` on a port of its own (never the public one); none when unset. */
      METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
      HOST: z.string().default('127.0.0.1'),
      /** Where each subgraph is, and a deadline of its own for those that have one. */
      ...subgraphEnvShape(),
      /** Longest wait for one subgraph call (Apollo Gateway has none of its own). */
      SUBGRAPH_TIMEOUT_MS: milliseconds(10_000),
      OIDC_ISSUER: z.string().url().optional(),
      OIDC_AUDIENCE: z.string().min(1).optional(),
      OIDC_JWKS_URL: z.string().url().optional(),
      /** SPKI PEM public key, instead of a JWKS URL. */
      OIDC_PUBLIC_KEY: z.string().optional(),
      OIDC_PUBLIC_KEY_ALG: z.enum(['RS256', 'PS256', 'ES256']).default('RS256'),
      /** Other authorities' issuers, trusted for their CLA Graph's client tokens only (exchange/). */
      PARTNER_ISSUERS: partnerIssuersSetting(developmentIdentity),
      /** PKCS8 PEM (ES256) the gateway signs subgraph tokens with. Generated per start outside production. */
      GATEWAY_SIGNING_KEY: z.string().optional(),
      // Hardening (gateway/hardening/, the README's Security section).
      /** Deepest nesting of fields an operation may have. */
      MAX_DEPTH: count(10),
      /** Aliases per operation (fragments counted where spread). */
      MAX_ALIASES: count(15),
      /** Directives per operation. */
      MAX_DIRECTIVES: count(20),
      /** Lexical tokens per document (the parser stops past it). */
      MAX_TOKENS: count(1_000),
      /** Estimated worst-case values returned (gateway/hardening/query-cost.ts). */
      MAX_COST: count(100_000),
      /** Largest request body, in bytes. */
      MAX_BODY_BYTES: count(100 * 1024),
      /** Requests per caller per minute, sustained, and the most at once (token bucket). */
      RATE_LIMIT_PER_MINUTE: count(300),
      RATE_LIMIT_BURST: count(100),
      /** Redis shared by every gateway replica for the rate limit; in memory when unset. */
      REDIS_URL: z.string().url().optional(),
      RATE_LIMIT_KEY_PREFIX: z.string().min(1).default('cla-graph:rate-limit:'),
      /** When Redis fails: `local` keeps limiting per replica in memory; `closed` answers 503. */
      RATE_LIMIT_ON_STORE_FAILURE: z.enum(['local', 'closed']).default('local'),
      /** GraphQL requests worked on at once; the next gets 503. */
      MAX_IN_FLIGHT: count(100),
      /** Receiving a whole request; receiving its headers; an idle keep-alive connection. */
      REQUEST_TIMEOUT_MS: milliseconds(30_000),
      HEADERS_TIMEOUT_MS: milliseconds(10_000),
      KEEP_ALIVE_TIMEOUT_MS: milliseconds(5_000),
      /** On SIGTERM: how long requests in flight may take to finish before their sockets are ended. */
      SHUTDOWN_TIMEOUT_MS: milliseconds(10_000),
      /** A JSON array of the only GraphQL documents allowed to run (optional). */
      SAFELIST_FILE: z.string().min(1).optional(),
      /** The development explorer at /explorer: on when NODE_ENV is development or test. */
      EXPLORER_ENABLED: z.enum(['true', 'false']).optional(),
    })
    .superRefine((env, ctx) => {
      if (env.HEADERS_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS) {
        ctx.addIssue({
          code: 'custom',
          path: ['HEADERS_TIMEOUT_MS'],
          message: 'must not be longer than REQUEST_TIMEOUT_MS',
        });
      }
      // Whom callers' tokens are trusted from is never assumed: every start names it.
      const required = {
        OIDC_ISSUER: 'required: the issuer of callers’ tokens (their `iss`)',
        OIDC_AUDIENCE: 'required: this API’s audience in callers’ tokens (their `aud`)',
      } as const;
      for (const [name, why] of Object.entries(required) as Array<[keyof typeof required, string]>)
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: why });
      if (!env.OIDC_JWKS_URL && !env.OIDC_PUBLIC_KEY) {
        ctx.addIssue({
          code: 'custom',
          path: ['OIDC_JWKS_URL'],
          message: 'required (or OIDC_PUBLIC_KEY): the keys callers’ tokens are signed with',
        });
      }
      if (!developmentIdentity) {
        for (const name of ['OIDC_ISSUER', 'OIDC_JWKS_URL'] as const) {
          const url = env[name];
          const problem = url ? untrustworthyIdentityUrl(url) : null;
          if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
        }
      }
      if (env.NODE_ENV !== 'production') return;
      if (env.EXPLORER_ENABLED === 'true') {
        ctx.addIssue({
          code: 'custom',
          path: ['EXPLORER_ENABLED'],
          message: 'the explorer is for development only, never production',
        });
      }
      if (!env.GATEWAY_SIGNING_KEY) {
        ctx.addIssue({
          code: 'custom',
          path: ['GATEWAY_SIGNING_KEY'],
          message: 'required in production',
        });
      }
    });

export interface GatewayConfig {
  production: boolean;
  port: number;
  /** Where `/metrics` is served (same host); no metrics endpoint when undefined. */
  metricsPort?: number;
  host: string;
  subgraphUrls: Record<SubgraphName, string>;
  subgraphTimeoutMs: number;
  /** Overrides of `subgraphTimeoutMs` for particular subgraphs. */
  subgraphTimeoutOverridesMs: Partial<Record<SubgraphName, number>>;
  oidc: {
    issuer: string;
    audience: string;
    jwksUrl?: string;
    publicKeyPem?: string;
    publicKeyAlgorithm: string;
  };
  /** Partner authorities' issuers: their tokens get placing-authority rights only (exchange/). */
  partnerIssuers: PartnerIssuer[];
  signingKeyPem?: string;
  hardening: HardeningConfig;
  serverTimeouts: Required<ServerTimeouts>;
  /** Longest drain on SIGTERM (requests in flight finish, their audit is written). */
  shutdownTimeoutMs: number;
  /** Serve the development explorer at /explorer (never in production). */
  explorer: boolean;
}

export interface GatewayConfigOptions {
  /**
   * Trust an issuer or JWKS on this machine or over plain HTTP although NODE_ENV is not
   * `development`: for tests that run a production-mode gateway against the development
   * issuer. Code only, never from the environment.
   */
  allowLocalIdentity?: boolean;
}

/**
 * The gateway's settings. Throws one error naming every missing or bad variable: the identity
 * settings (OIDC_ISSUER, OIDC_AUDIENCE, OIDC_JWKS_URL or OIDC_PUBLIC_KEY) have no defaults,
 * and must be HTTPS and not localhost unless NODE_ENV=development.
 */
export function loadGatewayConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: GatewayConfigOptions = {},
): GatewayConfig {
  const developmentIdentity = isExplicitlyDevelopment(env) || options.allowLocalIdentity === true;
  const parsed = parseEnv(gatewaySchema(developmentIdentity), env);
  // Present: the schema refuses a start without them.
  const issuer = parsed.OIDC_ISSUER ?? '';
  // The registry's variables (`subgraphEnvShape`), parsed with the rest.
  const subgraphEnv = parsed as Record<string, unknown>;
  return {
    production: parsed.NODE_ENV === 'production',
    port: parsed.PORT,
    metricsPort: parsed.METRICS_PORT,
    host: parsed.HOST,
    subgraphUrls: perSubgraph(({ name }) => subgraphEnv[subgraphUrlVariable(name)] as string),
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS,
    subgraphTimeoutOverridesMs: Object.fromEntries(
      SUBGRAPHS.filter((subgraph) => subgraph.gatewayTimeoutMs !== undefined).map(({ name }) => [
        name,
        subgraphEnv[subgraphTimeoutVariable(name)] as number,
      ]),
    ),
    oidc: {
      issuer,
      audience: parsed.OIDC_AUDIENCE ?? '',
      jwksUrl: parsed.OIDC_JWKS_URL,
      publicKeyPem: parsed.OIDC_PUBLIC_KEY,
      publicKeyAlgorithm: parsed.OIDC_PUBLIC_KEY_ALG,
    },
    partnerIssuers: parsed.PARTNER_ISSUERS,
    signingKeyPem: parsed.GATEWAY_SIGNING_KEY,
    hardening: {
      limits: {
        maxDepth: parsed.MAX_DEPTH,
        maxAliases: parsed.MAX_ALIASES,
        maxDirectives: parsed.MAX_DIRECTIVES,
        maxTokens: parsed.MAX_TOKENS,
        maxCost: parsed.MAX_COST,
      },
      maxBodyBytes: parsed.MAX_BODY_BYTES,
      rateLimit: {
        perMinute: parsed.RATE_LIMIT_PER_MINUTE,
        burst: parsed.RATE_LIMIT_BURST,
        redisUrl: parsed.REDIS_URL,
        keyPrefix: parsed.RATE_LIMIT_KEY_PREFIX,
        onStoreFailure: parsed.RATE_LIMIT_ON_STORE_FAILURE,
      },
      maxInFlight: parsed.MAX_IN_FLIGHT,
      safelistFile: parsed.SAFELIST_FILE,
    },
    serverTimeouts: {
      requestTimeoutMs: parsed.REQUEST_TIMEOUT_MS,
      headersTimeoutMs: parsed.HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: parsed.KEEP_ALIVE_TIMEOUT_MS,
    },
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    explorer: explorerEnabled(env.NODE_ENV, parsed.EXPLORER_ENABLED),
  };
}

/**
 * The explorer is on where NODE_ENV says development or test (explicitly: an unset NODE_ENV
 * does not count), or where EXPLORER_ENABLED=true says so; never in production (the schema
 * refuses EXPLORER_ENABLED=true there).
 */
function explorerEnabled(
  nodeEnv: string | undefined,
  setting: 'true' | 'false' | undefined,
): boolean {
  if (nodeEnv === 'production') return false;
  if (setting !== undefined) return setting === 'true';
  return nodeEnv === 'development' || nodeEnv === 'test';
}
