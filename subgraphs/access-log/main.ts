/** Starts the access-log subgraph from the environment (DATABASE_URL required); stops on SIGINT/SIGTERM. */
import { listen } from '../../lib/http/http-server';
import { logger } from '../../lib/logger';
import { standaloneSecurity } from '../standalone-security';
import { loadAccessLogConfig } from './config';
import { createAccessLogSubgraph } from './subgraph';

async function main(): Promise<void> {
  const config = loadAccessLogConfig(process.env);
  const security = await standaloneSecurity(config.scope, 'access-log');
  const subgraph = await createAccessLogSubgraph(config, security.security, security.stores.audit);
  const server = await listen(subgraph.app, config.port);
  logger.info('access-log subgraph listening', { url: `${server.url}/graphql` });
  const stop = () => {
    void server
      .close()
      .then(() => subgraph.stop())
      .then(() => security.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `access-log subgraph failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
