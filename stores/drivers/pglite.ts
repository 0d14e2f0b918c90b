/**
 * Embedded PostgreSQL (PGlite) with its files under `dataDir`, run on a worker thread (see
 * pglite-worker.js for why). PGlite is one session, so statements are serialised here: a
 * transaction holds the database from BEGIN to COMMIT, and everything else waits for it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database, Queryable, QueryResult, SqlValue } from '../database';
import { logger } from '../../lib/logger';
import { ensureSchema } from './schema';

type Request =
  | { op: 'open'; dataDir: string }
  | { op: 'query'; sql: string; params: readonly SqlValue[] }
  | { op: 'exec'; sql: string }
  | { op: 'close' };

type Reply =
  | { id: number; ok: true; rows: unknown[]; rowCount: number }
  | { id: number; ok: false; message: string; code?: string };

/** An error from PGlite, with its SQLSTATE in `code` as `pg` gives it. */
export class PgliteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'PgliteError';
  }
}

export async function openPglite(dataDir: string, schema?: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const worker = new PgliteWorker();
  try {
    await worker.call({ op: 'open', dataDir });
    const db = pgliteDatabase(worker);
    if (schema) {
      await ensureSchema(db, schema);
      // One session, so setting it once sets it for every later statement.
      await db.exec(`SET search_path TO "${schema}"`);
    }
    logger.info('database opened', { kind: 'pglite', schema: schema ?? null });
    return db;
  } catch (error) {
    await worker.close();
    throw error;
  }
}

function pgliteDatabase(worker: PgliteWorker): Database {
  const lock = new Serial();
  // `direct` is for a transaction that already holds the lock.
  const direct: Queryable = {
    async query<Row>(sql: string, params: readonly SqlValue[] = []): Promise<QueryResult<Row>> {
      const reply = await worker.call({ op: 'query', sql, params });
      return { rows: reply.rows as Row[], rowCount: reply.rowCount };
    },
    async exec(sql: string): Promise<void> {
      await worker.call({ op: 'exec', sql });
    },
  };
  return {
    kind: 'pglite',
    query: (sql, params) => lock.run(() => direct.query(sql, params)),
    exec: (sql) => lock.run(() => direct.exec(sql)),
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return lock.run(async () => {
        await direct.exec('BEGIN');
        try {
          const result = await fn(direct);
          await direct.exec('COMMIT');
          return result;
        } catch (error) {
          // The caller needs the error that failed the transaction, not a failed ROLLBACK's.
          await direct.exec('ROLLBACK').catch((rollbackError: Error) => {
            logger.error('PGlite rollback failed', { kind: rollbackError.name });
          });
          throw error;
        }
      });
    },
    close: () => lock.run(() => worker.close()),
  };
}

/** Runs tasks one after another, in the order they were asked for. */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Requests to the worker, matched to replies by id. */
class PgliteWorker {
  private readonly worker = new Worker(join(__dirname, 'pglite-worker.js'));
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor() {
    this.worker.on('message', (reply: Reply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (exitCode) => this.fail(new Error(`PGlite worker exited: ${exitCode}`)));
  }

  call(request: Request): Promise<Extract<Reply, { ok: true }>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) => {
        if (reply.ok) resolve(reply);
        else reject(new PgliteError(reply.message, reply.code));
      });
      this.worker.postMessage({ id, ...request });
    });
  }

  async close(): Promise<void> {
    if (this.failure) return;
    try {
      await this.call({ op: 'close' });
    } finally {
      this.failure = new Error('Database is closed');
      await this.worker.terminate();
    }
  }

  private fail(error: Error): void {
    if (!this.failure) {
      this.failure = error;
      logger.error('PGlite worker failed', { kind: error.name });
    }
    const rejection: Reply = { id: 0, ok: false, message: this.failure.message };
    for (const settle of this.pending.values()) settle(rejection);
    this.pending.clear();
  }
}
