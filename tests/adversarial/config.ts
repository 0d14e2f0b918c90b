/**
 * How hard the adversarial suite tries. `npm test` (and CI) runs a fixed seed and few runs so
 * the suite is quick and repeatable; `npm run test:adversarial:long` runs many more with a
 * random seed (printed, so a failure can be replayed with ADVERSARIAL_SEED).
 */
function intFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got ${raw}`);
  return value;
}

/** The seed: fixed unless ADVERSARIAL_SEED is set (`random` draws one). */
export const SEED: number =
  process.env.ADVERSARIAL_SEED === 'random'
    ? Math.floor(Math.random() * 2 ** 31)
    : (intFromEnv('ADVERSARIAL_SEED') ?? 20260210);

/** Runs per property (each run is one caller and one operation, a few HTTP requests). */
export const RUNS: number = intFromEnv('ADVERSARIAL_RUNS') ?? 40;

/**
 * A safety net on one property's wall time, shrinking included (fast-check then reports what it
 * has): on a normal machine the runs end well before it, so the fixed seed decides the runs.
 */
export const TIME_LIMIT_MS: number = intFromEnv('ADVERSARIAL_TIME_LIMIT_MS') ?? 4_000;

/** Children in the seeded world: small for speed, big enough for every kind of child. */
export const WORLD_CHILDREN: number = intFromEnv('ADVERSARIAL_CHILDREN') ?? 150;

/** fast-check parameters shared by every property. */
export function fcParameters(runs: number = RUNS) {
  return {
    seed: SEED,
    numRuns: runs,
    // Shrinking sends real requests; bound it so a failing property still ends quickly.
    endOnFailure: false,
    interruptAfterTimeLimit: TIME_LIMIT_MS,
    markInterruptAsFailure: false,
    maxSkipsPerRun: 100,
  };
}
