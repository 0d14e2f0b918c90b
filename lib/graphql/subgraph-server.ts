/**
 * What every subgraph server has in common: its schema built from its SDL file, Apollo Server
 * with our error masking, an express app with liveness and readiness endpoints, and a stop
 * that drains Apollo Server. Each subgraph's own `createXxxSubgraph(config)` supplies the
 * resolvers and the per-request context (its loaders).
 */
import { ApolloServer, type BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express4';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { formatError } from '../errors';
import { loadSubgraphSdl, type SubgraphName } from '../../schema/subgraphs';

export interface SubgraphServerOptions<TContext extends BaseContext> {
  name: SubgraphName;
  resolvers: GraphQLResolverMap<TContext>;
  /** Builds the per-request context: fresh DataLoaders for every request. */
  context: (request: express.Request) => Promise<TContext>;
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

export async function createSubgraphApp<TContext extends BaseContext>(
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
    introspection: !options.production,
    // The gateway is the only client: no batching, no landing page.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
  });
  await server.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const ready = options.ready ? await options.ready().catch(() => false) : true;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, { context: async ({ req }) => options.context(req) }),
  );

  return {
    app,
    schema,
    async stop() {
      await server.stop();
      await options.onStop?.();
    },
  };
}
