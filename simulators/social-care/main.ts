/** Entry point: `tsx simulators/social-care/main.ts` (PORT, SOCIAL_CARE_API_KEY, SEED, CHILDREN, AS_OF). */
import { logger } from '../../lib/logger';
import { runSimulatorMain } from '../common/entry';
import { generateWorld } from '../seed/generate';
import { createSocialCareSimulator } from './app';

export async function main(): Promise<void> {
  await runSimulatorMain({
    name: 'social-care',
    keyVar: 'SOCIAL_CARE_API_KEY',
    defaultPort: 4101,
    generate: generateWorld,
    create: (world, apiKey) => createSocialCareSimulator({ world, apiKey }),
  });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    logger.error('social-care simulator failed to start', {
      reason: err instanceof Error ? err.message : String(err),
    });
    process.exitCode = 1;
  });
}
