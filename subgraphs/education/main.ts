/** Starts the education subgraph from the environment; stops gracefully on SIGINT/SIGTERM. */
import { listen } from '../../lib/http/http-server';
import { logger } from '../../lib/logger';
import { standaloneSecurity } from '../standalone-security';
import { loadEducationConfig } from './config';
import { createEducationSubgraph } from './subgraph';

async function main(): Promise<void> {
  const config = loadEducationConfig(process.env);
  const security = await standaloneSecurity(config.scope, 'education');
  const subgraph = await createEducationSubgraph(config, security.security);
  const server = await listen(subgraph.app, config.port);
  logger.info('education subgraph listening', {
    url: `${server.url}/graphql`,
    laCode: config.laCode,
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('education subgraph stopping', { signal });
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
    `education subgraph failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
