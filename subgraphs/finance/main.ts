/** Starts the finance subgraph from the environment (DATABASE_URL required: need-to-know scope). */
import { runSubgraph } from '../run-subgraph';
import { standaloneSecurity } from '../standalone-security';
import { loadFinanceConfig } from './config';
import { createFinanceSubgraph } from './subgraph';

runSubgraph('finance', async () => {
  const config = loadFinanceConfig(process.env);
  const standalone = await standaloneSecurity(config.scope, 'finance');
  return {
    port: config.port,
    subgraph: await createFinanceSubgraph(config, standalone.security),
    close: standalone.close,
  };
});
