/**
 * Database roles on the real PostgreSQL: migrations run as a throwaway owner role, the
 * stores connect as a throwaway service role, in a throwaway database dropped afterwards.
 * The service role can write and read the access log and nothing else that matters: it
 * cannot change, empty, drop or alter the append-only tables, nor switch their triggers off.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, type Database } from './database';
import { loadMigrations, migrate } from './migrate';
import { openStores, type Stores } from './open-stores';
import { SERVICE_PRIVILEGES, servicePrivilegeProblems } from './privileges';
import { testEvent, testSubscription } from './events/testing';
import { postgresTestUrl } from './testing/databases';

describe('service privileges cover every table (pglite)', () => {
  it('names every table the migrations create, and nothing else', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      await migrate(db);
      const { rows } = await db.query<{ table: string }>(
        `SELECT tablename AS table FROM pg_tables WHERE schemaname = current_schema()
          ORDER BY tablename`,
      );
      expect(rows.map((row) => row.table)).toEqual(Object.keys(SERVICE_PRIVILEGES).sort());
    } finally {
      await db.close();
    }
  });
});

/** A refusal by the privilege system, not by a trigger: the trigger says "append-only". */
const PRIVILEGE_REFUSAL = /permission denied|must be owner/;

async function refusalOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return { code: String(code), message: String(message) };
  }
  throw new Error('expected the database to refuse the statement');
}

const describeOnPostgres = postgresTestUrl ? describe : describe.skip;

