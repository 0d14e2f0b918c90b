import { Client, Pool, type PoolClient } from 'pg';
import type { Database, Queryable, QueryResult, SqlValue } from '../database';
import { logger } from '../../lib/logger';
import { ensureSchema } from './schema';

const POOL_SIZE = 10;
const STATEMENT_TIMEOUT_MS = 10_000;
// A transaction left open by a bug would hold row locks for ever; the server ends it.
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;

/** Real PostgreSQL through a `pg.Pool`. */
export async function openPostgres(url: string, schema?: string): Promise<Database> {
  const pool = new Pool({
    connectionString: url,
    max: POOL_SIZE,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'cla-graph',
    statement_timeout: STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    // A startup option, so every pooled connection has it before its first query.
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  // An idle client losing its connection emits here; unhandled, it would end the process.
  pool.on('error', (error) => {
    logger.error('postgres idle client error', { code: sqlState(error) });
  });

  const db = postgresDatabase(pool);
  try {
    if (schema) {
      await ensureSchema(db, schema);
      await checkSearchPath(db, schema);
    } else {
      await db.query('SELECT 1');
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  logger.info('database opened', { kind: 'postgres', schema: schema ?? null });
  return db;
}

/**
 * The role a connection string logs in as (it may come from the URL, PGUSER or the OS user,
 * so ask the server). One short connection, no schema: the role may not see it yet.
 */
export async function postgresCurrentRole(url: string): Promise<string> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'cla-graph',
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ role: string }>('SELECT current_user AS role');
    return rows[0].role;
  } finally {
    await client.end();
  }
}

function postgresDatabase(pool: Pool): Database {
  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        await rollbackAndRelease(client);
        throw error;
      }
    },
    async close() {
      await pool.end();
    },
  };
}

function queryable(target: Pool | PoolClient): Queryable {
  return {
    async query<Row>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>> {
      const result = await target.query(sql, params ? [...params] : undefined);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      // No parameters: pg uses the simple protocol, which accepts several statements.
      await target.query(sql);
    },
  };
}

async function rollbackAndRelease(client: PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch (rollbackError) {
    // The connection is in an unknown state: destroy it rather than pool it.
    client.release(rollbackError instanceof Error ? rollbackError : true);
  }
}

/** A connection string may carry its own `options`, which would replace ours: refuse that. */
async function checkSearchPath(db: Queryable, schema: string): Promise<void> {
  const { rows } = await db.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  if (rows[0]?.schema !== schema) {
    throw new Error('Database search_path is not the configured schema');
  }
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
