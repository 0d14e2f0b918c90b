/**
 * `npm run migrate`: the deployment step that migrates CLA Graph's database as the owner
 * role (DATABASE_MIGRATION_URL) and gives the services' role (DATABASE_SERVICE_ROLE, or the
 * role DATABASE_URL logs in as) its privileges. After it, the services need only
 * DATABASE_URL: they find nothing to migrate, and never hold the owner's credentials.
 */
import { logger } from '../lib/logger';
import { databaseConfig } from './config';
import { migrateAsOwner } from './open-stores';

async function main(): Promise<void> {
  const config = databaseConfig();
  if (!config.migrationUrl) throw new Error('DATABASE_MIGRATION_URL is required (the owner role)');
  const applied = await migrateAsOwner({ ...config, migrationUrl: config.migrationUrl });
  logger.info('database migrated', { applied: applied.join(',') });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : 'migration failed'}\n`);
  process.exit(1);
});
