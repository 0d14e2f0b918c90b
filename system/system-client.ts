/**
 * Talking to a running system (`startSystem`) over HTTP as a client would, for the end-to-end
 * tests and the benchmarks: GraphQL through the gateway, and the simulated council systems'
 * counters and faults (with their keys).
 */
import type { SimulatorStats } from '../simulators/contracts/common';
import type { SimulatorName } from '../simulators/start-all';
import type { RunningSystem } from './start-system';

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: { code?: string };
  }>;
  headers: Headers;
}

export async function graphql<T = Record<string, unknown>>(
  url: string,
  token: string | null,
  query: string,
  variables?: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...extraHeaders,
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: Omit<GraphQLResult<T>, 'status' | 'headers'> = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { errors: [{ message: `non-JSON body: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, headers: response.headers, ...body };
}

async function simulatorCall<T>(
  system: RunningSystem,
  name: SimulatorName,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${system.urls.simulators[name]}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${system.simulatorKeys[name]}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${name} ${method} ${path}: ${response.status}`);
  return (await response.json()) as T;
}

export const SIMULATORS: SimulatorName[] = ['socialCare', 'education', 'finance'];

export async function resetUpstreamCounters(system: RunningSystem): Promise<void> {
  await Promise.all(
    SIMULATORS.map((name) => simulatorCall(system, name, 'POST', '/_sim/stats/reset')),
  );
}

/** What each simulated council system served since the last reset (requests, by route). */
export async function upstreamStats(
  system: RunningSystem,
): Promise<Record<SimulatorName, SimulatorStats>> {
  const stats = await Promise.all(
    SIMULATORS.map((name) => simulatorCall<SimulatorStats>(system, name, 'GET', '/_sim/stats')),
  );
  return { socialCare: stats[0]!, education: stats[1]!, finance: stats[2]! };
}

/** Requests each simulated council system served since the last reset. */
export async function upstreamCounts(
  system: RunningSystem,
): Promise<Record<SimulatorName, number>> {
  const stats = await upstreamStats(system);
  return {
    socialCare: stats.socialCare.requests,
    education: stats.education.requests,
    finance: stats.finance.requests,
  };
}

/** Requests per system and in all, for the benchmarks' tables. */
export type UpstreamTotals = Record<SimulatorName, number> & { total: number };

export const totalsOf = (stats: Record<SimulatorName, SimulatorStats>): UpstreamTotals => {
  const counts = {
    socialCare: stats.socialCare.requests,
    education: stats.education.requests,
    finance: stats.finance.requests,
  };
  return { ...counts, total: counts.socialCare + counts.education + counts.finance };
};

export const sameTotals = (a: UpstreamTotals, b: UpstreamTotals): boolean =>
  SIMULATORS.every((name) => a[name] === b[name]);

export async function setFaults(
  system: RunningSystem,
  name: SimulatorName,
  faults: Record<string, number>,
): Promise<void> {
  await simulatorCall(system, name, 'PUT', '/_sim/faults', faults);
}
