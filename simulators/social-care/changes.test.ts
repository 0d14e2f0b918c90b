/**
 * The social care simulator's write routes and change feed, over real HTTP: each write shows
 * in the read routes and in the feed, a refused write changes neither, and the feed pages by
 * change_id. Each describe starts a server of its own: these tests change the system.
 */
import type { AxiosInstance } from 'axios';
import type {
  ScChangePage,
  ScChildRecord,
  ScEpisode,
  ScPep,
} from '../../upstream/social-care/contract';
import { startServer } from '../common/server';
import type { RunningServer } from '../common/server';
import { httpClient } from '../common/testing';
import { tinyWorld } from '../../tests/support/tiny-world';
import { createSocialCareSimulator } from './app';
import { SC_PEP_DEFAULTS } from '../../upstream/social-care/contract';

const KEY = 'sc-test-key';
const world = tinyWorld();
const episodesOf = (id: string): ScEpisode[] =>
  world.socialCare.episodes
    .filter((e) => e.CHILD === id)
    .sort((a, b) => a.DECOM.localeCompare(b.DECOM));
const AVA = '1000001'; // C2 in U4 foster care since 10 Aug 2023, two PEPs
const JONAS = '1000002'; // V2 in a children's home (K2) in Wigan since 20 May 2024
const LEAH = '1000003'; // left care on 30 June 2024 (E8)

