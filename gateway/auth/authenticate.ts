/**
 * Express middleware in front of the GraphQL endpoint: no verified bearer token, no entry.
 * Every failure is the same 401 with a stable code and no hint of which check failed.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { InternalIdentity } from '../../identity/internal-token';
import type { VerifyExternalToken } from '../../identity/external-token';
import { ErrorCode, defaultMessage } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { currentRequestContext } from '../../lib/observability/request-context';

/** Longest purpose text kept (it goes to the audit log). */
const MAX_PURPOSE_LENGTH = 200;

declare module 'express-serve-static-core' {
  interface Locals {
    identity?: InternalIdentity;
  }
}

export function sendUnauthenticated(res: Response): void {
  res
    .status(401)
    .set('WWW-Authenticate', 'Bearer error="invalid_token"')
    .json({
      errors: [
        {
          message: defaultMessage(ErrorCode.UNAUTHENTICATED),
          extensions: { code: ErrorCode.UNAUTHENTICATED },
        },
      ],
    });
}

export function authenticate(verify: VerifyExternalToken) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // The request's own id (`requestContext`): its log lines, audit events and subgraph calls agree.
    const requestId = currentRequestContext()?.requestId ?? randomUUID();
    res.set('X-Request-Id', requestId);
    const header = req.headers.authorization;
    const match = header ? /^Bearer ([A-Za-z0-9\-_.]+)$/.exec(header) : null;
    if (!match?.[1]) {
      sendUnauthenticated(res);
      return;
    }
    try {
      const caller = await verify(match[1]);
      res.locals.identity = { caller, requestId, purpose: purposeFrom(req) };
      next();
    } catch {
      logger.info('token refused', { requestId });
      sendUnauthenticated(res);
    }
  };
}

/** The caller's stated purpose (X-Purpose), printable ASCII only, trimmed and bounded. */
function purposeFrom(req: Request): string | null {
  const value = req.headers['x-purpose'];
  if (typeof value !== 'string') return null;
  const cleaned = value
    .replace(/[^\x20-\x7E]/g, '')
    .trim()
    .slice(0, MAX_PURPOSE_LENGTH);
  return cleaned.length > 0 ? cleaned : null;
}
