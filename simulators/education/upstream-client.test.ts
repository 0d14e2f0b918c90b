/**
 * EducationClient's change feed and write methods against the education simulator over real
 * HTTP: what each answers, null for an unknown pupil, reads retried and writes never.
 */
import { UpstreamUnavailableError } from '../../lib/errors';
import { createEducationSimulator } from './app';
import { startServer, type RunningServer } from '../common/server';
import { httpClient } from '../common/testing';
import { tinyWorld } from '../../tests/support/tiny-world';
import { EducationClient } from '../../upstream/education/client';

const KEY = 'ed-client-key';
const AVA = 'A340200118001';
const JONAS = 'P340200118002';
const RETRIES = 2;

let server: RunningServer;
let client: EducationClient;

beforeAll(async () => {
  server = await startServer(createEducationSimulator({ world: tinyWorld(), apiKey: KEY }));
  client = EducationClient.fromConfig({
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

describe('EducationClient writes and change feed', () => {
  it('reads an empty feed', async () => {
    expect(await client.changes(0)).toEqual({ data: [], meta: { latest: 0, more: false } });
  });

  it('records each kind of change and reads them back in order, a page at a time', async () => {
    const mark = await client.recordSessionMark(AVA, {
      date: '2025-11-17',
      session: 'AM',
      code: 'N',
      urn: '100001',
    });
    expect(mark).toEqual({
      data: { upn: AVA, date: '2025-11-17', session: 'AM', code: 'N', urn: '100001' },
      meta: { changes: [1] },
    });
    const proposed = await client.recordExclusion(JONAS, {
      category: 'PERMANENT',
      status: 'PROPOSED',
      urn: '100003',
      start_date: '2025-11-17',
      sessions: null,
      reasons: ['PA'],
    });
    expect(proposed?.data).toMatchObject({ exclusion_id: 'EX000001', status: 'PROPOSED' });
    const made = await client.updateExclusion(JONAS, 'EX000001', { status: 'MADE' });
    expect(made?.data.status).toBe('MADE');
    const joined = await client.recordEnrolment(AVA, {
      urn: '100002',
      year_group: '5',
      entry_date: '2025-11-18',
    });
    expect(joined?.meta.changes).toEqual([4, 5]);
    const left = await client.recordLeaving(AVA, { urn: '100002', leaving_date: '2025-11-19' });
    expect(left?.data).toMatchObject({ urn: '100002', leaving_date: '2025-11-19' });

    const first = await client.changes(0, 4);
    expect(first.meta).toEqual({ latest: 6, more: true });
    expect(first.data.map((c) => c.kind)).toEqual([
      'session_mark',
      'exclusion',
      'exclusion',
      'enrolment',
    ]);
    const rest = await client.changes(4);
    expect(rest.data.map((c) => [c.change_id, c.record.upn])).toEqual([
      [5, AVA],
      [6, AVA],
    ]);
    expect(rest.meta.more).toBe(false);
  });

  it('answers null for an unknown pupil or exclusion', async () => {
    const mark = { date: '2025-11-17', session: 'AM', code: 'N', urn: '100001' } as const;
    expect(await client.recordSessionMark('NOPE', mark)).toBeNull();
    expect(await client.updateExclusion(JONAS, 'EX999999', { status: 'MADE' })).toBeNull();
  });

  it('reads session marks for several pupils, leaving out unknown ones', async () => {
    const marks = await client.sessionMarksByUpn([AVA, 'NOPE', AVA], '2025-11-17', '2025-11-17');
    expect([...marks.keys()]).toEqual([AVA]);
    expect(marks.get(AVA)).toEqual([
      { date: '2025-11-17', session: 'AM', code: 'N', urn: '100001' },
    ]);
  });

  it('retries the feed, a read, but never a write', async () => {
    const sim = httpClient(server.url, KEY);
    await sim.put('/_sim/faults', { errorRate: 1 });
    await sim.post('/_sim/stats/reset');
    try {
      await expect(client.changes(0)).rejects.toBeInstanceOf(UpstreamUnavailableError);
      await expect(
        client.recordLeaving(AVA, { urn: '100001', leaving_date: '2025-11-20' }),
      ).rejects.toBeInstanceOf(UpstreamUnavailableError);
    } finally {
      await sim.put('/_sim/faults', { errorRate: 0 });
    }
    expect(await hits('GET /v1/changes')).toBe(RETRIES + 1);
    expect(await hits('POST /v1/students/:upn/enrolments/leave')).toBe(1);
  });
});
