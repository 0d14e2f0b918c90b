/**
 * Database roles. The tables, their triggers and their functions belong to the owner role
 * that runs the migrations; the services connect as a separate service role that holds only
 * the privileges below. A table's owner (or a member of its owner, its schema's owner or a
 * superuser) can disable, drop or replace the append-only triggers, so the role that writes
 * the access log must be none of those: the triggers then hold against the application
 * itself, and only the owner's credentials, kept out of the services, can change the tables.
 *
 * PGlite is one session as one superuser: it has no roles to separate (development only).
 */
import type { Queryable } from './database';

/**
 * Every table's privileges for the service role: exactly what the stores' SQL needs. The
 * event tables are append-only (INSERT, SELECT); a grant is updated only to revoke it, so
 * only the revocation columns may be updated; `schema_migrations` is read to check that the
 * schema is current when a separate step has migrated it. Nothing has DELETE, TRUNCATE,
 * REFERENCES or TRIGGER. A new table needs a line here (a test checks every table has one).
 */
export const SERVICE_PRIVILEGES: Readonly<Record<string, readonly string[]>> = {
  schema_migrations: ['SELECT'],
  access_audit_event: ['SELECT', 'INSERT'],
  need_to_know_event: ['SELECT', 'INSERT'],
  designated_teacher_change: ['SELECT', 'INSERT'],
  need_to_know_grant: ['SELECT', 'INSERT', 'UPDATE (revoked_at, revoked_by, revoke_reason)'],
  // Alerts (issue 13): events and acknowledgements are append-only; a feed's cursor moves.
  alert_event: ['SELECT', 'INSERT'],
  alert_acknowledgement: ['SELECT', 'INSERT'],
  alert_feed_cursor: ['SELECT', 'INSERT', 'UPDATE (cursor, updated_at)'],
  // A subscription is disabled, and fanned out up to an event; nothing else of it changes.
  // (SELECT ... FOR UPDATE, which the dispatchers lock it with, needs an UPDATE column.)
  webhook_subscription: ['SELECT', 'INSERT', 'UPDATE (last_fanned_seq, disabled_at, disabled_by)'],
  // The PEP workflow's history (issue 14): append-only.
  pep_change: ['SELECT', 'INSERT'],
  // A delivery's progress; its event, key and payload never change.
  webhook_delivery: [
    'SELECT',
    'INSERT',
    'UPDATE (status, attempts, next_attempt_at, last_error, last_status, delivered_at, ' +
      'redelivered_at, redelivered_by)',
  ],
  // PP+ requests (issue 14): a request is only decided, committed and paid; its history is
  // append-only.
  pp_plus_request: [
    'SELECT',
    'INSERT',
    'UPDATE (status, decision, approved_pence, decision_reason, decided_by, decided_at, ' +
      'commitment_id, paid_pence)',
  ],
  pp_plus_request_event: ['SELECT', 'INSERT'],
  // The Virtual School directory (issue 15): an entry's contacts change, its authority never
  // does and it is never deleted; its history is append-only.
  virtual_school_contact: [
    'SELECT',
    'INSERT',
    'UPDATE (head_name, email, phone, source, updated_at, updated_by)',
  ],
  virtual_school_contact_change: ['SELECT', 'INSERT'],
  // What a placing authority shares about a pupil on a school's roll (issue 15): the details
  // change, the school and pupil never do and it is never deleted; its history is append-only.
  placed_pupil_information: [
    'SELECT',
    'INSERT',
    'UPDATE (placing_la, legal_status, parental_responsibility, delegated_authority, ' +
      'social_worker_name, social_worker_email, social_worker_phone, last_pep_date, ' +
      'next_pep_date, placing_authority_consent, source, updated_at, updated_by)',
  ],
  placed_pupil_information_change: ['SELECT', 'INSERT'],
  // Other authorities' registers as our sync read them (issue 15): an entry is updated in
  // place (its school and authority never change) and never deleted; a partner's sync state
  // moves on.
  partner_register_entry: [
    'SELECT',
    'INSERT',
    'UPDATE (school_name, dt_title, dt_forename, dt_surname, dt_job_title, dt_work_email, ' +
      'dt_work_phone, dt_confirmed_on, partner_updated_at, fetched_at)',
  ],
  partner_register_sync: [
    'SELECT',
    'INSERT',
    'UPDATE (changed_since, etag, last_attempt_at, last_success_at, last_outcome, requests, ' +
      'not_modified, entries_received, bytes_received)',
  ],
};

