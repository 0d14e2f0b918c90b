/** Bearer credential check, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from './errors';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** True when `header` is `Bearer <apiKey>`. Hashing first makes the comparison length-independent. */
export function bearerMatches(header: string | undefined, apiKey: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  const presented = digest(match?.[1] ?? '');
  return timingSafeEqual(presented, digest(apiKey)) && match !== null;
}

export function bearerAuth(apiKey: string): RequestHandler {
  if (apiKey.length === 0) throw new Error('A simulator needs a non-empty API key');
  return (req, res, next) => {
    if (bearerMatches(req.get('authorization'), apiKey)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Bearer');
    sendError(res, 401, 'UNAUTHORIZED', 'Missing or invalid bearer credential');
  };
}
