/**
 * SocialCareClient's change feed and write methods against the social care simulator over
 * real HTTP: what each answers, null for an unknown child, reads retried and writes never.
 */
import { UpstreamUnavailableError } from '../../lib/errors';
import { createSocialCareSimulator } from './app';
import { startServer, type RunningServer } from '../common/server';
import { httpClient } from '../common/testing';
import { tinyWorld } from '../../tests/support/tiny-world';
import { SocialCareClient } from '../../upstream/social-care/client';

const KEY = 'sc-client-key';
const RETRIES = 2;

let server: RunningServer;
let client: SocialCareClient;

beforeAll(async () => {
  server = await startServer(createSocialCareSimulator({ world: tinyWorld(), apiKey: KEY }));
  client = SocialCareClient.fromConfig({
    baseUrl: server.url,
    apiKey: KEY,
    timeoutMs: 2000,
    deadlineMs: 5000,
    retries: RETRIES,
  });
});
afterAll(async () => {
  client.close();
  await server.close();
});

const hits = async (route: string): Promise<number> =>
  (await httpClient(server.url, KEY).get('/_sim/stats')).data.byRoute[route] ?? 0;

describe('SocialCareClient writes and change feed', () => {
  it('records each kind of change and reads them back in order, a page at a time', async () => {
    expect(await client.changes(0)).toEqual({ data: [], meta: { latest: 0, more: false } });
    const moved = await client.movePlacement('1000001', {
      DECOM: '2025-11-17',
      PLACE: 'U1',
      PLACE_PROVIDER: 'PR1',
      PL_LA: '340',
      REASON_PLACE_CHANGE: 'CARPL',
    });
    expect(moved?.data).toMatchObject({ CHILD: '1000001', RNE: 'P', PLACE: 'U1', DEC: null });
    expect(moved?.meta.changes).toEqual([1, 2]);
    const left = await client.leaveCare('1000002', { DEC: '2025-11-17', REC: 'E15' });
    expect(left?.data).toMatchObject({ DEC: '2025-11-17', REC: 'E15' });
    const entered = await client.enterCare('1000003', {
      DECOM: '2025-11-18',
      LS: 'C2',
      CIN: 'N1',
      PLACE: 'U4',
      PLACE_PROVIDER: 'PR1',
      PL_LA: '340',
    });
    expect(entered?.data).toMatchObject({ CHILD: '1000003', RNE: 'S', DEC: null });
    const pep = await client.recordPep('1000003', {
      MEETING_DATE: '2025-11-19',
      STATUS: 'DRAFT',
      SCHOOL_URN: null,
    });
    expect(pep?.data).toMatchObject({ CHILD: '1000003', INITIAL: true, STATUS: 'DRAFT' });

    const first = await client.changes(0, 3);
    expect(first.meta).toEqual({ latest: 5, more: true });
    expect(first.data.map((c) => [c.kind, c.record.CHILD])).toEqual([
      ['placement', '1000001'],
      ['placement', '1000001'],
      ['period_of_care', '1000002'],
    ]);
    const rest = await client.changes(3, 3);
    expect(rest.data.map((c) => [c.change_id, c.kind])).toEqual([
      [4, 'period_of_care'],
      [5, 'pep'],
    ]);
    expect(rest.meta.more).toBe(false);
  });

  it('answers null for an unknown child', async () => {
    expect(await client.leaveCare('9999999', { DEC: '2025-11-17', REC: 'E15' })).toBeNull();
    expect(
      await client.recordPep('9999999', {
        MEETING_DATE: '2025-11-19',
        STATUS: 'DRAFT',
        SCHOOL_URN: null,
      }),
    ).toBeNull();
  });

  it('retries the feed, a read, but never a write', async () => {
    const sim = httpClient(server.url, KEY);
    await sim.put('/_sim/faults', { errorRate: 1 });
    await sim.post('/_sim/stats/reset');
    try {
      await expect(client.changes(0)).rejects.toBeInstanceOf(UpstreamUnavailableError);
      await expect(
        client.leaveCare('1000001', { DEC: '2025-11-20', REC: 'E15' }),
      ).rejects.toBeInstanceOf(UpstreamUnavailableError);
    } finally {
      await sim.put('/_sim/faults', { errorRate: 0 });
    }
    expect(await hits('GET /api/v1/changes')).toBe(RETRIES + 1);
    expect(await hits('POST /api/v1/children/:id/leave-care')).toBe(1);
  });
});
