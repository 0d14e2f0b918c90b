/**
 * The container image's HEALTHCHECK: asks the service this container runs (SERVICE, as
 * `deploy/docker-entrypoint.sh` chose it) its liveness route on its PORT, and exits 0 when it
 * answers 200 within 3 s, 1 otherwise. The migration step serves nothing: always healthy.
 */
import { HEALTH_ROUTES, SIMULATOR_HEALTH_ROUTE } from '../lib/http/health-routes';

const service = process.env.SERVICE ?? 'gateway';
const port = process.env.PORT ?? '4000';

async function main(): Promise<boolean> {
  if (service === 'migrate') return true;
  const route = service.startsWith('simulator-') ? SIMULATOR_HEALTH_ROUTE : HEALTH_ROUTES.live;
  const response = await fetch(`http://127.0.0.1:${port}${route}`, {
    signal: AbortSignal.timeout(3_000),
  });
  return response.ok;
}

main().then(
  (healthy) => process.exit(healthy ? 0 : 1),
  () => process.exit(1),
);
