import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from './database';
import { postgresTestUrl, sqlStateOf, testDatabases, uniqueSchema } from './testing/databases';

describe('openDatabase', () => {
  it('needs a url or a data directory: no silent in-memory audit log', async () => {
    await expect(openDatabase({})).rejects.toThrow('openDatabase needs a url or a dataDir');
  });

  it('refuses a schema name it would have to quote', async () => {
    await expect(openDatabase({ dataDir: 'memory://', schema: 'x"; DROP' })).rejects.toThrow(
      /schema name/,
    );
  });

  it('keeps PGlite data under dataDir (created if missing), in the schema asked for', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'cla-pglite-'));
    const dataDir = join(parent, 'nested', 'db');
    try {
      const first = await openDatabase({ dataDir, schema: 'cla' });
      await first.exec('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42);');
      await first.close();

      const second = await openDatabase({ dataDir, schema: 'cla' });
      const { rows } = await second.query<{ n: number; schema: string }>(
        'SELECT n, current_schema() AS schema FROM kept',
      );
      await second.close();
      expect(rows).toEqual([{ n: 42, schema: 'cla' }]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe.each(testDatabases)('Database on $name', (target) => {
  let db: Database;
  beforeAll(async () => {
    db = await target.openDatabase();
    await db.exec('CREATE TABLE item (n int PRIMARY KEY)');
  });
  afterAll(() => db?.close());

  it('reports its kind', () => {
    expect(db.kind).toBe(target.name);
  });

  it('counts rows affected and rows returned alike', async () => {
    expect((await db.query('INSERT INTO item VALUES (1), (2), (3)')).rowCount).toBe(3);
    expect((await db.query('SELECT n FROM item WHERE n > $1', [1])).rowCount).toBe(2);
    expect((await db.query('UPDATE item SET n = n WHERE n > 99')).rowCount).toBe(0);
  });

  it('commits a transaction that resolves', async () => {
    const result = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO item VALUES ($1)', [10]);
      return 'done';
    });
    expect(result).toBe('done');
    expect((await db.query('SELECT 1 FROM item WHERE n = 10')).rowCount).toBe(1);
  });

  it('rolls back a transaction that throws, and stays usable', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO item VALUES ($1)', [20]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.query('SELECT 1 FROM item WHERE n = 20')).rowCount).toBe(0);
  });

  it('rolls back when the database refuses a statement, with its SQLSTATE', async () => {
    const failing = db.transaction(async (tx) => {
      await tx.query('INSERT INTO item VALUES ($1)', [30]);
      await tx.query('INSERT INTO item VALUES ($1)', [30]);
    });
    expect(await sqlStateOf(failing)).toBe('23505');
    expect((await db.query('SELECT 1 FROM item WHERE n = 30')).rowCount).toBe(0);
  });

  it('keeps queries sent during a transaction out of it', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query('INSERT INTO item VALUES ($1)', [40]);
      await held;
      throw new Error('roll back');
    });
    const outside = db.query('INSERT INTO item VALUES ($1)', [41]);
    release();
    await expect(transaction).rejects.toThrow('roll back');
    await outside;
    const { rows } = await db.query<{ n: number }>('SELECT n FROM item WHERE n >= 40');
    expect(rows).toEqual([{ n: 41 }]);
  });
});

// PostgreSQL-only settings: a loop, not describe.each, so no PostgreSQL means no block.
for (const url of postgresTestUrl ? [postgresTestUrl] : []) {
  describe('Database on postgres: connection settings', () => {
    it('names itself, times statements out and uses the schema on every connection', async () => {
      const schema = uniqueSchema();
      const db = await openDatabase({ url, schema });
      try {
        // More queries at once than one connection, so several pool connections answer.
        const answers = await Promise.all(
          Array.from({ length: 12 }, () =>
            db.query<{ app: string; timeout: string; schema: string }>(
              `SELECT current_setting('application_name') AS app,
                      current_setting('statement_timeout') AS timeout,
                      current_schema() AS schema, pg_sleep(0.02)`,
            ),
          ),
        );
        for (const { rows } of answers) {
          expect(rows[0]).toMatchObject({ app: 'cla-graph', timeout: '10s', schema });
        }
      } finally {
        await db.exec(`DROP SCHEMA "${schema}" CASCADE`);
        await db.close();
      }
    });

    it('refuses a connection string whose own options replace the schema', async () => {
      const schema = uniqueSchema();
      const withOptions = `${url}${url.includes('?') ? '&' : '?'}options=-c%20search_path%3Dpublic`;
      await expect(openDatabase({ url: withOptions, schema })).rejects.toThrow(/search_path/);
      const cleanup = await openDatabase({ url });
      await cleanup.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await cleanup.close();
    });
  });
}
