/**
 * Opens CLA Graph's own database, brings its schema up to date and returns the stores.
 * Used by the system's start and by tests.
 */
import { AuditStore } from './audit/audit-store';
import { openDatabase, type Database } from './database';
import { DesignatedTeacherHistoryStore } from './designated-teachers/designated-teacher-history-store';
import { migrate } from './migrate';
import { NeedToKnowStore } from './need-to-know/need-to-know-store';

export interface OpenStoresOptions {
  /** Real PostgreSQL when set (production); embedded PGlite under `dataDir` otherwise. */
  databaseUrl?: string;
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
  close(): Promise<void>;
}

export async function openStores(options: OpenStoresOptions): Promise<Stores> {
  const db = await openDatabase({
    url: options.databaseUrl,
    dataDir: options.dataDir,
    schema: options.schema,
  });
  try {
    await migrate(db);
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
    close: () => db.close(),
  };
}
