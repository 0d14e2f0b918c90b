/** Turning a GraphQL answer's errors into an HTTP answer for the plain exports. */
import type express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, isErrorCode } from '../../lib/errors';

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 503,
  AUDIT_UNAVAILABLE: 503,
};

/** The first error decides the status; the body lists the (already masked) errors. */
export function sendGraphQLErrors(
  res: express.Response,
  errors: readonly GraphQLFormattedError[],
): void {
  const code =
    typeof errors[0]?.extensions?.code === 'string'
      ? errors[0].extensions.code
      : ErrorCode.INTERNAL_SERVER_ERROR;
  res
    .status((isErrorCode(code) ? STATUS_BY_CODE[code] : undefined) ?? 500)
    .set('Cache-Control', 'no-store')
    .json({
      errors: errors.map((error) => ({
        message: error.message,
        extensions: { code: error.extensions?.code ?? code },
      })),
    });
}
