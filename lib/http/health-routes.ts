/**
 * The health routes every CLA Graph service (the gateway and each subgraph) and each simulator
 * serves, named once: the services register them, the container health check asks them
 * (`scripts/healthcheck.ts`), and the deployment files' probes are checked against them
 * (`tests/deployment.test.ts`).
 */
export const HEALTH_ROUTES = {
  /** The process is up and serving HTTP (liveness: restart it when this fails). */
  live: '/health/live',
  /** It can do its work: its dependencies answer (readiness: send it traffic only then). */
  ready: '/health/ready',
} as const;

/** The simulated council systems' one open route (no key): up and serving. */
export const SIMULATOR_HEALTH_ROUTE = '/health';
