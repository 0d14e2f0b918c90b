/**
 * What every subgraph server has in common: its schema built from its SDL file, Apollo Server
 * with our error masking, an express app with liveness and readiness endpoints, and a stop
 * that drains Apollo Server. Each subgraph's own `createXxxSubgraph(config)` supplies the
 * resolvers and the per-request context (its loaders).
 */
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express4';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { InternalIdentity, VerifyInternalToken } from '../../identity/internal-token';
import { SeenTokenStoreUnavailable } from '../../identity/seen-tokens';
import { AUDIT_EXTENSION, type AuditTrail } from '../audit/audit-trail';
import { ErrorCode, defaultMessage, formatError } from '../errors';
import { loadSubgraphSdl } from '../../schema/subgraphs';
import { graphqlOperationSpanPlugin, serverSpans, TRACER } from '../tracing';
import { upstreamHealthReport } from '../../upstream/common/upstream-health';
import { logger } from '../logger';
import { HEALTH_ROUTES } from '../http/health-routes';
import { requestContext } from '../observability/request-context';

/** Every subgraph's context carries the caller's request auth, and with it the audit trail. */
export interface AuditedContext extends BaseContext {
  auth: { auditTrail: AuditTrail };
}

export interface SubgraphServerOptions<TContext extends AuditedContext> {
  /** Its name in the registry (`subgraphs/registry.ts`): its SDL is `subgraphs/<name>/<name>.graphql`. */
  name: string;
  resolvers: GraphQLResolverMap<TContext>;
  /**
   * Builds the per-request context: fresh DataLoaders for every request, and the caller the
   * gateway vouched for.
   */
  context: (request: express.Request, identity: InternalIdentity | null) => Promise<TContext>;
  /**
   * Checks the gateway's signed token against the request body. When given, a request without
   * a valid token for its exact body (or with one already used) gets 401 before any GraphQL
   * runs.
   */
  verifyIdentity?: VerifyInternalToken;
  /** Readiness: can the subgraph serve (its upstream system reachable)? */
  ready?: () => Promise<boolean>;
  /** Wraps the schema with the subgraph's permissions (graphql-shield). */
  permissions?: (schema: GraphQLSchema) => GraphQLSchema;
  /** Production: no introspection. */
  production: boolean;
  /** Extra clean-up on stop (close upstream clients). */
  onStop?: () => Promise<void> | void;
}

export interface SubgraphApp {
  app: express.Express;
  schema: GraphQLSchema;
  stop(): Promise<void>;
}