/** The tables whose rows must never change or disappear (need_to_know_grant: only revoke). */
export const APPEND_ONLY_TABLES = [
  'access_audit_event',
  'need_to_know_event',
  'designated_teacher_change',
  'need_to_know_grant',
  'alert_event',
  'alert_acknowledgement',
  'pep_change',
  'pp_plus_request_event',
  'virtual_school_contact_change',
  'placed_pupil_information_change',
] as const;

/** A role name as a quoted SQL identifier. */
export function quoteIdent(name: string): string {
  if (name === '' || name.includes('\0')) throw new Error('Invalid database role name');
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Makes the service role's privileges on the current schema's tables exactly
 * SERVICE_PRIVILEGES: revokes everything first, so a broader grant made by hand is narrowed
 * again on the next start. Run by the owner, in the migration's transaction.
 */
export async function grantServicePrivileges(tx: Queryable, serviceRole: string): Promise<void> {
  const role = quoteIdent(serviceRole);
  const { rows } = await tx.query<{ table: string; owned: boolean; usage: boolean }>(
    `SELECT c.relname AS table,
            pg_has_role($1, c.relowner, 'MEMBER') AS owned,
            has_schema_privilege($1, n.oid, 'USAGE') AS usage
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`,
    [serviceRole],
  );
  if (rows.some((row) => row.owned)) {
    throw new Error(
      "The service database role can act as the tables' owner (it is the owner, a member of " +
        'it or a superuser): give the services a role of their own',
    );
  }
  if (rows.length > 0 && !rows[0].usage) {
    await tx.exec(`GRANT USAGE ON SCHEMA "${await currentSchema(tx)}" TO ${role}`);
  }
  const missing = Object.keys(SERVICE_PRIVILEGES).filter(
    (table) => !rows.some((row) => row.table === table),
  );
  if (missing.length > 0) throw new Error(`Tables missing for grants: ${missing.join(', ')}`);
  for (const { table } of rows) {
    const privileges = SERVICE_PRIVILEGES[table];
    if (!privileges) {
      throw new Error(`Table ${table} has no service privileges in stores/privileges.ts`);
    }
    await tx.exec(`REVOKE ALL ON TABLE "${table}" FROM ${role}`);
    await tx.exec(`GRANT ${privileges.join(', ')} ON TABLE "${table}" TO ${role}`);
  }
}

async function currentSchema(tx: Queryable): Promise<string> {
  const { rows } = await tx.query<{ schema: string }>('SELECT current_schema() AS schema');
  return rows[0].schema;
}

/**
 * What lets the connected role get round the append-only triggers, as sentences naming no
 * data ([] when nothing). Checked from the service's own connection after migrating.
 */
export async function servicePrivilegeProblems(db: Queryable): Promise<string[]> {
  const problems: string[] = [];
  const role = await db.query<{ name: string; superuser: boolean; createrole: boolean }>(
    `SELECT rolname AS name, rolsuper AS superuser, rolcreaterole AS createrole
       FROM pg_roles WHERE rolname = current_user`,
  );
  const me = role.rows[0];
  if (me?.superuser) problems.push(`role ${me.name} is a superuser`);
  // On PostgreSQL 15 a CREATEROLE role may make itself a member of any non-superuser role.
  if (me?.createrole) problems.push(`role ${me.name} has CREATEROLE`);

  const schema = await db.query<{ owns: boolean }>(
    `SELECT pg_has_role(current_user, nspowner, 'MEMBER') AS owns
       FROM pg_namespace WHERE nspname = current_schema()`,
  );
  if (schema.rows[0]?.owns) problems.push('the role owns the schema (it could drop the tables)');

  const tables = await db.query<{
    table: string;
    owns: boolean;
    changes: boolean;
  }>(
    `SELECT c.relname AS table,
            pg_has_role(current_user, c.relowner, 'MEMBER') AS owns,
            has_table_privilege(c.oid, 'DELETE')
              OR has_table_privilege(c.oid, 'TRUNCATE')
              OR has_table_privilege(c.oid, 'TRIGGER')
              OR (c.relname <> 'need_to_know_grant' AND has_table_privilege(c.oid, 'UPDATE'))
              AS changes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relname = ANY($1::text[])`,
    [APPEND_ONLY_TABLES],
  );
  for (const row of tables.rows) {
    if (row.owns) problems.push(`the role owns ${row.table} (it could disable its triggers)`);
    else if (row.changes) problems.push(`the role may change or empty ${row.table}`);
  }
  return problems;
}
