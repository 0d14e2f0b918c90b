/**
 * The gateway's `formatError`: lib/errors' masking (our codes and texts only, every extension
 * but `code` dropped, anything unknown an internal error), plus what a public GraphQL endpoint
 * needs on top:
 * - no field suggestions in any message ("Did you mean ...?" is how schema-recovery tools map
 *   a schema with introspection off);
 * - in production, validation and variable errors replaced by one generic text each ("Cannot
 *   query field", "must have a selection of subfields", "is not defined by type" all name the
 *   schema's types and fields);
 * - our limit errors (depth, aliases, directives, tokens, cost) as QUERY_TOO_COMPLEX, and the
 *   safelist's refusal as OPERATION_NOT_ALLOWED;
 * - a subgraph's error is trusted no further than its code: request-level codes from a
 *   subgraph (its own validation failing) are our fault, so internal; and a message that
 *   carries a URL, an address, a network error code, a stack frame or SQL is replaced by the
 *   code's standard text.
 * Only the kind and code of a masked error are logged (lib/errors), never its message.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import {
  ErrorCode,
  defaultMessage,
  isErrorCode,
  isRequestErrorCode,
  formatError as maskError,
} from '../../lib/errors';
import { QueryLimitError, TOO_MANY_TOKENS } from './query-limits';

/** The generic texts production answers with instead of the validator's own. */
export const GENERIC_MESSAGES = {
  validation: 'The query is not valid for this API.',
  variables: 'The variables are not valid for this operation.',
  request: 'The request could not be processed.',
} as const;

/** graphql-js appends its suggestions as " Did you mean ...?" (also "the enum value ..."). */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** Things that must never reach a caller, whoever wrote the message. */
const UNSAFE = [
  /[a-z][a-z0-9+.-]*:\/\/\S/i, // any URL (http://, postgres://, redis://)
  /\b\d{1,3}(?:\.\d{1,3}){3}\b/, // an IPv4 address
  /\bE(?:CONNREFUSED|CONNRESET|NOTFOUND|TIMEDOUT|AI_AGAIN|HOSTUNREACH|PIPE)\b/, // socket errors
  /\n\s*at\s|\bat\s+\S+\s+\(\S+:\d+:\d+\)/, // a stack frame
  /\b(?:select\s[\s\S]+\sfrom|insert\s+into|update\s+\S+\s+set|delete\s+from)\b/i, // SQL
];

export const stripSuggestions = (message: string): string => message.replace(SUGGESTION, '');

export const looksUnsafe = (message: string): boolean =>
  UNSAFE.some((pattern) => pattern.test(message));

function isQueryLimitError(error: unknown): error is GraphQLError {
  return (
    error instanceof QueryLimitError ||
    (error instanceof GraphQLError && error.originalError instanceof QueryLimitError)
  );
}

export interface ErrorMaskingOptions {
  production: boolean;
}

export function createFormatError({ production }: ErrorMaskingOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const fromSubgraph = formatted.extensions?.serviceName !== undefined;

    if (!fromSubgraph) {
      if (isQueryLimitError(error) || code === ErrorCode.QUERY_TOO_COMPLEX) {
        return { message: formatted.message, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } };
      }
      if (code === ErrorCode.OPERATION_NOT_ALLOWED) {
        return { message: formatted.message, extensions: { code } };
      }
      if (code === ErrorCode.GRAPHQL_PARSE_FAILED && TOO_MANY_TOKENS.test(formatted.message)) {
        return {
          message: 'The query has too many tokens.',
          extensions: { code: ErrorCode.QUERY_TOO_COMPLEX },
        };
      }
      if (production && code === ErrorCode.GRAPHQL_VALIDATION_FAILED) {
        return { message: GENERIC_MESSAGES.validation, extensions: { code } };
      }
      if (production && code === ErrorCode.BAD_USER_INPUT && !formatted.path) {
        // Apollo's own: the variables did not match the operation's types.
        return { message: GENERIC_MESSAGES.variables, extensions: { code } };
      }
    }

    // A subgraph refusing what the gateway planned is a gateway fault, not the caller's.
    const trusted =
      fromSubgraph && isRequestErrorCode(code)
        ? { ...formatted, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }
        : formatted;
    const masked = maskError(trusted, error);
    const maskedCode = masked.extensions?.code;
    if (looksUnsafe(masked.message)) {
      const message = isErrorCode(maskedCode)
        ? defaultMessage(maskedCode)
        : GENERIC_MESSAGES.request;
      return { ...masked, message };
    }
    return { ...masked, message: stripSuggestions(masked.message) };
  };
}
