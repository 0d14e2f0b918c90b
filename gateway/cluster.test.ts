/**
 * `GATEWAY_WORKERS`: the setting, and the primary's behaviour with real processes (a stand-in
 * worker, `gateway/testing/cluster-worker.ts`, so no subgraphs are needed): the workers share
 * the port, a worker that dies is replaced, SIGTERM lets a request in flight finish before the
 * primary exits, and a worker that cannot start stops the primary instead of looping.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gatewayWorkers } from './cluster';

describe('GATEWAY_WORKERS', () => {
  it('is 1 unless set; a number; `auto` for one per core; anything else refused', () => {
    expect(gatewayWorkers({})).toBe(1);
    expect(gatewayWorkers({ GATEWAY_WORKERS: '3' })).toBe(3);
    expect(gatewayWorkers({ GATEWAY_WORKERS: 'auto' })).toBe(os.availableParallelism());
    expect(() => gatewayWorkers({ GATEWAY_WORKERS: '0' })).toThrow(/GATEWAY_WORKERS/);
    expect(() => gatewayWorkers({ GATEWAY_WORKERS: 'many' })).toThrow(/GATEWAY_WORKERS/);
  });
});

const WORKER = path.join(__dirname, 'testing', 'cluster-worker.ts');

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function start(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The pid of the worker that answers on a new connection, or null when none does. */
function ask(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(Number(body)));
    });
    request.on('error', () => resolve(null));
    // A connection handed to a worker at the moment it is killed is never answered.
    request.setTimeout(2_000, () => request.destroy());
  });
}

/** Ask until `done` says so (the primary forks asynchronously). */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last answer ${String(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the primary (real processes)', () => {
  let primary: ChildProcess | undefined;
  afterEach(() => {
    if (primary && primary.exitCode === null) primary.kill('SIGKILL');
  });

  it('shares the port between its workers, replaces a dead one, and drains on SIGTERM', async () => {
    const port = await freePort();
    primary = start({ GATEWAY_WORKERS: '2', PORT: String(port) });
    const seen = new Set<number>();
    await until(
      async () => {
        const pid = await ask(port);
        if (pid) seen.add(pid);
        return seen.size;
      },
      (size) => size === 2,
    );
    expect(seen.has(primary.pid!)).toBe(false);

    const [victim] = [...seen];
    process.kill(victim!, 'SIGKILL');
    const replacement = await until(
      () => ask(port),
      (pid) => pid !== null && !seen.has(pid),
    );
    expect(replacement).not.toBe(victim);

    const exited = once(primary, 'exit');
    // A request a worker is working on (its headers are here, its body is not) when the
    // primary is told to stop is still answered in full.
    const inFlight = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port, path: '/slow', agent: false }, resolve)
        .on('error', reject),
    );
    primary.kill('SIGTERM');
    let body = '';
    for await (const chunk of inFlight) body += String(chunk);
    expect(Number(body)).toBeGreaterThan(0);
    const [code] = await exited;
    expect(code).toBe(0);
  }, 30_000);

  it('stops, exit code 1, when a worker cannot start, rather than restarting it forever', async () => {
    primary = start({ GATEWAY_WORKERS: '2', PORT: String(await freePort()), FAIL_AT_START: '1' });
    const [code] = await once(primary, 'exit');
    expect(code).toBe(1);
  }, 30_000);
});
