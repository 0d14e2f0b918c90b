/**
 * Simulated misbehaviour: added latency, 503s, requests that are never answered, and 200s
 * with a body that is not JSON. One seeded draw per request picks the outcome, so a test
 * that sets the same faults sees the same sequence.
 */
import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { FaultConfig } from '../contracts/common';
import { badRequest, describeZodError, sendError } from './errors';
import { seededRandom } from './prng';
import type { Random } from './prng';

export const NO_FAULTS: FaultConfig = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  timeoutRate: 0,
  malformedRate: 0,
});

const rate = z.number().min(0).max(1);

/** A change to the faults: any subset of the fields; the rest keep their value. */
export const faultPatchSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(120_000),
    errorRate: rate,
    timeoutRate: rate,
    malformedRate: rate,
  })
  .partial()
  .strict();

export type FaultPatch = z.infer<typeof faultPatchSchema>;

export type FaultOutcome = 'none' | 'error' | 'timeout' | 'malformed';

function mergeFaults(current: FaultConfig, input: unknown): FaultConfig {
  const parsed = faultPatchSchema.safeParse(input);
  if (!parsed.success) throw badRequest(`Invalid faults: ${describeZodError(parsed.error)}`);
  const next: FaultConfig = { ...current, ...parsed.data };
  if (next.errorRate + next.timeoutRate + next.malformedRate > 1) {
    throw badRequest('Invalid faults: errorRate + timeoutRate + malformedRate must not exceed 1');
  }
  return next;
}

/** The faults in force and the seeded draw. Each change restarts the draw sequence. */
export class FaultController {
  private current: FaultConfig;
  private random: Random;

  constructor(
    initial: Partial<FaultConfig> | undefined,
    private readonly seed = 1,
  ) {
    this.current = mergeFaults(NO_FAULTS, initial ?? {});
    this.random = seededRandom(seed);
  }

  get config(): FaultConfig {
    return { ...this.current };
  }

  /** Apply a change (validated; throws a 400 `HttpError` and keeps the old faults if invalid). */
  update(patch: unknown): FaultConfig {
    this.current = mergeFaults(this.current, patch);
    this.random = seededRandom(this.seed);
    return this.config;
  }

  /** One draw: which misbehaviour, if any, this request gets. */
  draw(): FaultOutcome {
    const r = this.random();
    const { errorRate, timeoutRate, malformedRate } = this.current;
    if (r < errorRate) return 'error';
    if (r < errorRate + timeoutRate) return 'timeout';
    if (r < errorRate + timeoutRate + malformedRate) return 'malformed';
    return 'none';
  }
}

/** Make the JSON this response would have sent arrive as a 200 with the body cut in half. */
function sendMalformedJson(res: Response): void {
  const malformed = (body: unknown): Response => {
    const text = JSON.stringify(body) ?? '{';
    const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    res.status(200).type('application/json');
    return res.send(cut.startsWith('{') || cut.startsWith('[') ? cut : `{${cut}`);
  };
  res.json = malformed as Response['json'];
}

export function faultMiddleware(faults: FaultController): RequestHandler {
  return (_req, res, next) => {
    const { latencyMs } = faults.config;
    const outcome = faults.draw();
    // Accepted and never answered: the socket stays open until the client gives up.
    if (outcome === 'timeout') return;
    const proceed = (): void => {
      if (outcome === 'error') {
        sendError(res, 503, 'SERVICE_UNAVAILABLE', 'Simulated outage');
        return;
      }
      if (outcome === 'malformed') sendMalformedJson(res);
      next();
    };
    if (latencyMs <= 0) {
      proceed();
      return;
    }
    const timer = setTimeout(proceed, latencyMs);
    res.on('close', () => clearTimeout(timer));
  };
}
