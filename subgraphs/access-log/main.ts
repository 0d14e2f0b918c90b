/** Starts the access-log subgraph from the environment (DATABASE_URL required: the log). */
import { runSubgraph } from '../run-subgraph';
import { standaloneSecurity } from '../standalone-security';
import { loadAccessLogConfig } from './config';
import { createAccessLogSubgraph } from './subgraph';

runSubgraph('access-log', async () => {
  const config = loadAccessLogConfig(process.env);
  const standalone = await standaloneSecurity(config.scope, 'access-log');
  return {
    port: config.port,
    subgraph: await createAccessLogSubgraph(config, standalone.security, standalone.stores.audit),
    close: standalone.close,
  };
});
