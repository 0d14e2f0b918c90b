/**
 * The set-up the subgraph integration tests share: the real simulators serving a world on free
 * ports, their counters and faults (read and set with the simulator key), and a client that
 * posts GraphQL to a subgraph with a gateway-signed token (signed over each request's body).
 */
import type { FaultConfig, SimulatorStats } from '../../simulators/contracts/common';
import { bindToBody } from './identity';
import { tinyWorld } from './tiny-world';
import type { World } from '../../simulators/seed/world';
import { startSimulators, type SimulatorName } from '../../simulators/start-all';

export type { SimulatorName };

/** The bearer key each simulator expects, unless a test brings its own. */
export const SIMULATOR_KEYS: Record<SimulatorName, string> = {
  socialCare: 'social-care-simulator-key-for-tests',
  education: 'education-simulator-key-for-tests',
  finance: 'finance-simulator-key-for-tests',
};

export interface TestSimulators {
  /** Base URL of each system (API prefixes not included). */
  urls: Record<SimulatorName, string>;
  keys: Record<SimulatorName, string>;
  /** The system's counters since its last reset. */
  stats(name: SimulatorName): Promise<SimulatorStats>;
  /** Zero the counters of each system named. */
  resetStats(...names: SimulatorName[]): Promise<void>;
  /** Tell a system how to misbehave (faults left out keep their setting). */
  setFaults(name: SimulatorName, faults: Partial<FaultConfig>): Promise<void>;
  close(): Promise<void>;
}

/** Start the three simulators on free ports, over `world` (a fresh tiny world by default). */
export async function startTinySimulators(
  world: World = tinyWorld(),
  keys: Partial<Record<SimulatorName, string>> = {},
): Promise<TestSimulators> {
  const allKeys = { ...SIMULATOR_KEYS, ...keys };
  const running = await startSimulators({ world, keys: allKeys });
  async function call<T>(
    name: SimulatorName,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await fetch(`${running.urls[name]}${path}`, {
      method,
      headers: { Authorization: `Bearer ${allKeys[name]}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`simulator ${name} ${method} ${path}: ${response.status}`);
    return (await response.json()) as T;
  }
  return {
    urls: running.urls,
    keys: allKeys,
    stats: (name) => call<SimulatorStats>(name, 'GET', '/_sim/stats'),
    resetStats: async (...names) => {
      await Promise.all(names.map((name) => call(name, 'POST', '/_sim/stats/reset')));
    },
    setFaults: async (name, faults) => {
      await call(name, 'PUT', '/_sim/faults', faults);
    },
    close: () => running.close(),
  };
}

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GraphQLError[];
  extensions?: Record<string, unknown>;
}

/** The token a call sends when it names none; null sends no Authorization header. */
export type TokenProvider = () => string | null | Promise<string | null>;

export interface SubgraphClient<D> {
  /** POST a query; `token` overrides the provider's (null: no Authorization header). */
  graphql<T = D>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GraphQLResponse<T>>;
  /** Reset the counted simulator's counters, run a query, and read the counters back. */
  measured<T = D>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<{ result: GraphQLResponse<T>; stats: SimulatorStats }>;
}

/**
 * A client for the subgraph at `url` (its base URL; `/graphql` is added). `url` and
 * `counted.simulators` may be functions, for what is only started in `beforeAll`.
 */
export function subgraphClient<D = Record<string, unknown>>(
  url: string | (() => string),
  tokenProvider: TokenProvider,
  counted?: { simulators: () => TestSimulators; name: SimulatorName },
): SubgraphClient<D> {
  async function graphql<T = D>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GraphQLResponse<T>> {
    const bearer = token === undefined ? await tokenProvider() : token;
    const body = JSON.stringify({ query, variables });
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    // The gateway signs each call over its body; so does this client (see `bindToBody`).
    if (bearer !== null) headers.Authorization = `Bearer ${await bindToBody(bearer, body)}`;
    const base = typeof url === 'function' ? url() : url;
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers, body });
    return {
      status: response.status,
      ...((await response.json()) as Omit<GraphQLResponse<T>, 'status'>),
    };
  }
  return {
    graphql,
    measured: async <T = D>(
      query: string,
      variables?: Record<string, unknown>,
      token?: string | null,
    ) => {
      if (!counted) throw new Error('measured needs a counted simulator');
      const simulators = counted.simulators();
      await simulators.resetStats(counted.name);
      const result = await graphql<T>(query, variables, token);
      return { result, stats: await simulators.stats(counted.name) };
    },
  };
}
