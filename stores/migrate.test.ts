import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from './database';
import { loadMigrations, migrate } from './migrate';
import { sqlStateOf, testDatabases } from './testing/databases';

describe('loadMigrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cla-migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the project migrations in version order', () => {
    expect(loadMigrations().map((m) => [m.version, m.name])).toEqual([
      [1, 'need_to_know'],
      [2, 'access_audit'],
      [3, 'designated_teacher_history'],
      [4, 'access_audit_subject_upn'],
      [5, 'alert_outbox'],
      [6, 'pep_change'],
      [7, 'pp_plus_request'],
      [8, 'virtual_school_directory'],
      [9, 'placed_pupil_information'],
      [10, 'need_to_know_upn'],
      [11, 'partner_registers'],
    ]);
  });

  it('refuses a file not named NNNN_name.sql', () => {
    writeFileSync(join(dir, '1_bad.sql'), 'SELECT 1');
    expect(() => loadMigrations(dir)).toThrow(/NNNN_name\.sql/);
  });

  it('refuses two files with one version', () => {
    writeFileSync(join(dir, '0001_a.sql'), 'SELECT 1');
    writeFileSync(join(dir, '0001_b.sql'), 'SELECT 1');
    expect(() => loadMigrations(dir)).toThrow(/Two migrations have version 1/);
  });
});

describe.each(testDatabases)('migrations on $name', (target) => {
  /** A version after every project migration, for the made-up ones below. */
  const NEXT = Math.max(...loadMigrations().map((m) => m.version)) + 1;
  let db: Database;
  beforeAll(async () => {
    db = await target.openDatabase();
  });
  afterAll(() => db?.close());

  it('applies every migration once, and nothing on a second run', async () => {
    // Two at once, as two replicas starting together would (two connections on PostgreSQL).
    const [first, second] = await Promise.all([migrate(db), migrate(db)]);
    expect([...first, ...second].sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(await migrate(db)).toEqual([]);

    const { rows } = await db.query<{ version: number; name: string; applied: boolean }>(
      'SELECT version, name, applied_at <= now() AS applied FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual([
      { version: 1, name: 'need_to_know', applied: true },
      { version: 2, name: 'access_audit', applied: true },
      { version: 3, name: 'designated_teacher_history', applied: true },
      { version: 4, name: 'access_audit_subject_upn', applied: true },
      { version: 5, name: 'alert_outbox', applied: true },
      { version: 6, name: 'pep_change', applied: true },
      { version: 7, name: 'pp_plus_request', applied: true },
      { version: 8, name: 'virtual_school_directory', applied: true },
      { version: 9, name: 'placed_pupil_information', applied: true },
      { version: 10, name: 'need_to_know_upn', applied: true },
      { version: 11, name: 'partner_registers', applied: true },
    ]);
  });

  it('rolls a failing migration back whole and does not record it', async () => {
    const broken = [
      ...loadMigrations(),
      { version: NEXT, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT 1/0;' },
    ];
    expect(await sqlStateOf(migrate(db, broken))).toBe('22012');
    const { rows } = await db.query(
      `SELECT 1 FROM schema_migrations WHERE version = $1
       UNION ALL SELECT 1 FROM pg_tables WHERE tablename = 'half_done'`,
      [NEXT],
    );
    expect(rows).toEqual([]);
  });

  it('gives a migration a longer statement timeout than requests get, for it alone', async () => {
    const slowish = [
      ...loadMigrations(),
      {
        version: NEXT,
        name: 'timeout',
        sql: `CREATE TABLE seen (timeout text);
              INSERT INTO seen VALUES (current_setting('statement_timeout'));`,
      },
    ];
    expect(await migrate(db, slowish)).toEqual([NEXT]);
    const { rows } = await db.query<{ timeout: string }>('SELECT timeout FROM seen');
    expect(rows).toEqual([{ timeout: '15min' }]);
    const after = await db.query<{ timeout: string }>(
      `SELECT current_setting('statement_timeout') AS timeout`,
    );
    expect(after.rows[0].timeout).toBe(target.name === 'postgres' ? '10s' : '0');
  });

  describe('append-only tables, enforced by the database', () => {
    beforeAll(async () => {
      await db.exec(`
        INSERT INTO access_audit_event
          (request_id, actor_sub, actor_la, operation_type, outcome, child_id)
        VALUES ('r1', 'S1', '340', 'query', 'ALLOWED', '1000001');
        INSERT INTO need_to_know_grant (child_id, staff_id, urn, granted_by, reason)
        VALUES ('1000001', 'E000001', '100001', 'E000009', 'agreed at PEP');
        INSERT INTO need_to_know_event (grant_id, child_id, staff_id, urn, action, actor, reason)
        SELECT id, child_id, staff_id, urn, 'GRANT', granted_by, reason FROM need_to_know_grant;
      `);
    });

    const refused = [
      ['access_audit_event', `UPDATE access_audit_event SET outcome = 'DENIED'`],
      ['access_audit_event', 'UPDATE access_audit_event SET outcome = outcome WHERE false'],
      ['access_audit_event', 'DELETE FROM access_audit_event'],
      ['access_audit_event', 'DELETE FROM access_audit_event WHERE false'],
      ['access_audit_event', 'TRUNCATE access_audit_event'],
      ['need_to_know_event', `UPDATE need_to_know_event SET reason = 'x'`],
      ['need_to_know_event', 'DELETE FROM need_to_know_event'],
      ['need_to_know_event', 'TRUNCATE need_to_know_event'],
      ['need_to_know_event', 'TRUNCATE need_to_know_grant CASCADE'],
      ['need_to_know_grant', 'DELETE FROM need_to_know_grant'],
      ['need_to_know_grant', `UPDATE need_to_know_grant SET staff_id = 'E000002'`],
    ] as const;

    it.each(refused)('%s: %s is refused', async (_table, sql) => {
      expect(await sqlStateOf(db.query(sql))).toBe('42501');
    });

    it('lets a grant be revoked once, and never un-revoked', async () => {
      await db.query(`UPDATE need_to_know_grant
        SET revoked_at = now(), revoked_by = 'E000009', revoke_reason = 'moved school'`);
      const unrevoke = db.query(
        'UPDATE need_to_know_grant SET revoked_at = NULL, revoked_by = NULL, revoke_reason = NULL',
      );
      expect(await sqlStateOf(unrevoke)).toBe('42501');
    });

    it('still has every row it started with', async () => {
      const { rows } = await db.query<{ audit: number; events: number; grants: number }>(`
        SELECT (SELECT count(*)::int FROM access_audit_event) AS audit,
               (SELECT count(*)::int FROM need_to_know_event) AS events,
               (SELECT count(*)::int FROM need_to_know_grant) AS grants`);
      expect(rows[0]).toEqual({ audit: 1, events: 1, grants: 1 });
    });
  });
});
