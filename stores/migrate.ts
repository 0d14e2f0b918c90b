/**
 * Applies the versioned SQL files in `migrations/` that the database has not seen, in order,
 * each in its own transaction, and records them in `schema_migrations`.
 *
 * Replicas starting together each call this: every transaction first takes a transaction
 * advisory lock (per schema), then re-reads what is applied, so a migration runs once and
 * the others wait and find nothing to do.
 *
 * With nothing pending it only reads `schema_migrations`, so a service role that may not
 * create tables can call it on a schema an owner has migrated. Given `serviceRole` (run as
 * the owner), it then sets that role's privileges on every table (see privileges.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, Queryable } from './database';
import { logger } from '../lib/logger';
import { grantServicePrivileges } from './privileges';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
export const MIGRATIONS_DIR = join(__dirname, 'migrations');

/** Reads `dir`'s migration files, sorted by version; refuses a stray or duplicate name. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw new Error(`Migration file name must be NNNN_name.sql: ${file}`);
      return {
        version: Number(match[1]),
        name: match[2],
        sql: readFileSync(join(dir, file), 'utf8'),
      };
    })
    .sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i += 1) {
    if (migrations[i].version === migrations[i - 1].version) {
      throw new Error(`Two migrations have version ${migrations[i].version}`);
    }
  }
  return migrations;
}

// pg_advisory_xact_lock(int, int): a fixed first key for "migrations" and the schema's hash,
// so test runs in separate schemas on one server do not queue behind each other.
const LOCK_SQL = `SELECT pg_advisory_xact_lock(1128, hashtext(current_schema()))`;

// The pool's 10 s statement timeout suits requests, not an index build on a large audit
// table, nor a replica waiting for the lock while another migrates. Local: this transaction.
const MIGRATION_TIMEOUT_SQL = `SET LOCAL statement_timeout = '15min'`;

export interface MigrateOptions {
  /** The role the services connect as: given its exact privileges after migrating. */
  serviceRole?: string;
}

/** Applies pending migrations; returns the versions applied (none on a second run). */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = loadMigrations(),
  options: MigrateOptions = {},
): Promise<number[]> {
  if (!(await hasPending(db, migrations))) {
    if (options.serviceRole !== undefined) await grant(db, options.serviceRole);
    return [];
  }
  await db.transaction(async (tx) => {
    await tx.exec(MIGRATION_TIMEOUT_SQL);
    await tx.query(LOCK_SQL);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });

  const applied: number[] = [];
  const known = await appliedVersions(db);
  for (const migration of migrations) {
    if (known.has(migration.version)) continue;
    const ran = await db.transaction(async (tx) => {
      await tx.exec(MIGRATION_TIMEOUT_SQL);
      await tx.query(LOCK_SQL);
      // Another replica may have applied it while we waited for the lock.
      if ((await appliedVersions(tx)).has(migration.version)) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) {
      applied.push(migration.version);
      logger.info('migration applied', { version: migration.version, migration: migration.name });
    }
  }
  if (options.serviceRole !== undefined) await grant(db, options.serviceRole);
  return applied;
}

/** Read-only: whether `schema_migrations` is missing or lacks one of `migrations`. */
async function hasPending(db: Queryable, migrations: readonly Migration[]): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS found`,
  );
  if (!rows[0]?.found) return true;
  const known = await appliedVersions(db);
  return migrations.some((migration) => !known.has(migration.version));
}

/** Under the migration lock, so two replicas do not grant and revoke across each other. */
async function grant(db: Database, serviceRole: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.exec(MIGRATION_TIMEOUT_SQL);
    await tx.query(LOCK_SQL);
    await grantServicePrivileges(tx, serviceRole);
  });
}

async function appliedVersions(db: Queryable): Promise<Set<number>> {
  const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(rows.map((row) => row.version));
}
