/**
 * Where and how to call each council system, read from the environment the same way for every
 * system and every subgraph that calls it: `<SYSTEM>_URL`, `<SYSTEM>_API_KEY` (no default: a
 * service that starts without one would only fail on its first request), `<SYSTEM>_TIMEOUT_MS`,
 * `<SYSTEM>_DEADLINE_MS` and `<SYSTEM>_RETRIES`. A subgraph spreads `upstreamEnv(system)` into
 * its own environment schema (so one message names every bad variable) and reads the result
 * back with `upstreamSettings`.
 */
import { z } from 'zod';
import { httpUrl, milliseconds, secret } from '../../lib/config';
import type { UpstreamSettings } from './http-client';

export type SystemPrefix = 'SOCIAL_CARE' | 'EDUCATION' | 'FINANCE';

/** The simulators' ports on this machine: the development default, never production's. */
const DEVELOPMENT_URLS: Record<SystemPrefix, string> = {
  SOCIAL_CARE: 'http://127.0.0.1:4101',
  EDUCATION: 'http://127.0.0.1:4102',
  FINANCE: 'http://127.0.0.1:4103',
};

const variable = (system: SystemPrefix, name: string) => `${system}_${name}`;

/** The system's variables, for a subgraph's environment schema. */
export function upstreamEnv(system: SystemPrefix): z.ZodRawShape {
  return {
    [variable(system, 'URL')]: httpUrl().default(DEVELOPMENT_URLS[system]),
    [variable(system, 'API_KEY')]: secret(),
    [variable(system, 'TIMEOUT_MS')]: milliseconds(2_000),
    [variable(system, 'DEADLINE_MS')]: milliseconds(5_000),
    [variable(system, 'RETRIES')]: z.coerce.number().int().min(0).max(5).default(2),
  };
}

/** The system's settings from a parsed environment that included `upstreamEnv(system)`. */
export function upstreamSettings(parsed: object, system: SystemPrefix): UpstreamSettings {
  const values = parsed as Record<string, unknown>;
  return {
    baseUrl: String(values[variable(system, 'URL')]),
    apiKey: String(values[variable(system, 'API_KEY')]),
    timeoutMs: Number(values[variable(system, 'TIMEOUT_MS')]),
    deadlineMs: Number(values[variable(system, 'DEADLINE_MS')]),
    retries: Number(values[variable(system, 'RETRIES')]),
  };
}
