/**
 * The in-flight cap: past MAX_IN_FLIGHT, a 503 with Retry-After at once; a finished or
 * abandoned request gives its place back.
 */
import express from 'express';
import { listen, type RunningServer } from '../../lib/http/http-server';
import { inFlightLimit } from './load-shedding';

let server: RunningServer;
/** Requests held open by /hold until released. */
const held: Array<() => void> = [];
let arrived = 0;

beforeAll(async () => {
  const app = express();
  app.use(inFlightLimit(2));
  app.get('/hold', (_req, res) => {
    arrived += 1;
    held.push(() => res.json({ ok: true }));
  });
  app.get('/quick', (_req, res) => {
    res.json({ ok: true });
  });
  server = await listen(app, 0);
});
afterAll(() => server.close(0));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1)
    await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('timed out');
}

describe('inFlightLimit', () => {
  it('refuses the request past the cap with 503 OVERLOADED and Retry-After, then recovers', async () => {
    const first = fetch(`${server.url}/hold`);
    const second = fetch(`${server.url}/hold`);
    await until(() => arrived === 2);

    const refused = await fetch(`${server.url}/quick`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({
      errors: [
        { message: 'CLA Graph is busy; try again shortly.', extensions: { code: 'OVERLOADED' } },
      ],
    });

    held.shift()?.();
    expect((await first).status).toBe(200);
    expect((await fetch(`${server.url}/quick`)).status).toBe(200);
    held.shift()?.();
    expect((await second).status).toBe(200);
    // Finished requests gave their places back, once each.
    const again = [fetch(`${server.url}/hold`), fetch(`${server.url}/hold`)];
    await until(() => arrived === 4);
    expect((await fetch(`${server.url}/quick`)).status).toBe(503);
    held.splice(0).forEach((release) => release());
    await Promise.all(again);
  });

  it('gives the place of a client that went away back', async () => {
    const controllers = [new AbortController(), new AbortController()];
    const abandoned = controllers.map((controller) =>
      fetch(`${server.url}/hold`, { signal: controller.signal }).catch(() => 'aborted'),
    );
    await until(() => held.length === 2);
    expect((await fetch(`${server.url}/quick`)).status).toBe(503);
    for (const controller of controllers) controller.abort();
    expect(await Promise.all(abandoned)).toEqual(['aborted', 'aborted']);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i += 1) {
      status = (await fetch(`${server.url}/quick`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(status).toBe(200);
    // Answering the abandoned requests later does not free places twice.
    held.splice(0).forEach((release) => release());
    const stillTwo = [fetch(`${server.url}/hold`), fetch(`${server.url}/hold`)];
    await until(() => held.length === 2);
    expect((await fetch(`${server.url}/quick`)).status).toBe(503);
    held.splice(0).forEach((release) => release());
    await Promise.all(stillTwo);
  });
});
