/**
 * Under gateway workers (node:cluster) the metrics port serves every worker's metrics summed:
 * a real primary with two real worker processes, scraped over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('metrics under cluster workers', () => {
  let primary: ChildProcess | undefined;

  afterEach(() => {
    primary?.kill('SIGTERM');
  });

  it("serve the sum of every worker's series from the primary", async () => {
    const metricsPort = await freePort();
    const fixture = path.join(__dirname, 'testing/cluster-metrics-fixture.ts');
    primary = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, METRICS_PORT: String(metricsPort), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      primary!.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      primary!.once('exit', (code) => reject(new Error(`fixture exited (${code})`)));
    });
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^cla_graph_rate_limit_refusals_total 2$/m);
  });
});
