/** Starts the social care subgraph from the environment (DATABASE_URL required: need-to-know scope). */
import { runSubgraph } from '../run-subgraph';
import { standaloneSecurity } from '../standalone-security';
import { loadSocialCareConfig } from './config';
import { createSocialCareSubgraph } from './subgraph';

runSubgraph('social care', async () => {
  const config = loadSocialCareConfig(process.env);
  const standalone = await standaloneSecurity(config.scope, 'social-care');
  return {
    port: config.port,
    subgraph: await createSocialCareSubgraph(config, standalone.security),
    close: standalone.close,
  };
});
