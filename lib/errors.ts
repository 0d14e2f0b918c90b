/**
 * The one public list of error codes CLA Graph answers with, and the masking that keeps
 * everything else (stack traces, upstream URLs, SQL, personal data) out of responses.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { logger } from './logger';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  OVERLOADED: 'OVERLOADED',
  AUDIT_UNAVAILABLE: 'AUDIT_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes whose message was written by us for the caller and is safe to pass on as it is. */
const PUBLIC_CODES = new Set<string>(Object.values(ErrorCode));

/** Safe, stable texts used when an error has no safe message of its own. */
const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  UNAUTHENTICATED: 'Authentication required.',
  FORBIDDEN: 'Not authorised.',
  NOT_FOUND: 'Not found.',
  BAD_USER_INPUT: 'The input is not valid.',
  UPSTREAM_UNAVAILABLE: 'A source system is unavailable; try again later.',
  RATE_LIMITED: 'Too many requests; try again later.',
  QUERY_TOO_COMPLEX: 'The query is too complex.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  OVERLOADED: 'CLA Graph is busy; try again shortly.',
  AUDIT_UNAVAILABLE:
    'The access log could not be written, so no data was returned; try again later.',
  INTERNAL_SERVER_ERROR: 'Internal server error.',
};

/** An error whose message is safe to show the caller. Never put personal data in the message. */
export class PublicError extends GraphQLError {
  constructor(code: ErrorCode, message: string = DEFAULT_MESSAGES[code]) {
    super(message, { extensions: { code } });
  }
}

export const badUserInput = (message: string): PublicError =>
  new PublicError(ErrorCode.BAD_USER_INPUT, message);

export const forbidden = (message?: string): PublicError =>
  new PublicError(ErrorCode.FORBIDDEN, message);

/** A council system failed. The message names the system, never its URL or its answer. */
export class UpstreamUnavailableError extends PublicError {
  constructor(readonly system: string) {
    super(ErrorCode.UPSTREAM_UNAVAILABLE, `The ${system} system is unavailable; try again later.`);
  }
}

/**
 * Apollo Server `formatError`: keeps our own codes and messages, masks everything else as an
 * internal error, and drops every extension but `code` (no stacktrace, no serviceName).
 * The original is logged by class and code only: its message may quote data.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (
    typeof code === 'string' &&
    PUBLIC_CODES.has(code) &&
    code !== ErrorCode.INTERNAL_SERVER_ERROR
  ) {
    return { message: formatted.message, path: formatted.path, extensions: { code } };
  }
  if (typeof code === 'string' && isGraphQLRequestErrorCode(code)) {
    // Parse and validation errors: the text is about the query the caller sent, not our data.
    return { message: formatted.message, extensions: { code } };
  }
  const original = unwrapResolverError(error);
  logger.error('masked error', {
    kind: original instanceof Error ? original.constructor.name : typeof original,
    code: typeof code === 'string' ? code : undefined,
  });
  return {
    message: DEFAULT_MESSAGES.INTERNAL_SERVER_ERROR,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/** Apollo Server's own codes for a request that could not be parsed or validated. */
function isGraphQLRequestErrorCode(code: string): boolean {
  return (
    code === 'GRAPHQL_PARSE_FAILED' ||
    code === 'GRAPHQL_VALIDATION_FAILED' ||
    code === 'BAD_REQUEST' ||
    code === 'PERSISTED_QUERY_NOT_FOUND' ||
    code === 'PERSISTED_QUERY_NOT_SUPPORTED' ||
    code === 'OPERATION_RESOLUTION_FAILURE'
  );
}
