/**
 * Environment parsing helpers. Each service parses the environment once at start with one
 * zod schema (its own `config.ts`), built from these pieces.
 */
import { z } from 'zod';

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

export const milliseconds = (fallback: number) =>
  z.coerce.number().int().min(1).max(600_000).default(fallback);

/** A secret: required, no default, long enough not to be a placeholder. */
export const secret = () => z.string().min(16, 'must be at least 16 characters');

export const httpUrl = () => z.string().url();

export const isoDate = () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/** Parse `env` with `schema`, or throw one readable error naming every bad variable. */
export function parseEnv<T extends z.ZodTypeAny>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

export const isProduction = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env.NODE_ENV === 'production';

/**
 * Development only when said so: NODE_ENV set to `development` (as `npm start` does), never
 * because it is unset.
 */
export const isExplicitlyDevelopment = (env: NodeJS.ProcessEnv): boolean =>
  env.NODE_ENV === 'development';

/** Hosts that are this machine: trusting keys served there trusts any local process. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    host === '0.0.0.0' ||
    host === '::' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/**
 * Why a URL that identity is trusted from (an issuer, a JWKS) is unfit outside development,
 * or null when it is fine: it must be HTTPS (keys fetched over plain HTTP can be swapped on
 * the way) and not this machine (the development issuer's home).
 */
export function untrustworthyIdentityUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be a URL';
  }
  if (parsed.protocol !== 'https:')
    return 'must be https outside development (NODE_ENV=development)';
  if (isLoopbackHost(parsed.hostname))
    return 'must not be this machine (localhost) outside development (NODE_ENV=development)';
  return null;
}
