/**
 * The database settings every service shares, parsed once at start. Two roles in
 * production: DATABASE_URL is the services' own role (INSERT and SELECT on the access log,
 * nothing that could change or empty it); DATABASE_MIGRATION_URL is the tables' owner,
 * used only to migrate and grant, then closed. See stores/README.md.
 */
import { z } from 'zod';
import { isProduction, parseEnv } from '../lib/config';
import type { OpenStoresOptions } from './open-stores';

const databaseEnv = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATABASE_MIGRATION_URL: z.string().url().optional(),
  DATABASE_SERVICE_ROLE: z.string().min(1).max(63).optional(),
  /** Run in this PostgreSQL schema (created if missing): several deployments, or test runs, on one server. */
  DATABASE_SCHEMA: z.string().min(1).max(63).optional(),
});

export type DatabaseConfig = Pick<
  OpenStoresOptions,
  'databaseUrl' | 'migrationUrl' | 'serviceRole' | 'requireSeparateRoles' | 'schema'
>;

export function databaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const parsed = parseEnv(databaseEnv, env);
  return {
    databaseUrl: parsed.DATABASE_URL,
    migrationUrl: parsed.DATABASE_MIGRATION_URL,
    serviceRole: parsed.DATABASE_SERVICE_ROLE,
    schema: parsed.DATABASE_SCHEMA,
    // Production refuses a service role that could get round the append-only triggers.
    requireSeparateRoles: isProduction(env),
  };
}
