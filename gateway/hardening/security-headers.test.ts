/**
 * The headers every gateway response carries: a CSP that allows nothing, no referrer, HSTS,
 * no framing, no sniffing, and no-store.
 */
import express from 'express';
import { listen, type RunningServer } from '../../lib/http/http-server';
import { securityHeaders } from './security-headers';

let server: RunningServer;

beforeAll(async () => {
  const app = express();
  app.use(...securityHeaders());
  app.get('/data', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600');
    res.json({ ok: true });
  });
  app.get('/plain', (_req, res) => {
    res.json({ ok: true });
  });
  server = await listen(app, 0);
});
afterAll(() => server.close());

describe('securityHeaders', () => {
  it('sets the headers for a JSON API that serves personal data', async () => {
    const response = await fetch(`${server.url}/plain`);
    const header = (name: string) => response.headers.get(name);
    expect(header('content-security-policy')).toBe(
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    );
    expect(header('referrer-policy')).toBe('no-referrer');
    expect(header('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(header('x-frame-options')).toBe('DENY');
    expect(header('x-content-type-options')).toBe('nosniff');
    expect(header('cross-origin-resource-policy')).toBe('same-origin');
    expect(header('cache-control')).toBe('no-store');
    expect(header('x-powered-by')).toBeNull();
  });

  it('sets no-store before the route, which may still choose its own caching', async () => {
    // The register's ETag export sets `private, no-cache`; no-store is the default, not a lock.
    const response = await fetch(`${server.url}/data`);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('sets them on a 404 too', async () => {
    const response = await fetch(`${server.url}/nowhere`);
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });
});
