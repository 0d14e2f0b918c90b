/**
 * The gateway's defences against abuse (OWASP GraphQL cheat sheet), one module per control,
 * put together here for `server.ts` to wire in:
 * - `query-limits.ts`: tokens, depth, aliases, directives (parser and validation rules);
 * - `query-cost.ts`: a worst-case cost estimate, refused above MAX_COST;
 * - `error-masking.ts`: stable codes and safe texts, no suggestions, no schema in production;
 * - `rate-limit.ts`: a token bucket per caller, in Redis or in memory;
 * - `load-shedding.ts`: a cap on requests in flight, 503 past it;
 * - `security-headers.ts`: helmet, a CSP for a JSON API, no-store;
 * - `http-errors.ts`: the capped JSON body parser and JSON answers for every HTTP-level error;
 * - `safelist.ts`: optionally, only registered operations run.
 * HTTP batching, CSRF prevention, introspection and the landing page are Apollo Server options
 * set in `server.ts`; server timeouts are `listen`'s (lib/http/http-server.ts).
 */
import type { ApolloServerPlugin, ApolloServerOptions, BaseContext } from '@apollo/server';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { createFormatError } from './error-masking';
import { errorHandler, jsonBody, notFound } from './http-errors';
import { inFlightLimit } from './load-shedding';
import { queryCostPlugin } from './query-cost';
import { limitErrorsOnly, parseLimits, queryLimitRules, type QueryLimits } from './query-limits';
import {
  MemoryRateLimitStore,
  RedisRateLimitStore,
  rateLimit,
  type RateLimitPolicy,
  type RateLimitStore,
  type StoreFailureMode,
} from './rate-limit';
import { loadSafelist, safelistPlugin } from './safelist';
import { securityHeaders } from './security-headers';

export interface HardeningConfig {
  limits: QueryLimits & { maxCost: number };
  maxBodyBytes: number;
  rateLimit: RateLimitPolicy & {
    /** Shared buckets for every replica; in memory when absent. */
    redisUrl?: string;
    keyPrefix: string;
    onStoreFailure: StoreFailureMode;
  };
  maxInFlight: number;
  /** Only the operations in this file run (see safelist.ts); every operation when absent. */
  safelistFile?: string;
}

type ApolloHardening = Required<
  Pick<
    ApolloServerOptions<BaseContext>,
    | 'formatError'
    | 'validationRules'
    | 'parseOptions'
    | 'hideSchemaDetailsFromClientErrors'
    | 'persistedQueries'
  >
>;

export interface Hardening {
  /** Spread into the ApolloServer options. */
  apollo: ApolloHardening;
  /** Added to the ApolloServer plugins. */
  plugins: ApolloServerPlugin[];
  /** First on the app: security headers on every response. */
  headers: RequestHandler[];
  /** After `authenticate` on /graphql and the exports: the rate limit, then the in-flight cap. */
  perCaller: RequestHandler[];
  /** The JSON body parser with the size cap. */
  jsonBody: RequestHandler;
  /** Last on the app: JSON 404 and the error handler. */
  finalHandlers: [RequestHandler, ErrorRequestHandler];
  close(): Promise<void>;
}

export async function createHardening(
  config: HardeningConfig,
  options: { production: boolean },
): Promise<Hardening> {
  const { redisUrl, keyPrefix, onStoreFailure, ...policy } = config.rateLimit;
  const safelist = config.safelistFile ? [safelistPlugin(loadSafelist(config.safelistFile))] : [];
  const store: RateLimitStore = redisUrl
    ? await RedisRateLimitStore.connect({
        url: redisUrl,
        policy,
        keyPrefix,
        onFailure: onStoreFailure,
      })
    : new MemoryRateLimitStore(policy);
  return {
    apollo: {
      formatError: createFormatError(options),
      validationRules: queryLimitRules(config.limits),
      parseOptions: parseLimits(config.limits),
      // Apollo's own suggestion stripping on validation errors (error-masking covers the rest).
      hideSchemaDetailsFromClientErrors: true,
      // Automatic persisted queries: not used by our clients, so not offered.
      persistedQueries: false,
    },
    plugins: [...safelist, queryCostPlugin(config.limits.maxCost), limitErrorsOnly],
    headers: securityHeaders(),
    perCaller: [rateLimit(store, policy), inFlightLimit(config.maxInFlight)],
    jsonBody: jsonBody(config.maxBodyBytes),
    finalHandlers: [notFound, errorHandler],
    close: () => store.close(),
  };
}
