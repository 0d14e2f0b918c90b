/**
 * The gateway's composition root: token verification in front, Apollo Gateway over the
 * static supergraph, Apollo Server 5 with our error masking, liveness and readiness
 * endpoints, the public keys subgraphs verify us with, and a stop that drains requests.
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express4';
import express from 'express';
import { createExternalTokenVerifier } from '../identity/external-token';
import { InternalTokenSigner } from '../identity/internal-token';
import type { InternalIdentity } from '../identity/internal-token';
import { accessAuditPlugin, type AccessLog } from './audit/access-audit-plugin';
import { authenticate } from './auth/authenticate';
import { createHardening } from './hardening';
import { executorFor } from './rest/execute-as-caller';
import { REST_PREFIXES, restRouter } from './rest';
import type { SubgraphName } from '../schema/subgraphs';
import type { GatewayConfig } from './config';
import { SubgraphDataSource, type GatewayContext } from './subgraph-data-source';
import { loadSupergraphSdl } from './supergraph';

export interface GatewayApp {
  app: express.Express;
  /** The key set subgraphs trust (also served at /.well-known/jwks.json). */
  signer: InternalTokenSigner;
  stop(): Promise<void>;
}

export interface GatewayDependencies {
  /** The access log every read of a child's record is written to before the data leaves. */
  accessLog: AccessLog;
  /** Outside production a key is generated per start unless one is given (tests share one). */
  signer?: InternalTokenSigner;
}

export async function createGateway(
  config: GatewayConfig,
  deps: GatewayDependencies,
): Promise<GatewayApp> {
  const signer =
    deps.signer ??
    (config.signingKeyPem
      ? await InternalTokenSigner.fromPem(config.signingKeyPem)
      : await InternalTokenSigner.generate());
  const verifyToken = await createExternalTokenVerifier(config.oidc);
  const urls: Record<string, string> = config.subgraphUrls;
  const gateway = new ApolloGateway({
    supergraphSdl: loadSupergraphSdl(),
    buildService: ({ name }) => {
      const url = urls[name];
      if (!url) throw new Error(`No URL configured for subgraph ${name}`);
      const timeoutMs =
        config.subgraphTimeoutOverridesMs[name as SubgraphName] ?? config.subgraphTimeoutMs;
      return new SubgraphDataSource(name, url, timeoutMs, signer);
    },
  });
  const hardening = await createHardening(config.hardening, { production: config.production });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    ...hardening.apollo,
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...hardening.plugins,
      accessAuditPlugin(deps.accessLog),
    ],
  });
  await server.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(hardening.headers);
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness asks every subgraph; the answer is shared for a moment, so an unauthenticated
  // caller hammering this endpoint cannot multiply load onto the subgraphs.
  const readiness = cachedFor(READINESS_CACHE_MS, async () => {
    const checks = await Promise.all(
      Object.entries(urls).map(async ([name, url]) => [name, await isReady(url)] as const),
    );
    return { ready: checks.every(([, ok]) => ok), subgraphs: Object.fromEntries(checks) };
  });
  app.get('/health/ready', async (_req, res) => {
    const { ready, subgraphs } = await readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', subgraphs });
  });
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.json(signer.jwks);
  });
  const contextFor = (identity: InternalIdentity): GatewayContext => ({
    identity,
    auditEntries: [],
  });
  app.use(
    '/graphql',
    authenticate(verifyToken),
    ...hardening.perCaller,
    hardening.jsonBody,
    expressMiddleware(server, {
      context: async ({ res }) => {
        const identity = res.locals.identity;
        if (!identity) throw new Error('unauthenticated request reached GraphQL');
        return contextFor(identity);
      },
    }),
  );
  // CSV and JSON exports (full paths under /reports and /register), behind the same token
  // check, answered through the same graph.
  for (const prefix of REST_PREFIXES)
    app.use(prefix, authenticate(verifyToken), ...hardening.perCaller);
  app.use(restRouter({ execute: executorFor(server, contextFor) }));
  // Keep last: JSON 404 and error answers (never Express's HTML page with a stack trace).
  app.use(hardening.finalHandlers);

  return {
    app,
    signer,
    async stop() {
      await server.stop();
      await hardening.close();
    },
  };
}

const READINESS_CACHE_MS = 2_000;

/** One shared answer (and one call in flight) per `ms`. */
function cachedFor<T>(ms: number, compute: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > ms) cached = { at: now, value: compute() };
    return cached.value;
  };
}

/** A subgraph is ready when its own readiness endpoint says so. */
async function isReady(graphqlUrl: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/health/ready', graphqlUrl), {
      signal: AbortSignal.timeout(2_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}
