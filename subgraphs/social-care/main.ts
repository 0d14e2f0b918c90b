/** Starts the social care subgraph from the environment; stops gracefully on SIGINT/SIGTERM. */
import { listen } from '../../lib/http/http-server';
import { logger } from '../../lib/logger';
import { standaloneSecurity } from '../standalone-security';
import { loadSocialCareConfig } from './config';
import { createSocialCareSubgraph } from './subgraph';

async function main(): Promise<void> {
  const config = loadSocialCareConfig(process.env);
  const security = await standaloneSecurity(config.scope, 'social-care');
  const subgraph = await createSocialCareSubgraph(config, security.security);
  const server = await listen(subgraph.app, config.port);
  logger.info('social care subgraph listening', { url: `${server.url}/graphql` });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('social care subgraph stopping', { signal });
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
    `social care subgraph failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
