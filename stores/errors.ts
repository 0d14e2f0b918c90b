import type { z } from 'zod';
import { ErrorCode, PublicError } from '../lib/errors';

/**
 * Input a store refused. The message names the fields only, never their values (a reason or
 * an id may be personal data), so it is safe to return to the caller as BAD_USER_INPUT.
 */
export class StoreValidationError extends PublicError {
  constructor(
    readonly what: string,
    readonly fields: readonly string[],
  ) {
    super(
      ErrorCode.BAD_USER_INPUT,
      fields.length > 0 ? `Invalid ${what}: ${fields.join(', ')}.` : `Invalid ${what}.`,
    );
    this.name = 'StoreValidationError';
  }
}

/** Parses `input` with `schema` or throws a StoreValidationError naming the bad fields. */
export function parseInput<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // zod's own messages can quote the value it received, so only the paths are kept.
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
  throw new StoreValidationError(
    what,
    fields.filter((field) => field !== ''),
  );
}
