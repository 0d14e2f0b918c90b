/**
 * The express app every simulator is built on: `GET /health` open, a bearer key on everything
 * else, a JSON body limit, per-route counters and faults on the API routes, and the
 * simulator-only `/_sim/*` control routes (never faulted, counted apart).
 */
import express from 'express';
import type { Express, Request, RequestHandler, Response } from 'express';
import type { FaultConfig, SimulatorStats } from '../contracts/common';
import { SIMULATOR_HEALTH_ROUTE } from '../../lib/http/health-routes';
import { bearerAuth } from './auth';
import { errorHandler, notFoundHandler } from './errors';
import { FaultController, faultMiddleware } from './faults';
import { RouteCounter } from './stats';
import type { RouteCounts } from './stats';

export type SimulatorSystem = SimulatorStats['system'];

/** What `GET /_sim/stats` answers: the contract's stats, plus the control routes' own counts. */
export interface SimulatorStatsResponse extends SimulatorStats {
  control: RouteCounts;
}

export interface SimulatorAppOptions {
  system: SimulatorSystem;
  apiKey: string;
  /** Faults in force from the start (default none). */
  faults?: Partial<FaultConfig>;
  /** Seed of the fault draws (default 1). */
  faultSeed?: number;
  /** Largest JSON body accepted (default '1mb'). */
  bodyLimit?: string;
}

/** A synchronous handler: throw an `HttpError` for a 4xx. */
export type ApiHandler = (req: Request, res: Response) => void;

/** Registers API routes: each is counted under its pattern and subject to faults. */
export interface ApiRoutes {
  get(path: string, handler: ApiHandler): void;
  post(path: string, handler: ApiHandler): void;
  put(path: string, handler: ApiHandler): void;
}

function counted(counter: RouteCounter, key: string): RequestHandler {
  return (_req, _res, next) => {
    counter.hit(key);
    next();
  };
}

function toMiddleware(handler: ApiHandler): RequestHandler {
  return (req, res) => handler(req, res);
}

function mountControlRoutes(
  app: Express,
  system: SimulatorSystem,
  api: RouteCounter,
  control: RouteCounter,
  faults: FaultController,
): void {
  const stats = (): SimulatorStatsResponse => ({
    system,
    ...api.snapshot(),
    control: control.snapshot(),
  });
  app.get('/_sim/stats', counted(control, 'GET /_sim/stats'), (_req, res) => {
    res.json(stats());
  });
  app.post('/_sim/stats/reset', counted(control, 'POST /_sim/stats/reset'), (_req, res) => {
    api.reset();
    control.reset();
    res.json(stats());
  });
  app.get('/_sim/faults', counted(control, 'GET /_sim/faults'), (_req, res) => {
    res.json(faults.config);
  });
  app.put('/_sim/faults', counted(control, 'PUT /_sim/faults'), (req, res) => {
    res.json(faults.update(req.body));
  });
}

/** Build a simulator: `register` adds the system's API routes. */
export function createSimulatorApp(
  options: SimulatorAppOptions,
  register: (routes: ApiRoutes) => void,
): Express {
  const { system, apiKey } = options;
  const faults = new FaultController(options.faults, options.faultSeed ?? 1);
  const apiCounter = new RouteCounter();
  const controlCounter = new RouteCounter();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Query values are plain strings (or arrays of them when repeated), never nested objects.
  app.set('query parser', 'simple');

  app.get(SIMULATOR_HEALTH_ROUTE, (_req, res) => {
    res.json({ status: 'ok', system });
  });
  app.use(bearerAuth(apiKey));
  app.use(express.json({ limit: options.bodyLimit ?? '1mb' }));
  mountControlRoutes(app, system, apiCounter, controlCounter, faults);

  const fault = faultMiddleware(faults);
  register({
    get: (path, handler) => {
      app.get(path, counted(apiCounter, `GET ${path}`), fault, toMiddleware(handler));
    },
    post: (path, handler) => {
      app.post(path, counted(apiCounter, `POST ${path}`), fault, toMiddleware(handler));
    },
    put: (path, handler) => {
      app.put(path, counted(apiCounter, `PUT ${path}`), fault, toMiddleware(handler));
    },
  });

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
