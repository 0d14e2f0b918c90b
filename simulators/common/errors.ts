/** The one error body every simulator answers with, and the express handlers that produce it. */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { ZodError } from 'zod';

export type SimErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL'
  /** A write refused (409 state conflict, 422 refused by a rule): the system's own reason. */
  | (string & { readonly refusal?: never });

/**
 * `fields` (on a 400 of a body or query) lists every input field that was wrong, as its path
 * (`TARGETS.0.AREA`); numeric details of a refusal (e.g. `remaining_pence`) sit beside code.
 */
export interface ErrorBody {
  error: { code: SimErrorCode; message: string; fields?: string[] } & Record<string, unknown>;
}

/** Thrown by handlers and helpers; the error handler turns it into an `ErrorBody`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: SimErrorCode,
    message: string,
    readonly extra: { fields?: string[] } & Record<string, string[] | number | undefined> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function badRequest(message: string, fields?: string[]): HttpError {
  return new HttpError(400, 'BAD_REQUEST', message, fields ? { fields } : {});
}

/** 409: the record is not in a state for this write (e.g. not a draft, a stale VERSION). */
export function conflict(code: string, message: string): HttpError {
  return new HttpError(409, code, message);
}

/** 422: the write breaks a rule of the system (e.g. over the allocation); details are numbers. */
export function unprocessable(
  code: string,
  message: string,
  details: Record<string, number> = {},
): HttpError {
  return new HttpError(422, code, message, details);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, 'NOT_FOUND', message);
}

export function sendError(
  res: Response,
  status: number,
  code: SimErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  const body: ErrorBody = { error: { ...extra, code, message } };
  res.status(status).json(body);
}

/** "ids: Array must contain at most 500 element(s); page: Expected number, received string". */
export function describeZodError(err: ZodError): string {
  return err.issues
    .map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 404, 'NOT_FOUND', `No route ${req.method} ${req.path}`);
};

interface BodyParserError {
  type: string;
  status?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return (
    typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string'
  );
}

export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  if (err instanceof HttpError) {
    sendError(res, err.status, err.code, err.message, err.extra);
    return;
  }
  if (isBodyParserError(err)) {
    if (err.type === 'entity.too.large') {
      sendError(res, 413, 'PAYLOAD_TOO_LARGE', 'Request body too large');
      return;
    }
    if (err.status !== undefined && err.status >= 400 && err.status < 500) {
      sendError(res, 400, 'BAD_REQUEST', `Invalid request body (${err.type})`);
      return;
    }
  }
  sendError(res, 500, 'INTERNAL', 'Internal simulator error');
};
