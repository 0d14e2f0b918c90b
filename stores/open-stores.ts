/**
 * Opens CLA Graph's own database, brings its schema up to date and returns the stores.
 * Used by the system's start and by tests.
 *
 * Roles (PostgreSQL): with `migrationUrl`, migrations run as that owner role, which then
 * gives the service role (`serviceRole`, default the role `databaseUrl` logs in as) exactly
 * the privileges in privileges.ts, and the stores use `databaseUrl` only. Without it,
 * `databaseUrl`'s role migrates (one role: development), or finds nothing to migrate (an
 * owner migrated it in a separate step: `npm run migrate`). PGlite has one role.
 */
import { logger } from '../lib/logger';
import { AuditStore } from './audit/audit-store';
import { openDatabase, type Database } from './database';
import { DesignatedTeacherHistoryStore } from './designated-teachers/designated-teacher-history-store';
import { EventStore } from './events/event-store';
import { WebhookStore } from './events/webhook-store';
import { postgresCurrentRole } from './drivers/postgres';
import { loadMigrations, migrate } from './migrate';
import { NeedToKnowStore } from './need-to-know/need-to-know-store';
import { PepHistoryStore } from './peps/pep-history-store';
import { PartnerRegisterStore } from './partner-registers/partner-register-store';
import { PlacedPupilStore } from './placed-pupils/placed-pupil-store';
import { PpPlusRequestStore } from './pupil-premium-plus/pp-plus-request-store';
import { servicePrivilegeProblems } from './privileges';
import { VirtualSchoolDirectoryStore } from './virtual-school-directory/virtual-school-directory-store';

export interface OpenStoresOptions {
  /** Real PostgreSQL when set (production): the services' own role. PGlite otherwise. */
  databaseUrl?: string;
  /** The tables' owner (PostgreSQL): migrates and grants, then is closed. */
  migrationUrl?: string;
  /** The role given the service privileges; default the role `databaseUrl` logs in as. */
  serviceRole?: string;
  /**
   * Refuse to open when `databaseUrl`'s role could get round the append-only triggers (it
   * owns the tables or their schema, or is a superuser). Always so with `migrationUrl`.
   */
  requireSeparateRoles?: boolean;
  /** PGlite's data directory, or `memory://`. */
  dataDir: string;
  /** Run in this schema (created if missing). */
  schema?: string;
}

export interface Stores {
  db: Database;
  needToKnow: NeedToKnowStore;
  audit: AuditStore;
  designatedTeacherHistory: DesignatedTeacherHistoryStore;
  /** The alert outbox: events, feed cursors, acknowledgements (issue 13). */
  events: EventStore;
  /** Webhook subscriptions and deliveries (issue 13). */
  webhooks: WebhookStore;
  /** The PEP workflow's change history (issue 14). */
  pepHistory: PepHistoryStore;
  /** Pupil Premium Plus requests and their history (issue 14). */
  ppPlusRequests: PpPlusRequestStore;
  /** The directory of local authorities' Virtual Schools and its history (issue 15). */
  virtualSchoolDirectory: VirtualSchoolDirectoryStore;
  /** What placing authorities share about their children on our schools' rolls (issue 15). */
  placedPupils: PlacedPupilStore;
  /** Other authorities' Designated Teacher registers as our sync read them (issue 15). */
  partnerRegisters: PartnerRegisterStore;
  close(): Promise<void>;
}

export async function openStores(options: OpenStoresOptions): Promise<Stores> {
  if (options.migrationUrl)
    await migrateAsOwner({ ...options, migrationUrl: options.migrationUrl });
  const db = await openDatabase({
    url: options.databaseUrl,
    dataDir: options.dataDir,
    schema: options.schema,
  });
  try {
    await migrateAsService(db, options);
    if (db.kind === 'postgres') await checkServiceRole(db, options);
  } catch (error) {
    await db.close();
    throw error;
  }
  return createStores(db);
}

/** The stores over an open, migrated database; `close()` closes the database. */
export function createStores(db: Database): Stores {
  return {
    db,
    needToKnow: new NeedToKnowStore(db),
    audit: new AuditStore(db),
    designatedTeacherHistory: new DesignatedTeacherHistoryStore(db),
    events: new EventStore(db),
    webhooks: new WebhookStore(db),
    pepHistory: new PepHistoryStore(db),
    ppPlusRequests: new PpPlusRequestStore(db),
    virtualSchoolDirectory: new VirtualSchoolDirectoryStore(db),
    placedPupils: new PlacedPupilStore(db),
    partnerRegisters: new PartnerRegisterStore(db),
    close: () => db.close(),
  };
}

/**
 * Migrates over the owner's connection and gives the service role its privileges. Before
 * the service connects: until then it may not even see the schema.
 */
export async function migrateAsOwner(
  options: Pick<OpenStoresOptions, 'databaseUrl' | 'serviceRole' | 'schema'> & {
    migrationUrl: string;
  },
): Promise<number[]> {
  if (!options.databaseUrl && !options.serviceRole) {
    throw new Error(
      'DATABASE_MIGRATION_URL needs DATABASE_URL or DATABASE_SERVICE_ROLE (the role to grant to)',
    );
  }
  const serviceRole =
    options.serviceRole ?? (await postgresCurrentRole(options.databaseUrl as string));
  const owner = await openDatabase({ url: options.migrationUrl, schema: options.schema });
  try {
    const { rows } = await owner.query<{ role: string }>('SELECT current_user AS role');
    if (rows[0]?.role === serviceRole) {
      throw new Error(
        'DATABASE_URL and DATABASE_MIGRATION_URL log in as the same role: the services need a ' +
          'role of their own, which does not own the tables',
      );
    }
    return await migrate(owner, loadMigrations(), { serviceRole });
  } finally {
    await owner.close();
  }
}

async function migrateAsService(db: Database, options: OpenStoresOptions): Promise<void> {
  try {
    await migrate(db);
  } catch (error) {
    if ((error as { code?: unknown }).code !== '42501' || options.migrationUrl) throw error;
    throw new Error(
      'The database has migrations to apply and the DATABASE_URL role may not apply them: ' +
        'set DATABASE_MIGRATION_URL (the owner role) or run `npm run migrate`',
    );
  }
}

async function checkServiceRole(db: Database, options: OpenStoresOptions): Promise<void> {
  const problems = await servicePrivilegeProblems(db);
  if (problems.length === 0) return;
  if (options.migrationUrl || options.requireSeparateRoles) {
    throw new Error(
      `The DATABASE_URL role could get round the append-only triggers: ${problems.join('; ')}. ` +
        'Connect the services as a role that does not own the tables (stores/README.md)',
    );
  }
  logger.warn('database role can alter the append-only tables (development only)', {
    problems: problems.join('; '),
  });
}
