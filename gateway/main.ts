/** Entry point: the CLA Graph gateway on its own. */
import { listen } from '../lib/http/http-server';
import { logger } from '../lib/logger';
import { loadGatewayConfig } from './config';
import { createGateway } from './server';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const gateway = await createGateway(config);
  const running = await listen(gateway.app, config.port, config.host);
  logger.info('gateway listening', { url: `${running.url}/graphql` });
  const shutdown = async () => {
    await running.close();
    await gateway.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : 'gateway failed to start'}\n`);
  process.exit(1);
});
