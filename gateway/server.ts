/**
 * The gateway's composition root: token verification in front, Apollo Gateway over the
 * static supergraph, Apollo Server 5 with our error masking, liveness and readiness
 * endpoints, the public keys subgraphs verify us with, and a stop that drains requests.
 */
import cluster from 'node:cluster';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express4';
import express from 'express';
import { HEALTH_ROUTES } from '../lib/http/health-routes';
import { createExternalTokenVerifier } from '../identity/external-token';
import { explorerRouter } from './explorer';
import { graphqlOperationSpanPlugin, serverSpans, TRACER } from '../lib/tracing';
import { InternalTokenSigner } from '../identity/internal-token';
import type { InternalIdentity } from '../identity/internal-token';
import { accessAuditPlugin, type AccessLog } from './audit/access-audit-plugin';
import { authenticate } from './auth/authenticate';
import { withPartnerIssuers } from '../exchange/partner-tokens';
import { createHardening } from './hardening';
import { executorFor } from './rest/execute-as-caller';
import { REST_PREFIXES, restRouter } from './rest';
import type { SubgraphName } from '../schema/subgraphs';
import type { GatewayConfig } from './config';
import { SubgraphDataSource, type GatewayContext } from './subgraph-data-source';
import { loadSupergraphSdl } from './supergraph';
import { startMetricsServer } from '../lib/observability/metrics-server';
import { requestContext } from '../lib/observability/request-context';
import { requestObservabilityPlugin } from './observability';
import { readinessHandler } from './readiness';

export interface GatewayApp {
  app: express.Express;
  /** The key set subgraphs trust (also served at /.well-known/jwks.json). */
  signer: InternalTokenSigner;
  /** Where Prometheus scrapes `/metrics` (METRICS_PORT), when it is set. */
  metricsUrl?: string;
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
  // Staff tokens from our issuer; partner authorities' client tokens from theirs (exchange/).
  const verifyToken = withPartnerIssuers(
    config.oidc.issuer,
    await createExternalTokenVerifier(config.oidc),
    config.partnerIssuers,
    config.oidc.audience,
  );
  const urls: Record<string, string> = config.subgraphUrls;
  // Apollo Gateway otherwise exports host metrics to Apollo's servers every minute: a council
  // service calls no third party, so it is off whatever the environment says.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: loadSupergraphSdl(),
    // Apollo's own spans (gateway.request/plan/fetch) join our traces: never the document or
    // exception messages, which can quote a caller's arguments.
    telemetry: { includeDocument: false, recordExceptions: false },
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
    // The entry point owns SIGTERM (drain in-flight requests, then stop): Apollo's own handler
    // would stop at once and re-raise the signal, killing requests in flight.
    stopOnTerminationSignals: false,
    introspection: !config.production,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...hardening.plugins,
      accessAuditPlugin(deps.accessLog),
      requestObservabilityPlugin(),
      graphqlOperationSpanPlugin<GatewayContext>(),
    ],
  });
  await server.start();

  const app = express();
  app.disable('x-powered-by');
  // First: every log line written for a request carries its request id (and trace id).
  app.use(requestContext({ trustIncomingId: false }));
  app.use(hardening.headers);
  app.get(HEALTH_ROUTES.live, (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Each subgraph and council system, up, degraded or down (`readiness.ts`).
  app.get(HEALTH_ROUTES.ready, readinessHandler(urls));
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.json(signer.jwks);
  });
  const contextFor = (identity: InternalIdentity): GatewayContext => ({
    identity,
    auditEntries: [],
  });
  // Each GraphQL request a new trace (never a caller's traceparent), named after its operation.
  const spans = serverSpans(TRACER.gateway, '/graphql', { trustIncoming: false });
  app.use(
    '/graphql',
    spans.start,
    authenticate(verifyToken),
    ...hardening.perCaller,
    hardening.jsonBody,
    spans.resume,
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
  // Traced by prefix only: their paths can hold a child's id.
  for (const prefix of REST_PREFIXES)
    app.use(
      prefix,
      serverSpans(TRACER.gateway, prefix, { trustIncoming: false }).start,
      authenticate(verifyToken),
      ...hardening.perCaller,
    );
  app.use(restRouter({ execute: executorFor(server, contextFor) }));
  // The development explorer (GraphiQL, persona tokens); never in production.
  if (config.explorer) app.use('/explorer', explorerRouter({ issuer: config.oidc.issuer }));
  // Keep last: JSON 404 and error answers (never Express's HTML page with a stack trace).
  app.use(hardening.finalHandlers);

  // A cluster worker serves none: its primary serves every worker's, summed (gateway/main.ts).
  const metrics =
    config.metricsPort === undefined || cluster.isWorker
      ? undefined
      : await startMetricsServer(config.metricsPort, config.host);
  return {
    app,
    signer,
    metricsUrl: metrics && `${metrics.url}/metrics`,
    async stop() {
      await metrics?.close();
      await server.stop();
      await hardening.close();
    },
  };
}
