/** Entry point: `tsx simulators/finance/main.ts` (PORT, FINANCE_API_KEY, SEED, CHILDREN, AS_OF). */
import { logger } from '../../lib/logger';
import { runSimulatorMain } from '../common/entry';
import { generateWorld } from '../seed/generate';
import { createFinanceSimulator } from './app';

export async function main(): Promise<void> {
  await runSimulatorMain({
    name: 'finance',
    keyVar: 'FINANCE_API_KEY',
    defaultPort: 4103,
    generate: generateWorld,
    create: (world, apiKey) => createFinanceSimulator({ world, apiKey }),
  });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    logger.error('finance simulator failed to start', {
      reason: err instanceof Error ? err.message : String(err),
    });
    process.exitCode = 1;
  });
}
