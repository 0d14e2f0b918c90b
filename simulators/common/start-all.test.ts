import { Agent } from 'node:http';
import { tinyWorld } from '../../tests/support/tiny-world';
import { startSimulators } from '../start-all';
import { httpClient } from './testing';

describe('startSimulators', () => {
  it('starts the three systems on free ports, each with its own key and faults, and closes them', async () => {
    const keys = { socialCare: 'k-sc', education: 'k-ed', finance: 'k-fin' };
    const sims = await startSimulators({
      world: tinyWorld(),
      keys,
      faults: { finance: { errorRate: 1 } },
    });
    try {
      expect(new Set(Object.values(sims.urls)).size).toBe(3);
      const child = await httpClient(sims.urls.socialCare, keys.socialCare).get(
        '/api/v1/children/1000001',
      );
      expect(child.data.CHILD).toBe('1000001');
      const school = await httpClient(sims.urls.education, keys.education).get(
        '/v1/schools/100001',
      );
      expect(school.data.data.urn).toBe('100001');
      const wrongKey = await httpClient(sims.urls.education, keys.socialCare).get('/v1/schools');
      expect(wrongKey.status).toBe(401);
      const down = await httpClient(sims.urls.finance, keys.finance).get('/api/finance/v1/ledger');
      expect(down.status).toBe(503);
    } finally {
      await sims.close();
    }
    // A fresh connection (no pooled keep-alive socket) finds nobody listening.
    const fresh = httpClient(sims.urls.socialCare, keys.socialCare, 500);
    await expect(
      fresh.get('/health', { httpAgent: new Agent({ keepAlive: false }) }),
    ).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('fails cleanly, closing what it started, when a port is taken', async () => {
    const keys = { socialCare: 'a', education: 'b', finance: 'c' };
    const first = await startSimulators({ world: tinyWorld(), keys });
    try {
      const taken = first.servers.education.port;
      await expect(
        startSimulators({ world: tinyWorld(), keys, ports: { education: taken } }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });
});
