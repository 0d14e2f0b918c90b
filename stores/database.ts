/**
 * The one database interface CLA Graph's own stores use, whichever engine is underneath:
 * real PostgreSQL in production (`DATABASE_URL`), embedded PGlite otherwise, so a fresh
 * machine needs no server. Both speak the same SQL; the stores never branch on `kind`.
 */
import { openPglite } from './drivers/pglite';
import { openPostgres } from './drivers/postgres';

/** What a query parameter may be. Objects are not accepted: pass JSON as a string and cast. */
export type SqlValue = string | number | boolean | null | Date | readonly string[];

export interface QueryResult<Row> {
  rows: Row[];
  /** Rows returned (SELECT) or affected (INSERT, UPDATE, DELETE). */
  rowCount: number;
}

export interface Queryable {
  /** One statement, parameters as `$1`, `$2`... */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly SqlValue[],
  ): Promise<QueryResult<Row>>;
  /** A script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `fn` in one transaction: commits if it resolves, rolls back if it throws. Inside,
   * use only `tx`: on PGlite the outer database waits for the transaction to end, so a
   * query on it from inside `fn` would never run.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL connection string. When set, `dataDir` is ignored. */
  url?: string;
  /** PGlite's data directory (created if missing), or `memory://` for a throwaway one. */
  dataDir?: string;
  /** Run everything in this schema, created if missing (tests use one per run). */
  schema?: string;
}

// Only plain lower-case names: the name goes into DDL and a startup option, unescaped.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error('Database schema name must match ^[a-z_][a-z0-9_]{0,62}$');
  }
  if (options.url) return openPostgres(options.url, options.schema);
  // No silent in-memory default: losing the audit log on restart must be asked for.
  if (!options.dataDir) throw new Error('openDatabase needs a url or a dataDir');
  return openPglite(options.dataDir, options.schema);
}
