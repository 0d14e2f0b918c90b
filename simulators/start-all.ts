/**
 * Start the three simulated council systems in one process, over one World: for the system
 * start script and for integration tests.
 */
import type { FaultConfig } from './contracts/common';
import type { World } from './seed/world';
import { startServer } from './common/server';
import type { RunningServer } from './common/server';
import { createEducationSimulator } from './education/app';
import { createFinanceSimulator } from './finance/app';
import { createSocialCareSimulator } from './social-care/app';

export type SimulatorName = 'socialCare' | 'education' | 'finance';

export interface StartSimulatorsOptions {
  world: World;
  /** The bearer key each system expects. */
  keys: Record<SimulatorName, string>;
  /** Ports to listen on (default 0 for each: any free port). */
  ports?: Partial<Record<SimulatorName, number>>;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Faults each system starts with (default none). */
  faults?: Partial<Record<SimulatorName, Partial<FaultConfig>>>;
}

export interface RunningSimulators {
  /** Base URL of each system, e.g. "http://127.0.0.1:4101" (API prefixes not included). */
  urls: Record<SimulatorName, string>;
  servers: Record<SimulatorName, RunningServer>;
  /** Close all three (sockets included). */
  close(): Promise<void>;
}

export async function startSimulators(options: StartSimulatorsOptions): Promise<RunningSimulators> {
  const { world, keys, ports = {}, host = '127.0.0.1', faults = {} } = options;
  const apps = {
    socialCare: createSocialCareSimulator({
      world,
      apiKey: keys.socialCare,
      faults: faults.socialCare,
    }),
    education: createEducationSimulator({
      world,
      apiKey: keys.education,
      faults: faults.education,
    }),
    finance: createFinanceSimulator({ world, apiKey: keys.finance, faults: faults.finance }),
  };
  const names = Object.keys(apps) as SimulatorName[];
  const started = await Promise.allSettled(
    names.map((name) => startServer(apps[name], ports[name] ?? 0, host)),
  );
  const running = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(running.map((server) => server.close()));
    throw failed.reason;
  }
  const servers = Object.fromEntries(names.map((name, i) => [name, running[i]])) as Record<
    SimulatorName,
    RunningServer
  >;
  return {
    urls: {
      socialCare: servers.socialCare.url,
      education: servers.education.url,
      finance: servers.finance.url,
    },
    servers,
    close: async () => {
      await Promise.all(names.map((name) => servers[name].close()));
    },
  };
}
