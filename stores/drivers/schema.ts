import type { Queryable } from '../database';

/**
 * Creates `schema` if it does not exist. Looks first, because `CREATE SCHEMA IF NOT EXISTS`
 * checks the CREATE privilege on the database before it checks existence, and a production
 * role may be given an existing schema without that privilege.
 */
export async function ensureSchema(db: Queryable, schema: string): Promise<void> {
  const found = await db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (found.rowCount > 0) return;
  try {
    await db.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two replicas starting together can both miss it; the loser's duplicate is fine.
    if (!isDuplicate(error)) throw error;
  }
}

function isDuplicate(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '42P06' || code === '23505';
}
