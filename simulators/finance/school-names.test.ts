/** `POST /api/finance/v1/clients/search` with `include=school_names`. */
import type { AxiosInstance } from 'axios';
import type { FinClient } from '../../upstream/finance/contract';
import { startServer, type RunningServer } from '../common/server';
import { httpClient } from '../common/testing';
import { tinyWorld } from '../../tests/support/tiny-world';
import { createFinanceSimulator } from './app';

const KEY = 'fin-test-key';
const world = tinyWorld();
const schoolName = (urn: string) => world.education.schools.find((s) => s.urn === urn)?.name;

let server: RunningServer;
let api: AxiosInstance;

beforeAll(async () => {
  server = await startServer(createFinanceSimulator({ world: tinyWorld(), apiKey: KEY }));
  api = httpClient(server.url, KEY);
});
afterAll(async () => {
  await server.close();
});

const ledgerOf = async (include: string[]) => {
  const res = await api.post<{ data: FinClient[] }>('/api/finance/v1/clients/search', {
    client_refs: world.finance.ledger.flatMap((l) => (l.client_ref ? [l.client_ref] : [])),
    include,
  });
  expect(res.status).toBe(200);
  return res.data.data.flatMap((client) => client.ledger ?? []);
};

describe('include=school_names', () => {
  it('names each line’s school as the finance system records it; null for no school', async () => {
    const lines = await ledgerOf(['ledger', 'school_names']);
    expect(lines.some((l) => l.urn !== null)).toBe(true);
    for (const l of lines) {
      expect(l.school_name).toBe(l.urn === null ? null : schoolName(l.urn));
    }
  });

  it('leaves the lines as they were without it', async () => {
    const lines = await ledgerOf(['ledger']);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => !('school_name' in l))).toBe(true);
  });
});
