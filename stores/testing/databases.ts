/**
 * The databases every store test runs on: embedded PGlite in memory, and the machine's real
 * PostgreSQL in a fresh schema that is dropped afterwards. The list is built when a test
 * file loads (Jest cannot skip a describe.each case later without reporting it skipped).
 *
 * No server: under CI that is a failure; on a developer's machine only the PGlite half
 * runs, and one line says so.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { openDatabase, type Database } from '../database';
import { migrate } from '../migrate';
import { createStores, openStores, type Stores } from '../open-stores';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** A fresh, unmigrated database; `close()` also drops its schema. */
  openDatabase(): Promise<Database>;
  /** Fresh, migrated stores; `close()` also drops their schema. */
  openStores(): Promise<Stores>;
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

export const uniqueSchema = (): string =>
  `cla_test_${process.pid}_${randomBytes(4).toString('hex')}`;

const pglite: TestDatabase = {
  name: 'pglite',
  openDatabase: () => openDatabase({ dataDir: 'memory://' }),
  openStores: () => openStores({ dataDir: 'memory://' }),
};

function postgres(url: string): TestDatabase {
  const open = async (): Promise<Database> => {
    const schema = uniqueSchema();
    const db = await openDatabase({ url, schema });
    return {
      kind: db.kind,
      query: (sql, params) => db.query(sql, params),
      exec: (sql) => db.exec(sql),
      transaction: (fn) => db.transaction(fn),
      async close() {
        try {
          await db.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await db.close();
        }
      },
    };
  };
  return {
    name: 'postgres',
    openDatabase: open,
    async openStores() {
      // Not openStores: the stores must sit on the wrapper that drops the schema.
      const db = await open();
      await migrate(db);
      return createStores(db);
    },
  };
}

/**
 * Finds a PostgreSQL that answers, synchronously (a child process), so the answer is known
 * while Jest collects the tests. TEST_DATABASE_URL when set; otherwise the default, then
 * the same server as the current OS user.
 */
function reachablePostgresUrl(): { url: string | null; tried: string } {
  const candidates = process.env.TEST_DATABASE_URL
    ? [process.env.TEST_DATABASE_URL]
    : [DEFAULT_URL, `postgres://${userInfo().username}@127.0.0.1:5432/test`];
  const probe = `
    const { Client } = require('pg');
    (async () => {
      for (const url of JSON.parse(process.env.CANDIDATES)) {
        const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
        try { await client.connect(); await client.query('SELECT 1'); await client.end(); }
        catch { continue; }
        process.stdout.write(url);
        return;
      }
    })();`;
  const result = spawnSync(process.execPath, ['-e', probe], {
    cwd: resolve(__dirname, '..', '..'),
    env: { ...process.env, CANDIDATES: JSON.stringify(candidates) },
    encoding: 'utf8',
    timeout: 15_000,
  });
  const url = result.status === 0 && result.stdout ? result.stdout : null;
  return { url, tried: candidates.map(withoutPassword).join(', ') };
}

function withoutPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

const probed = reachablePostgresUrl();

/** The real server's URL, or null when the PostgreSQL half is not running. */
export const postgresTestUrl: string | null = probed.url;

function buildTestDatabases(): TestDatabase[] {
  const { url, tried } = probed;
  if (url) return [pglite, postgres(url)];
  if (isCi(process.env.CI)) {
    throw new Error(`CI: no PostgreSQL for the store tests at ${tried} (set TEST_DATABASE_URL)`);
  }
  process.stderr.write(
    `PostgreSQL tests were not run: no server at ${tried} (PGlite only; set CI to make this fail)\n`,
  );
  return [pglite];
}

function isCi(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false'].includes(value.toLowerCase());
}

export const testDatabases: TestDatabase[] = buildTestDatabases();

/** A Database that counts the statements sent through it, transactions included. */
export function countingDatabase(db: Database): { db: Database; statements: string[] } {
  const statements: string[] = [];
  const counted = <T extends Pick<Database, 'query' | 'exec'>>(target: T) => ({
    query: ((sql, params) => {
      statements.push(sql);
      return target.query(sql, params);
    }) as Database['query'],
    exec: (sql: string) => {
      statements.push(sql);
      return target.exec(sql);
    },
  });
  return {
    statements,
    db: {
      kind: db.kind,
      ...counted(db),
      transaction: (fn) => db.transaction((tx) => fn(counted(tx))),
      close: () => db.close(),
    },
  };
}

/** Runs `promise` and returns its SQLSTATE, or fails if it resolved. */
export async function sqlStateOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : 'no code';
  }
  throw new Error('expected the database to refuse the statement');
}
