/**
 * The alert worker's own settings (`events/main.ts`), parsed once at start; the rest it reads
 * with the loaders of the parts it runs (the council systems' clients, the alert settings,
 * webhook delivery, the database). Apart from `main.ts`, so reading them starts nothing.
 */
import { z } from 'zod';
import { isoDate, parseEnv, port } from '../lib/config';

/** Where the alert worker serves its health checks unless PORT says otherwise. */
export const ALERT_WORKER_DEFAULT_PORT = 4008;

const workerEnv = z.object({
  PORT: port(ALERT_WORKER_DEFAULT_PORT),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** "Today" fixed (the simulated world); the system clock when unset. */
  AS_OF: isoDate().optional(),
  DATABASE_URL: z.string({ required_error: 'required: the alert outbox is in PostgreSQL' }).url(),
});

export interface AlertWorkerConfig {
  port: number;
  host: string;
  asOf?: string;
  databaseUrl: string;
}

export function loadAlertWorkerConfig(env: NodeJS.ProcessEnv = process.env): AlertWorkerConfig {
  const parsed = parseEnv(workerEnv, env);
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    asOf: parsed.AS_OF,
    databaseUrl: parsed.DATABASE_URL,
  };
}
