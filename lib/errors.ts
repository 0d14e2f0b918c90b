/**
 * The one public list of error codes CLA Graph answers with, and the masking that keeps
 * everything else (stack traces, upstream URLs, SQL, personal data) out of responses.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { logger } from './logger';

export const ErrorCode = {
  // Ours: the message is written for the caller.
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  OPERATION_NOT_ALLOWED: 'OPERATION_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  OVERLOADED: 'OVERLOADED',
  AUDIT_UNAVAILABLE: 'AUDIT_UNAVAILABLE',
  /** A change a council system made whose history CLA Graph could not record (the PEP workflow). */
  HISTORY_UNAVAILABLE: 'HISTORY_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  // Apollo Server's, for a request refused before it ran (the text is about the request).
  BAD_REQUEST: 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.prototype.hasOwnProperty.call(ErrorCode, code);

/** Apollo Server's codes for a request that could not be parsed, validated or resolved. */
export const REQUEST_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.BAD_REQUEST,
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

export const isRequestErrorCode = (code: unknown): code is ErrorCode =>
  isErrorCode(code) && REQUEST_ERROR_CODES.has(code);

/** Safe, stable texts used when an error has no safe message of its own. */
const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  UNAUTHENTICATED: 'Authentication required.',
  FORBIDDEN: 'Not authorised.',
  NOT_FOUND: 'Not found.',
  BAD_USER_INPUT: 'The input is not valid.',
  UPSTREAM_UNAVAILABLE: 'A source system is unavailable; try again later.',
  RATE_LIMITED: 'Too many requests; try again later.',
  QUERY_TOO_COMPLEX: 'The query is too complex.',
  OPERATION_NOT_ALLOWED: 'Only registered operations may run.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  OVERLOADED: 'CLA Graph is busy; try again shortly.',
  AUDIT_UNAVAILABLE:
    'The access log could not be written, so no data was returned; try again later.',
  HISTORY_UNAVAILABLE:
    'The change was made, but its history could not be recorded; it has been logged to be put right.',
  INTERNAL_SERVER_ERROR: 'Internal server error.',
  BAD_REQUEST: 'The request could not be read.',
  GRAPHQL_PARSE_FAILED: 'The query could not be parsed.',
  GRAPHQL_VALIDATION_FAILED: 'The query is not valid for this API.',
  PERSISTED_QUERY_NOT_FOUND: 'Persisted query not found.',
  PERSISTED_QUERY_NOT_SUPPORTED: 'Persisted queries are not supported.',
  OPERATION_RESOLUTION_FAILURE: 'The operation to run could not be determined.',
};

/** The standard text for a code (what a caller is told when the error's own text is unsafe). */
export const defaultMessage = (code: ErrorCode): string => DEFAULT_MESSAGES[code];

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
  if (isRequestErrorCode(code)) {
    // Parse and validation errors: the text is about the query the caller sent, not our data.
    return { message: formatted.message, extensions: { code } };
  }
  if (isErrorCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    return { message: formatted.message, path: formatted.path, extensions: { code } };
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
