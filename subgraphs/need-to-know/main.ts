/**
 * Starts the need-to-know subgraph from the environment. The grants live in the shared
 * PostgreSQL database (DATABASE_URL, required: the embedded database belongs to the
 * all-in-one `npm start`); one pool serves the grants and the scope look-ups.
 */
import { runSubgraph } from '../run-subgraph';
import { standaloneSecurity } from '../standalone-security';
import { loadNeedToKnowConfig } from './config';
import { createNeedToKnowSubgraph } from './subgraph';

runSubgraph('need-to-know', async () => {
  const config = loadNeedToKnowConfig(process.env);
  const standalone = await standaloneSecurity(config.scope, 'need-to-know');
  return {
    port: config.port,
    subgraph: await createNeedToKnowSubgraph(
      config,
      standalone.security,
      standalone.stores.needToKnow,
    ),
    close: standalone.close,
  };
});
