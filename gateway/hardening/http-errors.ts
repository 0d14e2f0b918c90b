/**
 * Everything the gateway answers outside GraphQL execution is JSON in the GraphQL error shape,
 * with a stable code and our text: the capped body parser's refusals (413, malformed JSON),
 * unknown paths, and any error that reached Express. Express's default handler would answer
 * an HTML page with the stack trace outside production.
 */
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { ErrorCode, defaultMessage } from '../../lib/errors';
import { logger } from '../../lib/logger';

/** One error, GraphQL-shaped; `message` defaults to the code's standard text. */
export function sendError(
  res: Response,
  status: number,
  code: ErrorCode,
  message: string = defaultMessage(code),
): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** JSON bodies only, at most `maxBytes` (after decompression). */
export function jsonBody(maxBytes: number): RequestHandler {
  return express.json({ limit: maxBytes });
}

export const notFound: RequestHandler = (_req, res) => {
  sendError(res, 404, ErrorCode.NOT_FOUND);
};

/** The body-parser error types (https://github.com/expressjs/body-parser#errors). */
interface HttpError {
  status?: number;
  statusCode?: number;
  type?: string;
}

export const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const { status, statusCode, type } = (error ?? {}) as HttpError;
  const httpStatus = status ?? statusCode ?? 500;
  if (type === 'entity.too.large') {
    sendError(res, 413, ErrorCode.PAYLOAD_TOO_LARGE);
  } else if (type === 'entity.parse.failed') {
    sendError(res, 400, ErrorCode.BAD_REQUEST, 'The request body is not valid JSON.');
  } else if (httpStatus === 415) {
    sendError(res, 415, ErrorCode.BAD_REQUEST, 'The request body encoding is not supported.');
  } else if (httpStatus >= 400 && httpStatus < 500) {
    sendError(res, httpStatus, ErrorCode.BAD_REQUEST, 'The request could not be read.');
  } else {
    logger.error('unhandled request error', {
      kind: error instanceof Error ? error.name : typeof error,
    });
    sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR);
  }
};
