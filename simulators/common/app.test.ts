import { createSimulatorApp } from './app';
import type { SimulatorAppOptions, SimulatorStatsResponse } from './app';
import { notFound } from './errors';
import { pageQuerySchema, pageRequest, paginate } from './paging';
import { startServer } from './server';
import type { RunningServer } from './server';
import { httpClient, rawHttpClient } from './testing';
import { parseInput } from './validation';

const KEY = 'test-key-common';
const ITEMS = Array.from({ length: 250 }, (_, i) => ({ id: String(i + 1) }));

function demoApp(options: Partial<SimulatorAppOptions> = {}) {
  return createSimulatorApp(
    { system: 'finance', apiKey: KEY, bodyLimit: '2kb', ...options },
    (api) => {
      api.get('/api/items', (req, res) => {
        const q = parseInput(pageQuerySchema, req.query, 'query');
        res.json(paginate(ITEMS, pageRequest(q), req.originalUrl));
      });
      api.get('/api/items/:id', (req, res) => {
        const item = ITEMS.find((i) => i.id === req.params.id);
        if (!item) throw notFound(`No item ${req.params.id}`);
        res.json(item);
      });
      api.post('/api/echo', (req, res) => {
        res.json({ received: req.body as unknown });
      });
      api.get('/api/boom', () => {
        throw new Error('kaput');
      });
    },
  );
}

