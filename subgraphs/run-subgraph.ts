/**
 * Every subgraph's `main.ts`: refuse to start without its identity settings (whose keys to
 * trust, which authority it serves: no defaults), parse its configuration, build it from its
 * descriptor, listen on its port, say where, and on SIGINT/SIGTERM stop accepting, drain,
 * close its resources and exit. A start-up failure prints the reason, no stack trace (config
 * errors name variables, never values), and exits 1.
 */
import { requireStandaloneIdentity } from '../lib/authz/subgraph-security';
import { listen } from '../lib/http/http-server';
import { logger } from '../lib/logger';
import type { SubgraphDescriptor } from './descriptor';
import { standaloneDeps } from './standalone-security';

export function runSubgraph(descriptor: SubgraphDescriptor): void {
  const label = descriptor.name;
  const main = async () => {
    requireStandaloneIdentity(process.env);
    const config = descriptor.loadConfig(process.env);
    const { deps, close } = await standaloneDeps(descriptor, config);
    const subgraph = await descriptor.create(config, deps);
    const server = await listen(subgraph.app, config.port);
    logger.info(`${label} subgraph listening`, { url: `${server.url}/graphql` });
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info(`${label} subgraph stopping`, { signal });
      void server
        .close()
        .then(() => subgraph.stop())
        .then(() => close())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  };
  main().catch((error: unknown) => {
    process.stderr.write(
      `${label} subgraph failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
