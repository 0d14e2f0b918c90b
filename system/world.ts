/**
 * The seeded synthetic world the whole system serves, for the tools beside it (`npm run
 * token`): production code and scripts reach the simulators' seed only through `system/`.
 */
import { generateWorld } from '../simulators/seed/generate';
import type { World } from '../simulators/seed/world';

export interface WorldOptions {
  seed: number;
  children: number;
  /** "Today" in the world, ISO date. */
  asOf: string;
}

/** The same world `npm start` serves for these options. */
export function seededWorld(options: WorldOptions): World {
  return generateWorld(options);
}
