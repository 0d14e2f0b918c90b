/**
 * Graceful refusal when overloaded: at most MAX_IN_FLIGHT GraphQL requests (and exports, which
 * run GraphQL) are worked on at once per gateway process; the next one is answered at once
 * with 503 and `Retry-After`, instead of queueing until every request is slow and the process
 * runs out of memory. A load balancer or client retries it, on this or another replica.
 */
import type { RequestHandler } from 'express';
import { ErrorCode } from '../../lib/errors';
import { logger } from '../../lib/logger';
import { sendError } from './http-errors';

/** Seconds a refused client is asked to wait. */
const RETRY_AFTER_SECONDS = 1;
/** While refusing, log at most this often. */
const LOG_EVERY_MS = 10_000;

export function inFlightLimit(maxInFlight: number): RequestHandler {
  let inFlight = 0;
  let lastLogged = 0;
  return (_req, res, next) => {
    if (inFlight >= maxInFlight) {
      const now = Date.now();
      if (now - lastLogged >= LOG_EVERY_MS) {
        lastLogged = now;
        logger.warn('overloaded: refusing requests', { inFlight, maxInFlight });
      }
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      sendError(res, 503, ErrorCode.OVERLOADED);
      return;
    }
    inFlight += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight -= 1;
    };
    // 'close' covers a client that went away before the answer was finished.
    res.once('finish', release);
    res.once('close', release);
    next();
  };
}