describeOnPostgres('database roles on postgres', () => {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const names = {
    database: `cla_roles_${suffix}`,
    owner: `cla_owner_${suffix}`,
    service: `cla_service_${suffix}`,
    member: `cla_member_${suffix}`,
  };
  const SCHEMA = 'cla';
  /** The throwaway database, as `user`. */
  const urlFor = (user: string): string => {
    const url = new URL(postgresTestUrl as string);
    url.username = user;
    url.password = '';
    url.pathname = `/${names.database}`;
    return url.toString();
  };
  const ownerUrl = urlFor(names.owner);
  const serviceUrl = urlFor(names.service);
  const superuser = new URL(postgresTestUrl as string).username || 'postgres';

  const admin = async (sql: string): Promise<void> => {
    const client = new Client({ connectionString: postgresTestUrl as string });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  let stores: Stores;
  let owner: Database;

  beforeAll(async () => {
    await admin(`CREATE ROLE ${names.owner} LOGIN`);
    await admin(`CREATE ROLE ${names.service} LOGIN`);
    await admin(`CREATE ROLE ${names.member} LOGIN IN ROLE ${names.owner}`);
    // The owner role owns the database, so it may create the schema; the service role may
    // only connect (PUBLIC's default).
    await admin(`CREATE DATABASE ${names.database} OWNER ${names.owner}`);
    stores = await openStores({
      databaseUrl: serviceUrl,
      migrationUrl: ownerUrl,
      schema: SCHEMA,
      dataDir: '',
    });
    owner = await openDatabase({ url: ownerUrl, schema: SCHEMA });
  });

  afterAll(async () => {
    await stores?.close();
    await owner?.close();
    await admin(`DROP DATABASE IF EXISTS ${names.database} WITH (FORCE)`);
    await admin(`DROP ROLE IF EXISTS ${names.member}`);
    await admin(`DROP ROLE IF EXISTS ${names.service}`);
    await admin(`DROP ROLE IF EXISTS ${names.owner}`);
  });

  /** The privileges granted to the service role, per table (and per column). */
  const servicePrivileges = async (): Promise<Record<string, string[]>> => {
    const { rows } = await owner.query<{ object: string; privilege: string }>(
      `SELECT c.relname AS object, a.privilege_type AS privilege
         FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.relnamespace = current_schema()::regnamespace AND a.grantee = $1::regrole
       UNION ALL
       SELECT c.relname || '.' || att.attname, a.privilege_type
         FROM pg_class c JOIN pg_attribute att ON att.attrelid = c.oid,
              aclexplode(att.attacl) a
        WHERE c.relnamespace = current_schema()::regnamespace AND a.grantee = $1::regrole
        ORDER BY 1, 2`,
      [names.service],
    );
    const byObject: Record<string, string[]> = {};
    for (const row of rows) (byObject[row.object] ??= []).push(row.privilege);
    return byObject;
  };

  const EXACT = {
    schema_migrations: ['SELECT'],
    access_audit_event: ['INSERT', 'SELECT'],
    need_to_know_event: ['INSERT', 'SELECT'],
    designated_teacher_change: ['INSERT', 'SELECT'],
    pep_change: ['INSERT', 'SELECT'],
    need_to_know_grant: ['INSERT', 'SELECT'],
    'need_to_know_grant.revoke_reason': ['UPDATE'],
    'need_to_know_grant.revoked_at': ['UPDATE'],
    'need_to_know_grant.revoked_by': ['UPDATE'],
    alert_event: ['INSERT', 'SELECT'],
    alert_acknowledgement: ['INSERT', 'SELECT'],
    alert_feed_cursor: ['INSERT', 'SELECT'],
    'alert_feed_cursor.cursor': ['UPDATE'],
    'alert_feed_cursor.updated_at': ['UPDATE'],
    webhook_subscription: ['INSERT', 'SELECT'],
    'webhook_subscription.disabled_at': ['UPDATE'],
    'webhook_subscription.disabled_by': ['UPDATE'],
    'webhook_subscription.last_fanned_seq': ['UPDATE'],
    webhook_delivery: ['INSERT', 'SELECT'],
    'webhook_delivery.attempts': ['UPDATE'],
    'webhook_delivery.delivered_at': ['UPDATE'],
    'webhook_delivery.last_error': ['UPDATE'],
    'webhook_delivery.last_status': ['UPDATE'],
    'webhook_delivery.next_attempt_at': ['UPDATE'],
    'webhook_delivery.redelivered_at': ['UPDATE'],
    'webhook_delivery.redelivered_by': ['UPDATE'],
    'webhook_delivery.status': ['UPDATE'],
    pp_plus_request: ['INSERT', 'SELECT'],
    'pp_plus_request.approved_pence': ['UPDATE'],
    'pp_plus_request.commitment_id': ['UPDATE'],
    'pp_plus_request.decided_at': ['UPDATE'],
    'pp_plus_request.decided_by': ['UPDATE'],
    'pp_plus_request.decision': ['UPDATE'],
    'pp_plus_request.decision_reason': ['UPDATE'],
    'pp_plus_request.paid_pence': ['UPDATE'],
    'pp_plus_request.status': ['UPDATE'],
    pp_plus_request_event: ['INSERT', 'SELECT'],
    virtual_school_contact: ['INSERT', 'SELECT'],
    'virtual_school_contact.email': ['UPDATE'],
    'virtual_school_contact.head_name': ['UPDATE'],
    'virtual_school_contact.phone': ['UPDATE'],
    'virtual_school_contact.source': ['UPDATE'],
    'virtual_school_contact.updated_at': ['UPDATE'],
    'virtual_school_contact.updated_by': ['UPDATE'],
    virtual_school_contact_change: ['INSERT', 'SELECT'],
    placed_pupil_information: ['INSERT', 'SELECT'],
    'placed_pupil_information.delegated_authority': ['UPDATE'],
    'placed_pupil_information.last_pep_date': ['UPDATE'],
    'placed_pupil_information.legal_status': ['UPDATE'],
    'placed_pupil_information.next_pep_date': ['UPDATE'],
    'placed_pupil_information.parental_responsibility': ['UPDATE'],
    'placed_pupil_information.placing_authority_consent': ['UPDATE'],
    'placed_pupil_information.placing_la': ['UPDATE'],
    'placed_pupil_information.social_worker_email': ['UPDATE'],
    'placed_pupil_information.social_worker_name': ['UPDATE'],
    'placed_pupil_information.social_worker_phone': ['UPDATE'],
    'placed_pupil_information.source': ['UPDATE'],
    'placed_pupil_information.updated_at': ['UPDATE'],
    'placed_pupil_information.updated_by': ['UPDATE'],
    placed_pupil_information_change: ['INSERT', 'SELECT'],
    partner_register_entry: ['INSERT', 'SELECT'],
    'partner_register_entry.dt_confirmed_on': ['UPDATE'],
    'partner_register_entry.dt_forename': ['UPDATE'],
    'partner_register_entry.dt_job_title': ['UPDATE'],
    'partner_register_entry.dt_surname': ['UPDATE'],
    'partner_register_entry.dt_title': ['UPDATE'],
    'partner_register_entry.dt_work_email': ['UPDATE'],
    'partner_register_entry.dt_work_phone': ['UPDATE'],
    'partner_register_entry.fetched_at': ['UPDATE'],
    'partner_register_entry.partner_updated_at': ['UPDATE'],
    'partner_register_entry.school_name': ['UPDATE'],
    partner_register_sync: ['INSERT', 'SELECT'],
    'partner_register_sync.bytes_received': ['UPDATE'],
    'partner_register_sync.changed_since': ['UPDATE'],
    'partner_register_sync.entries_received': ['UPDATE'],
    'partner_register_sync.etag': ['UPDATE'],
    'partner_register_sync.last_attempt_at': ['UPDATE'],
    'partner_register_sync.last_outcome': ['UPDATE'],
    'partner_register_sync.last_success_at': ['UPDATE'],
    'partner_register_sync.not_modified': ['UPDATE'],
    'partner_register_sync.requests': ['UPDATE'],
  };

  it('migrates as the owner: the owner owns every table, the service role none', async () => {
    const { rows } = await owner.query<{ owner: string }>(
      `SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = current_schema()`,
    );
    expect(rows).toEqual([{ owner: names.owner }]);
    const service = await stores.db.query<{ role: string }>('SELECT current_user AS role');
    expect(service.rows[0].role).toBe(names.service);
    expect(await servicePrivilegeProblems(stores.db)).toEqual([]);
  });

  it('gives the service role exactly the privileges its SQL needs', async () => {
    expect(await servicePrivileges()).toEqual(EXACT);
  });

  it('lets the service role write and read through every store', async () => {
    await stores.audit.append([
      {
        requestId: 'roles-1',
        actorSub: 'E900001',
        actorRoles: ['virtual-school-head'],
        actorLa: '340',
        childId: '1000001',
        categories: ['ID'],
        operationName: 'Child',
        operationType: 'query',
        outcome: 'ALLOWED',
      },
    ]);
    expect((await stores.audit.query({ childId: '1000001', first: 10 })).totalCount).toBe(1);

    const grant = {
      childId: '1000001',
      staffId: 'E100001',
      urn: '100001',
      actor: 'E900001',
      reason: 'Agreed at the PEP',
    };
    // The seed first: it runs on an empty table only.
    const seeded = { ...grant, staffId: 'E100003', grantedBy: 'E900001', grantedAt: '2025-09-01' };
    expect(await stores.needToKnow.seedIfEmpty([seeded])).toBe(1);
    expect((await stores.needToKnow.grant(grant)).created).toBe(true);
    expect(
      (await stores.needToKnow.revoke({ ...grant, urns: [grant.urn], reason: 'Ended' })).revoked,
    ).toBe(true);
    expect(await stores.needToKnow.seedIfEmpty([])).toBe(0);
    expect((await stores.needToKnow.history('1000001')).map((e) => e.action)).toEqual([
      'GRANT',
      'GRANT',
      'REVOKE',
    ]);

    const details = {
      title: 'Ms',
      forename: 'Ada',
      surname: 'Jones',
      jobTitle: 'Designated Teacher',
      workEmail: 'a.jones@school.example',
      workPhone: '0151 496 3001',
      confirmedOn: '2025-09-10',
    };
    await stores.designatedTeacherHistory.record({
      urn: '100001',
      actorSub: 'E100002',
      actorRoles: ['designated-teacher'],
      requestId: 'roles-2',
      detailsChanged: true,
      confirmed: false,
      before: null,
      after: details,
    });
    expect(
      (await stores.designatedTeacherHistory.historyFor(['100001'])).get('100001'),
    ).toHaveLength(1);

    // The Virtual School directory: seeded, then changed (row update, change appended).
    expect(
      await stores.virtualSchoolDirectory.seedIfEmpty([
        {
          laCode: '341',
          headName: 'Alex Ashdown',
          email: 'virtual.school@liverpool.example.gov.uk',
          phone: '01632 960341',
          source: 'Seed',
          recordedAt: '2025-09-01',
        },
      ]),
    ).toBe(1);
    const vs = { headName: 'Sam Calder', email: 'vs@liverpool.example.gov.uk', source: 'Phone' };
    const vsUpdate = { laCode: '341', phone: '01632 960341', actorSub: 'E900001', actorRoles: [] };
    expect((await stores.virtualSchoolDirectory.update({ ...vsUpdate, ...vs })).changed).toBe(true);
    expect((await stores.virtualSchoolDirectory.historyFor(['341'])).get('341')).toHaveLength(2);

    // The alert outbox: events with a feed's cursor (inserted, then moved), acknowledgements.
    const [event] = await stores.events.recordBatch('roles-feed', 'c1', [testEvent()]);
    await stores.events.recordBatch('roles-feed', 'c2', [testEvent()]);
    expect(await stores.events.cursor('roles-feed')).toBe('c2');
    await stores.events.acknowledge(event.seq, 'VSO1');
    const alertQuery = {
      audience: ['virtual-school-officer:VSO1'],
      categories: ['EDU' as const],
      acknowledgedBy: 'VSO1',
      acknowledged: true,
    };
    expect(await stores.events.countAlerts(alertQuery)).toBe(1);

    // Webhooks: register, fan out, claim (row locks), retry, dead, redeliver, deliver, disable.
    const sub = await stores.webhooks.createSubscription(
      testSubscription('https://receiver.example/hook'),
    );
    await stores.events.record([testEvent()]);
    expect(await stores.webhooks.fanOut()).toBe(1);
    const soon = (ms: number) => new Date(Date.now() + ms);
    const [claimed] = await stores.webhooks.nextDue(soon(1_000), 10, soon(60_000));
    expect(await stores.webhooks.markRetry(claimed.id, soon(2_000), 'HTTP 503', 503)).toBe(true);
    expect(await stores.webhooks.markDead(claimed.id, 'HTTP 503', 503)).toBe(true);
    expect(await stores.webhooks.redeliver(claimed.id, 'E900001', { la: '340' })).not.toBeNull();
    expect(await stores.webhooks.nextDue(soon(1_000), 10, soon(60_000))).toHaveLength(1);
    expect(await stores.webhooks.markDelivered(claimed.id, 200)).toBe(true);
    expect(
      await stores.webhooks.disableSubscription(sub.id, 'VSO1', { ownerSub: 'VSO1' }),
    ).not.toBeNull();
  });

  // Every statement below, sent as the service role, is refused by the privilege system
  // itself (so it would be refused with the triggers gone).
  const refused = [
    `UPDATE access_audit_event SET outcome = 'DENIED'`,
    'UPDATE access_audit_event SET outcome = outcome WHERE false',
    'DELETE FROM access_audit_event',
    'TRUNCATE access_audit_event',
    'ALTER TABLE access_audit_event DISABLE TRIGGER access_audit_event_append_only',
    'ALTER TABLE access_audit_event DISABLE TRIGGER ALL',
    'DROP TRIGGER access_audit_event_append_only ON access_audit_event',
    'DROP TABLE access_audit_event',
    'DROP TABLE access_audit_event CASCADE',
    'ALTER TABLE access_audit_event ADD COLUMN note text',
    'ALTER TABLE access_audit_event RENAME TO access_audit_event_old',
    `ALTER TABLE access_audit_event OWNER TO CURRENT_USER`,
    `CREATE TRIGGER undo BEFORE INSERT ON access_audit_event
       FOR EACH STATEMENT EXECUTE FUNCTION cla_refuse_change()`,
    `CREATE OR REPLACE FUNCTION cla_refuse_change() RETURNS trigger
       LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END; $$`,
    'DROP FUNCTION cla_refuse_change() CASCADE',
    'SET session_replication_role = replica',
    `SET ROLE ${names.owner}`,
    `UPDATE need_to_know_event SET reason = 'x'`,
    'DELETE FROM need_to_know_event',
    'TRUNCATE need_to_know_event',
    'ALTER TABLE need_to_know_event DISABLE TRIGGER ALL',
    `UPDATE designated_teacher_change SET urn = '100002'`,
    'DELETE FROM designated_teacher_change',
    'TRUNCATE designated_teacher_change',
    `UPDATE pep_change SET actor_sub = 'x'`,
    'DELETE FROM pep_change',
    'TRUNCATE pep_change',
    'ALTER TABLE designated_teacher_change DISABLE TRIGGER ALL',
    `UPDATE need_to_know_grant SET staff_id = 'E100002'`,
    'DELETE FROM need_to_know_grant',
    'TRUNCATE need_to_know_grant CASCADE',
    'ALTER TABLE need_to_know_grant DISABLE TRIGGER need_to_know_grant_guard',
    `UPDATE alert_event SET audience = '{x}'`,
    'DELETE FROM alert_event',
    'TRUNCATE alert_event CASCADE',
    'ALTER TABLE alert_event DISABLE TRIGGER ALL',
    `UPDATE alert_acknowledgement SET ack_by = 'x'`,
    'DELETE FROM alert_acknowledgement',
    'DELETE FROM alert_feed_cursor',
    `UPDATE webhook_subscription SET url = 'https://elsewhere.example/'`,
    `UPDATE webhook_subscription SET audience = '{x}'`,
    'DELETE FROM webhook_subscription',
    `UPDATE webhook_delivery SET payload = '{}'`,
    'UPDATE webhook_delivery SET idempotency_key = idempotency_key',
    'DELETE FROM webhook_delivery',
    'TRUNCATE webhook_delivery',
    'INSERT INTO schema_migrations (version, name) VALUES (999, $$x$$)',
    'DELETE FROM schema_migrations',
    'CREATE TABLE shadow (id int)',
    `UPDATE pp_plus_request SET requested_pence = 1`,
    'DELETE FROM pp_plus_request',
    `UPDATE pp_plus_request_event SET actor_sub = 'x'`,
    'DELETE FROM pp_plus_request_event',
    'TRUNCATE pp_plus_request_event',
    `UPDATE virtual_school_contact SET la_code = '999'`,
    'DELETE FROM virtual_school_contact',
    `UPDATE virtual_school_contact_change SET actor_sub = 'x'`,
    'DELETE FROM virtual_school_contact_change',
    'TRUNCATE virtual_school_contact_change',
    `UPDATE placed_pupil_information SET upn = 'A123456789012'`,
    `UPDATE placed_pupil_information SET urn = '999999'`,
    'DELETE FROM placed_pupil_information',
    `UPDATE placed_pupil_information_change SET actor_sub = 'x'`,
    'DELETE FROM placed_pupil_information_change',
    'TRUNCATE placed_pupil_information_change',
  ];

  it.each(refused)('refuses the service role: %s', async (sql) => {
    const { code, message } = await refusalOf(stores.db.query(sql));
    expect({ code, refusedBy: PRIVILEGE_REFUSAL.test(message) ? 'privileges' : message }).toEqual({
      code: '42501',
      refusedBy: 'privileges',
    });
  });

  it('still has every row and trigger it started with', async () => {
    const { rows } = await owner.query<{ audit: number; triggers: number; disabled: number }>(`
      SELECT (SELECT count(*)::int FROM access_audit_event) AS audit,
             (SELECT count(*)::int FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
               WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal)
               AS triggers,
             (SELECT count(*)::int FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
               WHERE c.relnamespace = current_schema()::regnamespace AND t.tgenabled = 'D')
               AS disabled`);
    // Every trigger the migrations create (each migration adds its own).
    const created = loadMigrations().reduce(
      (count, m) => count + (m.sql.match(/^CREATE TRIGGER /gm) ?? []).length,
      0,
    );
    expect(rows[0]).toEqual({ audit: 1, triggers: created, disabled: 0 });
  });

  it('narrows a broader grant again on the next start', async () => {
    await owner.exec(`GRANT ALL ON access_audit_event TO ${names.service}`);
    expect(await servicePrivilegeProblems(stores.db)).toEqual([
      'the role may change or empty access_audit_event',
    ]);
    const again = await openStores({
      databaseUrl: serviceUrl,
      migrationUrl: ownerUrl,
      schema: SCHEMA,
      dataDir: '',
    });
    await again.close();
    expect(await servicePrivileges()).toEqual(EXACT);
  });

  it('opens with DATABASE_URL alone once an owner has migrated (production)', async () => {
    const alone = await openStores({
      databaseUrl: serviceUrl,
      schema: SCHEMA,
      dataDir: '',
      requireSeparateRoles: true,
    });
    try {
      expect((await alone.audit.query({ childId: '1000001', first: 1 })).totalCount).toBe(1);
    } finally {
      await alone.close();
    }
  });

  it('refuses the owner, a member of the owner or a superuser as the service role', async () => {
    const open = (databaseUrl: string, migrationUrl?: string) =>
      openStores({
        databaseUrl,
        migrationUrl,
        schema: SCHEMA,
        dataDir: '',
        requireSeparateRoles: true,
      });
    await expect(open(ownerUrl, ownerUrl)).rejects.toThrow(/same role/);
    await expect(open(ownerUrl)).rejects.toThrow(/owns access_audit_event/);
    await expect(open(urlFor(names.member), ownerUrl)).rejects.toThrow(/tables' owner/);
    await expect(open(urlFor(names.member))).rejects.toThrow(/owns access_audit_event/);
    await expect(open(urlFor(superuser))).rejects.toThrow(/is a superuser/);
    expect(await servicePrivileges()).toEqual(EXACT);
  });
});
