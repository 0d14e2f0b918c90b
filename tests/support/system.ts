/**
 * The whole system on free ports for end-to-end tests: real simulators, real subgraphs, the
 * real gateway, real tokens from the development issuer, CLA Graph's store on in-memory
 * PGlite. Tests talk to it over HTTP only, as a client would.
 */
import type { PersonaName } from '../../simulators/seed/world';
import {
  ANY_FREE_PORTS,
  startSystem,
  type RunningSystem,
  type SystemOptions,
} from '../../system/start-system';
import { graphql } from '../../system/system-client';

export * from '../../system/system-client';

/** A fixed date inside a school term, so the seeded world and the subgraphs agree on "today". */
export const TEST_AS_OF = '2026-02-10';

export async function startTestSystem(
  overrides: Partial<SystemOptions> = {},
): Promise<RunningSystem> {
  return startSystem({
    seed: 1,
    children: 600,
    asOf: TEST_AS_OF,
    ports: ANY_FREE_PORTS,
    dataDir: 'memory://',
    subgraphTimeoutMs: 5_000,
    // Idle unless a test drives it: its reads would move the simulators' request counters.
    alerts: false,
    ...overrides,
  });
}

/** A client bound to one persona's token. */
export async function clientFor(system: RunningSystem, persona: PersonaName) {
  const token = await system.tokenFor(persona);
  return <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) =>
    graphql<T>(system.urls.gateway, token, query, variables);
}