describe('createSimulatorApp', () => {
  let server: RunningServer;
  beforeEach(async () => {
    server = await startServer(demoApp());
  });
  afterEach(async () => {
    await server.close();
  });

  describe('auth', () => {
    it('leaves GET /health open', async () => {
      const res = await httpClient(server.url).get('/health');
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ status: 'ok', system: 'finance' });
    });

    it.each([
      ['no key', undefined],
      ['a wrong key', 'not-the-key'],
      ['a key with a suffix', `${KEY}x`],
    ])('answers 401 with %s', async (_label, key) => {
      const res = await httpClient(server.url, key).get('/api/items');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.data).toEqual({
        error: { code: 'UNAUTHORIZED', message: 'Missing or invalid bearer credential' },
      });
    });

    it('rejects another scheme and guards /_sim and unknown routes too', async () => {
      const basic = await httpClient(server.url).get('/api/items', {
        headers: { Authorization: `Basic ${KEY}` },
      });
      expect(basic.status).toBe(401);
      expect((await httpClient(server.url).get('/_sim/stats')).status).toBe(401);
      expect((await httpClient(server.url).get('/nowhere')).status).toBe(401);
    });

    it('accepts the right key (scheme case-insensitive)', async () => {
      const res = await httpClient(server.url).get('/api/items/3', {
        headers: { Authorization: `bearer ${KEY}` },
      });
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ id: '3' });
    });
  });

  describe('errors', () => {
    it('answers 404 NOT_FOUND for an unknown route and an unknown record', async () => {
      const api = httpClient(server.url, KEY);
      const route = await api.get('/nowhere');
      expect(route.status).toBe(404);
      expect(route.data.error.code).toBe('NOT_FOUND');
      const record = await api.get('/api/items/999');
      expect(record.status).toBe(404);
      expect(record.data).toEqual({ error: { code: 'NOT_FOUND', message: 'No item 999' } });
    });

    it('answers 400 for a body that is not JSON and 413 beyond the body limit', async () => {
      const api = httpClient(server.url, KEY);
      const bad = await api.post('/api/echo', '{"a":', {
        headers: { 'Content-Type': 'application/json' },
      });
      expect(bad.status).toBe(400);
      expect(bad.data.error.code).toBe('BAD_REQUEST');
      const big = await api.post('/api/echo', { text: 'x'.repeat(4000) });
      expect(big.status).toBe(413);
      expect(big.data.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers 400 for bad paging and 500 (masked) for a handler crash', async () => {
      const api = httpClient(server.url, KEY);
      for (const query of ['per_page=501', 'per_page=0', 'page=0', 'page=abc', 'colour=red']) {
        const res = await api.get(`/api/items?${query}`);
        expect(res.status).toBe(400);
        expect(res.data.error.code).toBe('BAD_REQUEST');
      }
      const perPage = await api.get('/api/items?per_page=501');
      expect(perPage.data.error.message).toContain('per_page must be at most 500');
      const boom = await api.get('/api/boom');
      expect(boom.status).toBe(500);
      expect(boom.data).toEqual({
        error: { code: 'INTERNAL', message: 'Internal simulator error' },
      });
    });
  });

  describe('paging over HTTP', () => {
    it('serves pages with next, more and total', async () => {
      const api = httpClient(server.url, KEY);
      const first = await api.get('/api/items?per_page=100');
      expect(first.data.data).toHaveLength(100);
      expect(first.data.meta.pagination).toEqual({
        page: 1,
        per_page: 100,
        total: 250,
        next: '/api/items?per_page=100&page=2',
        more: true,
      });
      const last = await api.get('/api/items?per_page=100&page=3');
      expect(last.data.data.map((i: { id: string }) => i.id)).toEqual(
        ITEMS.slice(200).map((i) => i.id),
      );
      expect(last.data.meta.pagination).toMatchObject({ next: null, more: false, total: 250 });
      const defaults = await api.get('/api/items');
      expect(defaults.data.meta.pagination).toMatchObject({ page: 1, per_page: 100 });
    });
  });

  describe('stats', () => {
    it('counts API requests per route pattern and control requests apart, and resets', async () => {
      const api = httpClient(server.url, KEY);
      await api.get('/api/items/1');
      await api.get('/api/items/2');
      await api.get('/api/items/999');
      await api.post('/api/echo', { a: 1 });
      await api.get('/health');
      const stats = await api.get<SimulatorStatsResponse>('/_sim/stats');
      expect(stats.data).toEqual({
        system: 'finance',
        requests: 4,
        byRoute: { 'GET /api/items/:id': 3, 'POST /api/echo': 1 },
        control: { requests: 1, byRoute: { 'GET /_sim/stats': 1 } },
      });
      const reset = await api.post('/_sim/stats/reset');
      expect(reset.data).toEqual({
        system: 'finance',
        requests: 0,
        byRoute: {},
        control: { requests: 0, byRoute: {} },
      });
      await api.get('/api/items');
      const after = await api.get<SimulatorStatsResponse>('/_sim/stats');
      expect(after.data.requests).toBe(1);
      expect(after.data.byRoute).toEqual({ 'GET /api/items': 1 });
    });
  });

  describe('faults', () => {
    it('starts with none and reports them', async () => {
      const res = await httpClient(server.url, KEY).get('/_sim/faults');
      expect(res.data).toEqual({ latencyMs: 0, errorRate: 0, timeoutRate: 0, malformedRate: 0 });
    });

    it('answers 503 at errorRate 1, leaving /_sim, /health alone and still counting', async () => {
      const api = httpClient(server.url, KEY);
      const put = await api.put('/_sim/faults', { errorRate: 1 });
      expect(put.status).toBe(200);
      expect(put.data).toEqual({ latencyMs: 0, errorRate: 1, timeoutRate: 0, malformedRate: 0 });
      const res = await api.get('/api/items/1');
      expect(res.status).toBe(503);
      expect(res.data).toEqual({
        error: { code: 'SERVICE_UNAVAILABLE', message: 'Simulated outage' },
      });
      expect((await api.get('/health')).status).toBe(200);
      const stats = await api.get<SimulatorStatsResponse>('/_sim/stats');
      expect(stats.status).toBe(200);
      expect(stats.data.byRoute).toEqual({ 'GET /api/items/:id': 1 });
      await api.put('/_sim/faults', { errorRate: 0 });
      expect((await api.get('/api/items/1')).status).toBe(200);
    });

    it('answers 200 with a body that is not JSON at malformedRate 1', async () => {
      await httpClient(server.url, KEY).put('/_sim/faults', { malformedRate: 1 });
      const res = await rawHttpClient(server.url, KEY).get('/api/items/7');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(typeof res.data).toBe('string');
      expect(() => JSON.parse(res.data as string)).toThrow();
      expect(res.data).toBe('{"id"');
    });

    it('delays responses by latencyMs', async () => {
      const api = httpClient(server.url, KEY);
      await api.put('/_sim/faults', { latencyMs: 150 });
      const started = Date.now();
      const res = await api.get('/api/items/1');
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      const control = Date.now();
      await api.get('/_sim/faults');
      expect(Date.now() - control).toBeLessThan(140);
    });

    it('never answers at timeoutRate 1, and close() still finishes', async () => {
      await httpClient(server.url, KEY).put('/_sim/faults', { timeoutRate: 1 });
      const started = Date.now();
      await expect(httpClient(server.url, KEY, 300).get('/api/items/1')).rejects.toMatchObject({
        code: 'ECONNABORTED',
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
      // A request still hanging when the server closes must not hold close() up.
      const hanging = httpClient(server.url, KEY, 10_000).get('/api/items/2');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const closing = Date.now();
      await server.close();
      expect(Date.now() - closing).toBeLessThan(1000);
      await expect(hanging).rejects.toBeDefined();
    });

    it('draws faults from a seeded PRNG: the same faults give the same sequence', async () => {
      const api = httpClient(server.url, KEY);
      const run = async () => {
        await api.put('/_sim/faults', { errorRate: 0.5 });
        const statuses: number[] = [];
        for (let i = 0; i < 16; i += 1) statuses.push((await api.get('/api/items/1')).status);
        return statuses;
      };
      const first = await run();
      expect(new Set(first)).toEqual(new Set([200, 503]));
      expect(await run()).toEqual(first);
    });

    it.each([
      ['a rate above 1', { errorRate: 2 }],
      ['a negative latency', { latencyMs: -5 }],
      ['an unknown field', { jitter: 3 }],
      ['a string', { errorRate: 'high' }],
      ['rates adding up above 1', { errorRate: 0.6, malformedRate: 0.6 }],
    ])('rejects %s with 400 and keeps the faults unchanged', async (_label, body) => {
      const api = httpClient(server.url, KEY);
      await api.put('/_sim/faults', { latencyMs: 5 });
      const res = await api.put('/_sim/faults', body);
      expect(res.status).toBe(400);
      expect(res.data.error.code).toBe('BAD_REQUEST');
      const now = await api.get('/_sim/faults');
      expect(now.data).toEqual({ latencyMs: 5, errorRate: 0, timeoutRate: 0, malformedRate: 0 });
    });
  });
});

describe('createSimulatorApp options', () => {
  it('applies faults given at creation', async () => {
    const server = await startServer(demoApp({ faults: { errorRate: 1 } }));
    try {
      expect((await httpClient(server.url, KEY).get('/api/items')).status).toBe(503);
    } finally {
      await server.close();
    }
  });

  it('refuses invalid faults and an empty key at creation', () => {
    expect(() => demoApp({ faults: { errorRate: 3 } })).toThrow('Invalid faults');
    expect(() => demoApp({ apiKey: '' })).toThrow('non-empty API key');
  });
});