function useServer(): () => AxiosInstance {
  let server: RunningServer | undefined;
  let api: AxiosInstance | undefined;
  beforeAll(async () => {
    server = await startServer(createSocialCareSimulator({ world: tinyWorld(), apiKey: KEY }));
    api = httpClient(server.url, KEY);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => api!;
}

const full = async (sc: AxiosInstance, id: string): Promise<ScChildRecord> =>
  (await sc.get(`/api/v1/children/${id}?include=episodes,placements,peps`)).data;
const feed = async (sc: AxiosInstance, query = ''): Promise<ScChangePage> =>
  (await sc.get(`/api/v1/changes${query}`)).data;
const current = async (sc: AxiosInstance): Promise<string[]> =>
  (await sc.post('/api/v1/children/search', {})).data.data.map((c: ScChildRecord) => c.CHILD);

describe('social care change feed: placement moves', () => {
  const api = useServer();
  const move = {
    DECOM: '2025-11-17',
    PLACE: 'K2',
    PLACE_PROVIDER: 'PR4',
    PL_LA: '359',
    REASON_PLACE_CHANGE: 'CARPL',
  };

  it('starts empty: the seeded history is not in the feed', async () => {
    expect(await feed(api())).toEqual({ data: [], meta: { latest: 0, more: false } });
  });

  it('ends the current episode (X1, with the reason) and starts a new one (P)', async () => {
    const [first, open] = episodesOf(AVA);
    const res = await api().post(`/api/v1/children/${AVA}/placements`, move);
    expect(res.status).toBe(200);
    const ended = { ...open!, DEC: '2025-11-17', REC: 'X1', REASON_PLACE_CHANGE: 'CARPL' };
    const started = {
      ...open!,
      DECOM: '2025-11-17',
      RNE: 'P',
      PLACE: 'K2',
      PLACE_PROVIDER: 'PR4',
      PL_LA: '359',
      PL_POST: null,
      URN: null,
    };
    expect(res.data).toEqual({ data: started, meta: { changes: [1, 2] } });
    const record = await full(api(), AVA);
    expect(record.episodes).toEqual([first, ended, started]);
    expect(record.LAST_UPDATED > world.socialCare.children[1]!.LAST_UPDATED).toBe(true);
    // The searches filter on the new current episode.
    const outOfArea = await api().post('/api/v1/children/search', { out_of_area: true });
    expect(outOfArea.data.data.map((c: ScChildRecord) => c.CHILD)).toEqual([AVA, JONAS]);
    const page = await feed(api());
    expect(page.meta).toEqual({ latest: 2, more: false });
    expect(page.data.map((c) => [c.change_id, c.kind, c.record])).toEqual([
      [1, 'placement', ended],
      [2, 'placement', started],
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown placement type', { ...move, PLACE: 'Q9' }, 'PLACE'],
    ['an unknown provider', { ...move, PLACE_PROVIDER: 'PR9' }, 'PLACE_PROVIDER'],
    ['a bad authority code', { ...move, PL_LA: 'Wigan' }, 'PL_LA'],
    ['an unknown reason', { ...move, REASON_PLACE_CHANGE: 'BORED' }, 'REASON_PLACE_CHANGE'],
    ['a start not after the current one', { ...move, DECOM: '2024-05-20' }, 'DECOM'],
    ['a start in the future', { ...move, DECOM: '2999-01-01' }, 'DECOM'],
    ['a missing field', { DECOM: '2025-11-17', PLACE: 'K2' }, 'PLACE_PROVIDER'],
    ['an unknown field', { ...move, CARER_NAME: 'Someone' }, 'CARER_NAME'],
  ])('refuses %s with 400 naming the field, and changes nothing', async (_what, body, field) => {
    const before = await full(api(), JONAS);
    const res = await api().post(`/api/v1/children/${JONAS}/placements`, body);
    expect(res.status).toBe(400);
    expect(res.data.error.code).toBe('BAD_REQUEST');
    expect(res.data.error.message).toContain(field);
    expect((await feed(api())).meta.latest).toBe(2);
    expect(await full(api(), JONAS)).toEqual(before);
  });

  it('refuses a move for a child not looked after (400) and answers 404 for an unknown one', async () => {
    const ceased = await api().post(`/api/v1/children/${LEAH}/placements`, move);
    expect(ceased.status).toBe(400);
    expect((await api().post('/api/v1/children/9999999/placements', move)).status).toBe(404);
    expect((await feed(api())).meta.latest).toBe(2);
  });
});

describe('social care change feed: leaving and entering care', () => {
  const api = useServer();

  it('leaving care ends the current episode with DEC and REC; the child is no longer current', async () => {
    const [open] = episodesOf(JONAS);
    const res = await api().post(`/api/v1/children/${JONAS}/leave-care`, {
      DEC: '2025-11-17',
      REC: 'E15',
    });
    const ended = { ...open!, DEC: '2025-11-17', REC: 'E15' };
    expect(res.data).toEqual({ data: ended, meta: { changes: [1] } });
    expect((await full(api(), JONAS)).episodes).toEqual([ended]);
    expect(await current(api())).toEqual([AVA]);
    expect((await feed(api())).data).toEqual([
      {
        change_id: 1,
        changed_at: expect.any(String),
        kind: 'period_of_care',
        record: { CHILD: JONAS, started: null, ended },
      },
    ]);
  });

  it('entering care starts a new period (S) for a child whose care ended', async () => {
    const body = {
      DECOM: '2025-11-18',
      LS: 'V2',
      CIN: 'N1',
      PLACE: 'U4',
      PLACE_PROVIDER: 'PR1',
      PL_LA: '340',
    };
    const res = await api().post(`/api/v1/children/${LEAH}/enter-care`, body);
    const started = {
      CHILD: LEAH,
      ...body,
      RNE: 'S',
      DEC: null,
      REC: null,
      REASON_PLACE_CHANGE: null,
      HOME_POST: episodesOf(LEAH)[0]!.HOME_POST,
      PL_POST: null,
      URN: null,
    };
    expect(res.data).toEqual({ data: started, meta: { changes: [2] } });
    expect((await full(api(), LEAH)).episodes).toEqual([...episodesOf(LEAH), started]);
    expect(await current(api())).toEqual([AVA, LEAH]);
    const page = await feed(api(), '?updated_after=1');
    expect(page.data.map((c) => c.record)).toEqual([{ CHILD: LEAH, started, ended: null }]);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ['X1 as a reason care ceased', AVA, { DEC: '2025-11-17', REC: 'X1' }, 'REC'],
    ['an unknown reason', AVA, { DEC: '2025-11-17', REC: 'E99' }, 'REC'],
    ['a DEC before the episode began', AVA, { DEC: '2020-01-01', REC: 'E15' }, 'DEC'],
    ['a DEC in the future', AVA, { DEC: '2999-01-01', REC: 'E15' }, 'DEC'],
    ['a child not looked after', JONAS, { DEC: '2025-11-19', REC: 'E15' }, 'not looked after'],
  ])('leave-care refuses %s with 400, and changes nothing', async (_what, id, body, text) => {
    const before = await full(api(), id);
    const res = await api().post(`/api/v1/children/${id}/leave-care`, body);
    expect(res.status).toBe(400);
    expect(res.data.error.message).toContain(text);
    expect((await feed(api())).meta.latest).toBe(2);
    expect(await full(api(), id)).toEqual(before);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ['a child looked after now', AVA, {}, 'looked after already'],
    ['a start before the last episode ended', JONAS, { DECOM: '2025-11-10' }, 'DECOM'],
    ['an unknown legal status', JONAS, { LS: 'Z9' }, 'LS'],
    ['an unknown category of need', JONAS, { CIN: 'N9' }, 'CIN'],
  ])('enter-care refuses %s with 400, and changes nothing', async (_what, id, change, text) => {
    const body = {
      DECOM: '2025-11-20',
      LS: 'C2',
      CIN: 'N1',
      PLACE: 'U4',
      PLACE_PROVIDER: 'PR1',
      PL_LA: '340',
      ...change,
    };
    const before = await full(api(), id);
    const res = await api().post(`/api/v1/children/${id}/enter-care`, body);
    expect(res.status).toBe(400);
    expect(res.data.error.message).toContain(text);
    expect((await feed(api())).meta.latest).toBe(2);
    expect(await full(api(), id)).toEqual(before);
  });

  it('answers 404 for an unknown child', async () => {
    const leave = { DEC: '2025-11-17', REC: 'E15' };
    expect((await api().post('/api/v1/children/9999999/leave-care', leave)).status).toBe(404);
    const enter = {
      DECOM: '2025-11-20',
      LS: 'C2',
      CIN: 'N1',
      PLACE: 'U4',
      PLACE_PROVIDER: 'PR1',
      PL_LA: '340',
    };
    expect((await api().post('/api/v1/children/9999999/enter-care', enter)).status).toBe(404);
  });
});

describe('social care change feed: PEPs', () => {
  const api = useServer();
  const pep = { MEETING_DATE: '2025-11-17', STATUS: 'DRAFT', SCHOOL_URN: '100001' };

  it('records a PEP meeting, then its completion, each in the PEPs and the feed', async () => {
    const res = await api().post(`/api/v1/children/${AVA}/peps`, pep);
    const draft: ScPep = {
      PEP_ID: 'PEP-W00001',
      CHILD: AVA,
      MEETING_DATE: '2025-11-17',
      INITIAL: false,
      STATUS: 'DRAFT',
      SCHOOL_URN: '100001',
      CHILD_VIEWS: null,
      ...SC_PEP_DEFAULTS,
      SUPPORT_STRATEGIES: [],
      TARGETS: [],
    };
    expect(res.data).toEqual({ data: draft, meta: { changes: [1] } });
    expect((await full(api(), AVA)).peps?.map((p) => p.PEP_ID)).toEqual([
      'PEP-0001',
      'PEP-0002',
      'PEP-W00001',
    ]);
    const again = await api().post(`/api/v1/children/${AVA}/peps`, pep);
    expect(again.data).toEqual({ data: draft, meta: { changes: [] } });

    const done = await api().post(`/api/v1/children/${AVA}/peps`, { ...pep, STATUS: 'COMPLETE' });
    const complete = { ...draft, STATUS: 'COMPLETE' };
    expect(done.data).toEqual({ data: complete, meta: { changes: [2] } });
    expect((await full(api(), AVA)).peps?.at(-1)).toEqual(complete);
    expect((await feed(api())).data.map((c) => [c.kind, c.record])).toEqual([
      ['pep', draft],
      ['pep', complete],
    ]);
  });

  it('marks the first PEP of a period of care INITIAL', async () => {
    const res = await api().post(`/api/v1/children/${JONAS}/peps`, {
      ...pep,
      SCHOOL_URN: null,
    });
    // Jonas's one PEP (March 2025) is in his period of care begun May 2024: not the first.
    expect(res.data.data.INITIAL).toBe(false);
    await api().post(`/api/v1/children/${JONAS}/leave-care`, { DEC: '2025-11-18', REC: 'E15' });
    await api().post(`/api/v1/children/${JONAS}/enter-care`, {
      DECOM: '2025-11-19',
      LS: 'V2',
      CIN: 'N8',
      PLACE: 'K2',
      PLACE_PROVIDER: 'PR4',
      PL_LA: '359',
    });
    const first = await api().post(`/api/v1/children/${JONAS}/peps`, {
      ...pep,
      MEETING_DATE: '2025-11-20',
    });
    expect(first.data.data.INITIAL).toBe(true);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ['an unknown status', AVA, { ...pep, STATUS: 'DONE' }, 'STATUS'],
    ['a bad school URN', AVA, { ...pep, SCHOOL_URN: 'X' }, 'SCHOOL_URN'],
    [
      'a completed PEP in the future',
      AVA,
      { ...pep, MEETING_DATE: '2999-01-01', STATUS: 'COMPLETE' },
      'MEETING_DATE',
    ],
    ['a child not looked after', LEAH, pep, 'not looked after'],
  ])('refuses %s with 400, and changes nothing', async (_what, id, body, text) => {
    const before = await full(api(), id);
    const latest = (await feed(api())).meta.latest;
    const res = await api().post(`/api/v1/children/${id}/peps`, body);
    expect(res.status).toBe(400);
    expect(res.data.error.message).toContain(text);
    expect((await feed(api())).meta.latest).toBe(latest);
    expect(await full(api(), id)).toEqual(before);
  });

  it('answers 404 for an unknown child', async () => {
    expect((await api().post('/api/v1/children/9999999/peps', pep)).status).toBe(404);
  });
});

describe('social care change feed: paging', () => {
  const api = useServer();

  beforeAll(async () => {
    // Four changes: PEP meetings on four days.
    for (const day of ['17', '18', '19', '20']) {
      await api().post(`/api/v1/children/${AVA}/peps`, {
        MEETING_DATE: `2025-11-${day}`,
        STATUS: 'DRAFT',
        SCHOOL_URN: null,
      });
    }
  });

  it('pages by change_id with limit, more and latest', async () => {
    const first = await feed(api(), '?limit=3');
    expect(first.data.map((c) => c.change_id)).toEqual([1, 2, 3]);
    expect(first.meta).toEqual({ latest: 4, more: true });
    const rest = await feed(api(), '?updated_after=3&limit=3');
    expect(rest.data.map((c) => c.change_id)).toEqual([4]);
    expect(rest.meta).toEqual({ latest: 4, more: false });
    expect(await feed(api(), '?updated_after=4')).toEqual({
      data: [],
      meta: { latest: 4, more: false },
    });
  });

  it.each(['limit=0', 'limit=501', 'updated_after=-1', 'updated_after=x', 'cursor=1'])(
    'GET /api/v1/changes?%s answers 400',
    async (query) => {
      const res = await api().get(`/api/v1/changes?${query}`);
      expect(res.status).toBe(400);
      expect(res.data.error.code).toBe('BAD_REQUEST');
    },
  );

  it('counts the write and feed routes in /_sim/stats', async () => {
    await api().post('/_sim/stats/reset');
    await api().post(`/api/v1/children/${AVA}/peps`, {
      MEETING_DATE: '2025-11-21',
      STATUS: 'DRAFT',
      SCHOOL_URN: null,
    });
    await api().post(`/api/v1/children/${LEAH}/leave-care`, { DEC: '2025-11-21', REC: 'E15' });
    await api().get('/api/v1/changes');
    expect((await api().get('/_sim/stats')).data).toMatchObject({
      requests: 3,
      byRoute: {
        'POST /api/v1/children/:id/peps': 1,
        'POST /api/v1/children/:id/leave-care': 1,
        'GET /api/v1/changes': 1,
      },
    });
  });
});
