/**
 * Starts the education subgraph from the environment. DATABASE_URL is required: need-to-know
 * scope and the register's change history live in the shared database.
 */
import { runSubgraph } from '../run-subgraph';
import { standaloneSecurity } from '../standalone-security';
import { loadEducationConfig } from './config';
import { createEducationSubgraph } from './subgraph';

runSubgraph('education', async () => {
  const config = loadEducationConfig(process.env);
  const standalone = await standaloneSecurity(config.scope, 'education');
  return {
    port: config.port,
    subgraph: await createEducationSubgraph(
      config,
      standalone.security,
      standalone.stores.designatedTeacherHistory,
    ),
    close: standalone.close,
  };
});
