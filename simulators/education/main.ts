/** Entry point: `tsx simulators/education/main.ts` (PORT, EDUCATION_API_KEY, SEED, CHILDREN, AS_OF). */
import { logger } from '../../lib/logger';
import { runSimulatorMain } from '../common/entry';
import { generateWorld } from '../seed/generate';
import { createEducationSimulator } from './app';

export async function main(): Promise<void> {
  await runSimulatorMain({
    name: 'education',
    keyVar: 'EDUCATION_API_KEY',
    defaultPort: 4102,
    generate: generateWorld,
    create: (world, apiKey) => createEducationSimulator({ world, apiKey }),
  });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    logger.error('education simulator failed to start', {
      reason: err instanceof Error ? err.message : String(err),
    });
    process.exitCode = 1;
  });
}