export async function createSubgraphApp<TContext extends AuditedContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<SubgraphApp> {
  const built = buildSubgraphSchema({
    typeDefs: loadSubgraphSdl(options.name),
    // Resolvers are typed against our context; the schema builder only knows `unknown`.
    resolvers: options.resolvers as GraphQLResolverMap<unknown>,
  });
  const schema = options.permissions ? options.permissions(built) : built;
  const server = new ApolloServer<TContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // The entry point owns SIGTERM (drain in-flight requests, then stop): Apollo's own handler
    // would stop at once and re-raise the signal, killing requests in flight.
    stopOnTerminationSignals: false,
    introspection: !options.production,
    // The gateway is the only client: no batching, no landing page.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // Federated traces would carry resolver error details to the gateway.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // No answer here may be cached (each is one caller's view), and nothing sets cache hints:
      // Apollo's cache-control plugin would only add a hook to every field (0.5 s of a cached
      // 3,000-cell report).
      ApolloServerPluginCacheControlDisabled(),
      auditTrailPlugin<TContext>(),
      graphqlOperationSpanPlugin<TContext>(),
    ],
  });
  await server.start();

  const app = express();
  app.disable('x-powered-by');
  // The request id the gateway forwards, in every log line written for this request.
  app.use(requestContext());
  app.get(HEALTH_ROUTES.live, (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(HEALTH_ROUTES.ready, async (_req, res) => {
    const [ready, systems] = await Promise.all([
      options.ready ? options.ready().catch(() => false) : true,
      upstreamHealthReport(),
    ]);
    // The council systems this process calls, for the gateway's readiness: names and states only.
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', systems });
  });
  app.use('/graphql', (_req, res, next) => {
    const startedAt = performance.now();
    res.on('finish', () => {
      logger.debug('subgraph request', {
        subgraph: options.name,
        status: res.statusCode,
        durationMs: Math.round(performance.now() - startedAt),
      });
    });
    next();
  });
  const graphqlMiddleware = expressMiddleware(server, {
    context: async ({ req, res }) =>
      options.context(req, (res.locals.subgraphIdentity as InternalIdentity | undefined) ?? null),
  });
  const verify = options.verifyIdentity;
  // Traced from the gateway's `traceparent` (the gateway is the only caller a subgraph accepts).
  const spans = serverSpans(TRACER.subgraph, '/graphql', {
    trustIncoming: true,
    attributes: { 'cla_graph.subgraph': options.name },
  });
  if (verify) {
    app.use('/graphql', spans.start, ...verifiedJsonBody(verify), spans.resume, graphqlMiddleware);
  } else {
    app.use(
      '/graphql',
      spans.start,
      express.json({ limit: BODY_LIMIT }),
      spans.resume,
      graphqlMiddleware,
    );
  }

  return {
    app,
    schema,
    async stop() {
      await server.stop();
      await options.onStop?.();
    },
  };
}

const BODY_LIMIT = '1mb';
const BEARER = /^Bearer ([A-Za-z0-9\-_.]+)$/;

/** The one answer to every request that does not carry a valid token for its body. */
function refuse(res: express.Response): void {
  res.status(401).json({
    errors: [
      {
        message: defaultMessage(ErrorCode.UNAUTHENTICATED),
        extensions: { code: ErrorCode.UNAUTHENTICATED },
      },
    ],
  });
}

/**
 * Reads the body as bytes, checks the gateway's token against exactly those bytes (the token
 * names their hash, and may be used once), and only then parses them: a request that is not
 * the gateway's gets the same 401 however it is malformed. Only POST: a GET's query is in its
 * URL, which the token does not cover.
 */
function verifiedJsonBody(
  verify: VerifyInternalToken,
): Array<express.RequestHandler | express.ErrorRequestHandler> {
  const bearerToken = (req: express.Request): string | undefined =>
    BEARER.exec(req.headers.authorization ?? '')?.[1];
  const checkRequest: express.RequestHandler = (req, res, next) => {
    if (req.method !== 'POST' || !bearerToken(req)) return refuse(res);
    next();
  };
  // A body that cannot be read (too large, bad encoding) cannot be checked either.
  const unreadable: express.ErrorRequestHandler = (_error, _req, res, _next) => refuse(res);
  const checkToken: express.RequestHandler = async (req, res, next) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      res.locals.subgraphIdentity = await verify(bearerToken(req) ?? '', body);
    } catch (error) {
      if (!(error instanceof SeenTokenStoreUnavailable)) return refuse(res);
      res.status(503).json({
        errors: [
          { message: 'Service unavailable.', extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE } },
        ],
      });
      return;
    }
    try {
      req.body = body.length > 0 ? (JSON.parse(body.toString('utf8')) as unknown) : {};
    } catch {
      res.status(400).json({
        errors: [
          { message: 'The request body is not JSON.', extensions: { code: ErrorCode.BAD_REQUEST } },
        ],
      });
      return;
    }
    next();
  };
  return [
    checkRequest,
    express.raw({ type: () => true, limit: BODY_LIMIT }),
    unreadable,
    checkToken,
  ];
}

/** Hands the request's audit trail to the gateway in the response extensions. */
function auditTrailPlugin<TContext extends AuditedContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const entries = contextValue.auth.auditTrail.entries();
          if (entries.length === 0) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [AUDIT_EXTENSION]: entries };
        },
      };
    },
  };
}
