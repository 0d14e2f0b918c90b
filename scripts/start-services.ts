/**
 * `npm run start:services`: the production topology on this machine, every part its own
 * process (system/start-services.ts), over the PostgreSQL in DATABASE_URL and, when set, the
 * Redis in REDIS_URL. GATEWAY_REPLICAS gateway processes (default 1). SIGTERM stops every
 * process, gateways first, each draining its requests in flight; Ctrl-C reaches them all at
 * once (one process group) and each drains on its own.
 */
import path from 'node:path';
import { z } from 'zod';
import { isoDate, parseEnv } from '../lib/config';
import { systemClock } from '../lib/clock';
import { startServices } from '../system/start-services';

const env = parseEnv(
  z.object({
    SEED: z.coerce.number().int().min(0).default(1),
    CHILDREN: z.coerce.number().int().min(50).max(100_000).default(600),
    AS_OF: isoDate().optional(),
    DATA_DIR: z.string().default(path.join(process.cwd(), 'data')),
    /** Gateway processes over the same subgraphs, PostgreSQL and Redis. */
    GATEWAY_REPLICAS: z.coerce.number().int().min(1).max(8).default(1),
  }),
);

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('`npm run start:services` runs simulated council systems; not for production.');
  }
  const services = await startServices({
    seed: env.SEED,
    children: env.CHILDREN,
    asOf: env.AS_OF ?? systemClock(),
    replicas: env.GATEWAY_REPLICAS,
    ports: 'default',
    dataDir: env.DATA_DIR,
    env: process.env,
  });
  const pad = (name: string) => name.padEnd(26);
  const lines = [
    '',
    `CLA Graph's production topology: ${services.processes.length} processes, ${services.world.socialCare.children.length} synthetic children (seed ${env.SEED}).`,
    ...services.processes.map(
      (service) =>
        `  ${pad(service.name)} pid ${String(service.child.pid).padEnd(7)} ${service.url}`,
    ),
    `  ${pad('issuer (development)')} this process ${services.issuer}`,
    '',
    `Ask a gateway: ${services.gateways.map((gateway) => `${gateway.url}/graphql`).join(', ')}`,
    '  TOKEN=$(npm run -s token -- vsh)',
    `  curl -s ${services.gateways[0]!.url}/graphql -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `    -d '{"query":"{ children(first: 3) { totalCount edges { node { id name { displayName } } } } }"}'`,
    ...(env.GATEWAY_REPLICAS > 1 && !process.env.REDIS_URL
      ? ['Without REDIS_URL each replica keeps its own rate limit and used tokens (in memory).']
      : []),
    'Ctrl-C stops every process.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const service of services.processes) {
    void service.exited.then((code) => {
      if (!stopping) process.stderr.write(`${service.name} exited (${code})\n`);
    });
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('stopping every process...\n');
    void services.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Should this launcher end any other way, no service is left running without it.
  process.once('exit', () => {
    for (const service of services.processes)
      if (service.child.exitCode === null) service.child.kill();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The topology failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
