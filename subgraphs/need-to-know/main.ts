/**
 * Starts the need-to-know subgraph from the environment; stops gracefully on SIGINT/SIGTERM.
 * The grants live in the shared PostgreSQL database (DATABASE_URL, required here: the embedded
 * database belongs to the all-in-one `npm start`), which also feeds scope.
 */
import { listen } from '../../lib/http/http-server';
import { logger } from '../../lib/logger';
import { standaloneSecurity } from '../standalone-security';
import { loadNeedToKnowConfig } from './config';
import { createNeedToKnowSubgraph } from './subgraph';

async function main(): Promise<void> {
  const config = loadNeedToKnowConfig(process.env);
  // Refuses to start without DATABASE_URL; one pool serves scope look-ups and the grants.
  const security = await standaloneSecurity(config.scope, 'need-to-know');
  const subgraph = await createNeedToKnowSubgraph(
    config,
    security.security,
    security.stores.needToKnow,
  );
  const server = await listen(subgraph.app, config.port);
  logger.info('need-to-know subgraph listening', { url: `${server.url}/graphql` });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('need-to-know subgraph stopping', { signal });
    void server
      .close()
      .then(() => subgraph.stop())
      .then(() => security.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Config errors name the variables, never their values.
  process.stderr.write(
    `need-to-know subgraph failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
