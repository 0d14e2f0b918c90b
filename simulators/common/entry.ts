/** What each simulator's `main.ts` shares: read the environment once, make the world, listen. */
import type { Express } from 'express';
import { z } from 'zod';
import { logger } from '../../lib/logger';
import type { GenerateOptions, World } from '../seed/world';
import { describeZodError } from './errors';
import { startServer } from './server';
import type { RunningServer } from './server';
import { isoDate } from './validation';

export interface SimulatorEnv {
  port: number;
  host: string;
  apiKey: string;
  seed: number;
  children: number;
  asOf: string;
}

export class SimulatorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorConfigError';
  }
}

const intVar = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * PORT (default `defaultPort`), HOST (default 127.0.0.1), the API key from `keyVar` (required,
 * no default), SEED (default 1), CHILDREN (default 600), AS_OF (default today, UTC).
 */
export function readSimulatorEnv(
  env: NodeJS.ProcessEnv,
  keyVar: string,
  defaultPort: number,
): SimulatorEnv {
  const apiKey = env[keyVar];
  if (apiKey === undefined || apiKey.trim() === '') {
    throw new SimulatorConfigError(
      `${keyVar} is required: set it to the bearer API key clients must present (there is no default).`,
    );
  }
  const schema = z.object({
    PORT: intVar(0, 65535).default(String(defaultPort)),
    HOST: z.string().min(1).default('127.0.0.1'),
    SEED: intVar(0, 2 ** 32 - 1).default('1'),
    CHILDREN: intVar(1, 100_000).default('600'),
    AS_OF: isoDate.default(today()),
  });
  const parsed = schema.safeParse({
    PORT: env.PORT,
    HOST: env.HOST,
    SEED: env.SEED,
    CHILDREN: env.CHILDREN,
    AS_OF: env.AS_OF,
  });
  if (!parsed.success) {
    throw new SimulatorConfigError(`Invalid environment: ${describeZodError(parsed.error)}`);
  }
  const { PORT, HOST, SEED, CHILDREN, AS_OF } = parsed.data;
  return {
    port: PORT,
    host: HOST,
    apiKey: apiKey.trim(),
    seed: SEED,
    children: CHILDREN,
    asOf: AS_OF,
  };
}

export interface SimulatorMainOptions {
  name: string;
  keyVar: string;
  defaultPort: number;
  generate: (options: GenerateOptions) => World;
  create: (world: World, apiKey: string) => Express;
  env?: NodeJS.ProcessEnv;
}

/** Start one simulator from the environment; stops on SIGINT/SIGTERM. Exits 1 on bad config. */
export async function runSimulatorMain(
  options: SimulatorMainOptions,
): Promise<RunningServer | null> {
  let config: SimulatorEnv;
  try {
    config = readSimulatorEnv(options.env ?? process.env, options.keyVar, options.defaultPort);
  } catch (err) {
    if (!(err instanceof SimulatorConfigError)) throw err;
    logger.error(`${options.name} simulator: ${err.message}`, { system: options.name });
    process.exitCode = 1;
    return null;
  }
  const world = options.generate({
    seed: config.seed,
    children: config.children,
    asOf: config.asOf,
  });
  const server = await startServer(options.create(world, config.apiKey), config.port, config.host);
  logger.info(`${options.name} simulator listening`, {
    system: options.name,
    url: server.url,
    seed: config.seed,
    children: config.children,
    asOf: config.asOf,
  });
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
