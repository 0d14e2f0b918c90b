/**
 * `npm start`: the whole system on this machine, with seeded synthetic data: simulated
 * council systems, CLA Graph's database (embedded unless DATABASE_URL), the development
 * token issuer, the subgraphs and the gateway. Not for production: there the parts run on
 * their own (`gateway/main.ts`, `subgraphs/<name>/main.ts`) against the real systems.
 */
import path from 'node:path';
import { z } from 'zod';
import { isoDate, parseEnv } from '../lib/config';
import { systemClock } from '../lib/clock';
import { stopOnSignals } from '../lib/process/stop-on-signals';
import { startTracing } from '../lib/tracing';
import { DEFAULT_PORTS, startSystem } from '../system/start-system';

const env = parseEnv(
  z.object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    SEED: z.coerce.number().int().min(0).default(1),
    CHILDREN: z.coerce.number().int().min(50).max(100_000).default(600),
    AS_OF: isoDate().optional(),
    DATA_DIR: z.string().default(path.join(process.cwd(), 'data')),
    DATABASE_URL: z.string().url().optional(),
    DATABASE_MIGRATION_URL: z.string().url().optional(),
  }),
);

async function main(): Promise<void> {
  if (env.NODE_ENV === 'production') {
    throw new Error(
      '`npm start` runs the development system with simulated data; it does not run in production.',
    );
  }
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT (or the traces endpoint) is set.
  const tracing = await startTracing('cla-graph');
  const system = await startSystem({
    seed: env.SEED,
    children: env.CHILDREN,
    asOf: env.AS_OF ?? systemClock(),
    ports: DEFAULT_PORTS,
    dataDir: path.join(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    databaseMigrationUrl: env.DATABASE_MIGRATION_URL,
    // Every documented setting of the gateway and the subgraphs, read by their own schemas.
    env: process.env,
  });
  const lines = [
    '',
    `CLA Graph is running with ${system.world.socialCare.children.length} synthetic children (seed ${env.SEED}).`,
    `  Gateway:   ${system.urls.gateway}`,
    `  Issuer:    ${system.urls.issuer} (development only)`,
    `  Explorer:  ${system.urls.gateway.replace(/\/graphql$/, '/explorer')} (GraphiQL, development only)`,
    '',
    'Get a token and ask a question:',
    '  npm run -s token -- --list',
    '  TOKEN=$(npm run -s token -- vsh)',
    `  curl -s ${system.urls.gateway} -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `    -d '{"query":"{ children(first: 3) { totalCount edges { node { id name { displayName } } } } }"}'`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  stopOnSignals('CLA Graph', () => system.close().then(() => tracing.shutdown()));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `CLA Graph failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
