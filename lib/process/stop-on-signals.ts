/**
 * How every CLA Graph process stops: once, on the first SIGINT or SIGTERM, it logs the signal,
 * runs its own stop steps (stop accepting, drain, close stores, flush traces) and exits 0, or 1
 * if a step failed or the steps outlived `deadlineMs` (a stuck request cannot keep a process
 * from going away). One place, so the gateway, each subgraph and `npm start` stop alike.
 */
import { logger } from '../logger';

export function stopOnSignals(
  name: string,
  stop: () => Promise<unknown>,
  deadlineMs?: number,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`${name} stopping`, { signal });
    if (deadlineMs !== undefined) setTimeout(() => process.exit(1), deadlineMs).unref();
    void stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
