/**
 * The education simulator's write routes and change feed, over real HTTP: each write shows in
 * the read routes and in the feed, a refused write changes neither, and the feed pages by
 * change_id. Each describe starts a server of its own: these tests change the system.
 */
import type { AxiosInstance } from 'axios';
import type {
  EdChange,
  EdChangePage,
  EdExclusion,
  EdSessionMark,
  EdStudentRecord,
} from '../../upstream/education/contract';
import { startServer } from '../common/server';
import type { RunningServer } from '../common/server';
import { httpClient } from '../common/testing';
import { tinyWorld } from '../../tests/support/tiny-world';
import { createEducationSimulator } from './app';

const KEY = 'ed-test-key';
const AVA = 'A340200118001'; // at 100001, summary { '/': 48, '\': 46, N: 4, C: 2 } to 14 Nov
const JONAS = 'P340200118002'; // at 100003 since 3 Feb 2025, one seeded suspension
const NOAH = 'D340200119004'; // at 100001

async function ownServer(): Promise<{ server: RunningServer; ed: AxiosInstance }> {
  const server = await startServer(createEducationSimulator({ world: tinyWorld(), apiKey: KEY }));
  return { server, ed: httpClient(server.url, KEY) };
}

function useServer(): () => AxiosInstance {
  let running: { server: RunningServer; ed: AxiosInstance } | undefined;
  beforeAll(async () => {
    running = await ownServer();
  });
  afterAll(async () => {
    await running?.server.close();
  });
  return () => running!.ed;
}

const record = async (ed: AxiosInstance, upn: string): Promise<EdStudentRecord> =>
  (
    await ed.post('/v1/students/batch', {
      upns: [upn],
      include: ['enrolments', 'attendance', 'exclusions'],
    })
  ).data.data[0];
const feed = async (ed: AxiosInstance, query = ''): Promise<EdChangePage> =>
  (await ed.get(`/v1/changes${query}`)).data;
const marksOn = async (ed: AxiosInstance, upn: string, date: string): Promise<EdSessionMark[]> =>
  (await ed.get(`/v1/students/${upn}/attendance/sessions?from=${date}&to=${date}`)).data.data;
const rollOf = async (ed: AxiosInstance, urn: string): Promise<string[]> =>
  (await ed.get(`/v1/schools/${urn}/students`)).data.data.map((s: EdStudentRecord) => s.upn);

describe('education change feed: session marks', () => {
  const api = useServer();
  const mark = { date: '2025-11-17', session: 'AM', code: 'O', urn: '100001' };

  it('starts empty: the seeded history is not in the feed', async () => {
    expect(await feed(api())).toEqual({ data: [], meta: { latest: 0, more: false } });
  });

  it('records a new mark: in the marks, counted in the summary, in the feed', async () => {
    const before = await record(api(), AVA);
    const res = await api().post(`/v1/students/${AVA}/session-marks`, mark);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ data: { upn: AVA, ...mark }, meta: { changes: [1] } });

    expect(await marksOn(api(), AVA, '2025-11-17')).toEqual([mark]);
    const after = await record(api(), AVA);
    expect(after.attendance).toEqual({
      ...before.attendance,
      to: '2025-11-17',
      codes: { ...before.attendance!.codes, O: 1 },
    });
    expect(Date.parse(after.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
    // Later than every seeded stamp (Noah's, 12 November, is the latest).
    const recent = await api().get('/v1/students?updated_after=2025-11-12T07:00:00Z');
    expect(recent.data.data.map((s: EdStudentRecord) => s.upn)).toEqual([AVA]);

    const page = await feed(api());
    expect(page.meta).toEqual({ latest: 1, more: false });
    expect(page.data).toEqual([
      {
        change_id: 1,
        changed_at: expect.any(String),
        kind: 'session_mark',
        record: { upn: AVA, ...mark },
      },
    ]);
    expect(new Date(page.data[0]!.changed_at).toISOString()).toBe(page.data[0]!.changed_at);
  });

  it('corrects a seeded mark: the summary moves the session from the old code to the new', async () => {
    const before = await record(api(), AVA);
    const [, seededPm] = await marksOn(api(), AVA, '2025-11-14');
    const code = seededPm!.code === 'U' ? 'G' : 'U';
    const res = await api().post(`/v1/students/${AVA}/session-marks`, {
      date: '2025-11-14',
      session: 'PM',
      code,
      urn: '100001',
    });
    expect(res.data.meta.changes).toEqual([2]);
    const [am, pm] = await marksOn(api(), AVA, '2025-11-14');
    expect(am!.code).not.toBe(undefined);
    expect(pm).toEqual({ date: '2025-11-14', session: 'PM', code, urn: '100001' });
    const codes = { ...before.attendance!.codes };
    codes[seededPm!.code] = codes[seededPm!.code]! - 1;
    if (codes[seededPm!.code] === 0) delete codes[seededPm!.code];
    codes[code] = (codes[code] ?? 0) + 1;
    expect((await record(api(), AVA)).attendance?.codes).toEqual(codes);
    // The whole year's marks still add up to the summary.
    const all: EdSessionMark[] = (await api().get(`/v1/students/${AVA}/attendance/sessions`)).data
      .data;
    const counted = all.reduce<Record<string, number>>(
      (acc, m) => ({ ...acc, [m.code]: (acc[m.code] ?? 0) + 1 }),
      {},
    );
    expect(counted).toEqual(codes);
  });

  it('the same mark again changes nothing and logs nothing', async () => {
    const before = await record(api(), AVA);
    const res = await api().post(`/v1/students/${AVA}/session-marks`, mark);
    expect(res.data.meta.changes).toEqual([]);
    expect((await feed(api())).meta.latest).toBe(2);
    expect(await record(api(), AVA)).toEqual(before);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown code', { ...mark, code: 'ZZ' }, 'code'],
    ['a bad session', { ...mark, session: 'EVE' }, 'session'],
    ['an impossible date', { ...mark, date: '2025-02-30' }, 'date'],
    ['a date in another academic year', { ...mark, date: '2024-11-11' }, 'date'],
    ['a school the pupil is not on the roll of', { ...mark, urn: '100002' }, 'urn'],
    ['a bad URN', { ...mark, urn: '1' }, 'urn'],
    ['a missing field', { date: mark.date, session: 'AM', code: 'O' }, 'urn'],
    ['an unknown field', { ...mark, minutes_late: 5 }, 'minutes_late'],
  ])('refuses %s with 400 naming the field, and changes nothing', async (_what, body, field) => {
    const before = await record(api(), AVA);
    const res = await api().post(`/v1/students/${AVA}/session-marks`, body);
    expect(res.status).toBe(400);
    expect(res.data.error.code).toBe('BAD_REQUEST');
    expect(res.data.error.message).toContain(field);
    expect((await feed(api())).meta.latest).toBe(2);
    expect(await record(api(), AVA)).toEqual(before);
  });

  it('answers 404 for an unknown pupil', async () => {
    const res = await api().post('/v1/students/NOPE/session-marks', mark);
    expect(res.status).toBe(404);
    expect(res.data.error.code).toBe('NOT_FOUND');
    expect((await feed(api())).meta.latest).toBe(2);
  });
});

describe('education change feed: exclusions', () => {
  const api = useServer();
  const suspension = {
    category: 'FIXED' as const,
    status: 'MADE',
    urn: '100003',
    start_date: '2025-11-17',
    sessions: 4,
    reasons: ['PA', 'VP'],
  };
  const permanent = {
    ...suspension,
    category: 'PERMANENT' as const,
    status: 'PROPOSED',
    sessions: null,
  };
  const seeded = tinyWorld().education.students.find((s) => s.upn === JONAS)!.exclusions!;
  const shown = ({ category, urn, start_date, sessions, reasons }: EdExclusion) => ({
    category,
    urn,
    start_date,
    sessions,
    reasons,
  });

  it('records a suspension: in the pupil’s exclusions and the feed, once', async () => {
    const res = await api().post(`/v1/students/${JONAS}/exclusions`, suspension);
    expect(res.status).toBe(200);
    const made = { upn: JONAS, exclusion_id: 'EX000001', ...suspension };
    expect(res.data).toEqual({ data: made, meta: { changes: [1] } });
    expect((await record(api(), JONAS)).exclusions).toEqual([...seeded, shown(suspension)]);
    expect((await feed(api())).data.map((c: EdChange) => [c.kind, c.record])).toEqual([
      ['exclusion', made],
    ]);
    const again = await api().post(`/v1/students/${JONAS}/exclusions`, suspension);
    expect(again.data).toEqual({ data: made, meta: { changes: [] } });
    expect((await record(api(), JONAS)).exclusions).toHaveLength(seeded.length + 1);
  });

  it('a permanent exclusion is proposed (not shown), then made (shown), logged each time', async () => {
    const proposed = await api().post(`/v1/students/${JONAS}/exclusions`, permanent);
    expect(proposed.data).toEqual({
      data: { upn: JONAS, exclusion_id: 'EX000002', ...permanent },
      meta: { changes: [2] },
    });
    expect((await record(api(), JONAS)).exclusions).toHaveLength(seeded.length + 1);

    const made = await api().post(`/v1/students/${JONAS}/exclusions/EX000002`, { status: 'MADE' });
    expect(made.data).toEqual({
      data: { upn: JONAS, exclusion_id: 'EX000002', ...permanent, status: 'MADE' },
      meta: { changes: [3] },
    });
    expect((await record(api(), JONAS)).exclusions).toEqual([
      ...seeded,
      shown(suspension),
      shown(permanent),
    ]);
    const page = await feed(api(), '?updated_after=1');
    expect(
      page.data.map((c) => [c.change_id, c.kind, (c.record as { status: string }).status]),
    ).toEqual([
      [2, 'exclusion', 'PROPOSED'],
      [3, 'exclusion', 'MADE'],
    ]);
    const same = await api().post(`/v1/students/${JONAS}/exclusions/EX000002`, { status: 'MADE' });
    expect(same.data.meta.changes).toEqual([]);
  });

  it('a proposal withdrawn is never shown; a decided one cannot change', async () => {
    await api().post(`/v1/students/${JONAS}/exclusions`, {
      ...permanent,
      start_date: '2025-11-18',
    });
    const withdrawn = await api().post(`/v1/students/${JONAS}/exclusions/EX000003`, {
      status: 'WITHDRAWN',
    });
    expect(withdrawn.data.data.status).toBe('WITHDRAWN');
    expect((await record(api(), JONAS)).exclusions).toHaveLength(seeded.length + 2);
    const latest = (await feed(api())).meta.latest;
    const reverse = await api().post(`/v1/students/${JONAS}/exclusions/EX000003`, {
      status: 'MADE',
    });
    expect(reverse.status).toBe(400);
    expect(reverse.data.error.message).toContain('status');
    expect((await feed(api())).meta.latest).toBe(latest);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a suspension not MADE', { ...suspension, status: 'PROPOSED' }, 'status'],
    ['a suspension without sessions', { ...suspension, sessions: null }, 'sessions'],
    ['a permanent exclusion with sessions', { ...permanent, sessions: 4 }, 'sessions'],
    ['a permanent exclusion recorded MADE', { ...permanent, status: 'MADE' }, 'status'],
    ['four reasons', { ...suspension, reasons: ['PA', 'VP', 'VA', 'OW'] }, 'reasons'],
    ['an unknown reason', { ...suspension, reasons: ['XX'] }, 'reasons'],
    ['no reason', { ...suspension, reasons: [] }, 'reasons'],
    ['too many sessions', { ...suspension, sessions: 91 }, 'sessions'],
    ['a school the pupil was not on the roll of', { ...suspension, urn: '100001' }, 'urn'],
  ])('refuses %s with 400 naming the field, and changes nothing', async (_what, body, field) => {
    const before = await record(api(), JONAS);
    const latest = (await feed(api())).meta.latest;
    const res = await api().post(`/v1/students/${JONAS}/exclusions`, body);
    expect(res.status).toBe(400);
    expect(res.data.error.message).toContain(field);
    expect((await feed(api())).meta.latest).toBe(latest);
    expect(await record(api(), JONAS)).toEqual(before);
  });

  it('answers 404 for an unknown pupil or exclusion, 400 for a bad decision', async () => {
    expect((await api().post('/v1/students/NOPE/exclusions', suspension)).status).toBe(404);
    const unknown = await api().post(`/v1/students/${JONAS}/exclusions/EX999999`, {
      status: 'MADE',
    });
    expect(unknown.status).toBe(404);
    const other = await api().post(`/v1/students/${AVA}/exclusions/EX000002`, { status: 'MADE' });
    expect(other.status).toBe(404);
    const bad = await api().post(`/v1/students/${JONAS}/exclusions/EX000002`, { status: 'MAYBE' });
    expect(bad.status).toBe(400);
  });
});

describe('education change feed: enrolments', () => {
  const api = useServer();
  const lookedAfterAt = async () =>
    (await api().get('/v1/schools?looked_after_la=340')).data.data.map(
      (s: { urn: string }) => s.urn,
    );

  it('joining a roll ends the current one the day before; the rolls follow', async () => {
    expect(await lookedAfterAt()).toEqual(['100001', '100003']);
    const res = await api().post(`/v1/students/${AVA}/enrolments`, {
      urn: '100002',
      year_group: '5',
      entry_date: '2025-11-17',
    });
    expect(res.status).toBe(200);
    const ended = {
      upn: AVA,
      urn: '100001',
      year_group: '5',
      entry_date: '2020-09-02',
      leaving_date: '2025-11-16',
      enrolment_status: 'C',
    };
    const joined = {
      upn: AVA,
      urn: '100002',
      year_group: '5',
      entry_date: '2025-11-17',
      leaving_date: null,
      enrolment_status: 'C',
    };
    expect(res.data).toEqual({ data: joined, meta: { changes: [1, 2] } });
    expect((await feed(api())).data.map((c) => c.record)).toEqual([ended, joined]);
    const strip = ({ upn, ...e }: typeof ended | typeof joined) => (void upn, e);
    expect((await record(api(), AVA)).enrolments).toEqual([strip(ended), strip(joined)]);
    expect(await rollOf(api(), '100001')).toEqual([NOAH]);
    expect(await rollOf(api(), '100002')).toEqual([AVA, 'K340400116006', 'Z359400117005']);
    expect(await lookedAfterAt()).toEqual(['100001', '100002', '100003']);

    const again = await api().post(`/v1/students/${AVA}/enrolments`, {
      urn: '100002',
      year_group: '5',
      entry_date: '2025-11-17',
    });
    expect(again.data).toEqual({ data: joined, meta: { changes: [] } });
  });

  it('leaving a roll sets the leaving date; the school no longer lists the pupil', async () => {
    const res = await api().post(`/v1/students/${NOAH}/enrolments/leave`, {
      urn: '100001',
      leaving_date: '2025-11-20',
    });
    expect(res.data).toEqual({
      data: {
        upn: NOAH,
        urn: '100001',
        year_group: '1',
        entry_date: '2024-09-04',
        leaving_date: '2025-11-20',
        enrolment_status: 'C',
      },
      meta: { changes: [3] },
    });
    expect(await rollOf(api(), '100001')).toEqual([]);
    expect(await lookedAfterAt()).toEqual(['100002', '100003']);
    expect((await record(api(), NOAH)).enrolments?.[0]?.leaving_date).toBe('2025-11-20');
    const again = await api().post(`/v1/students/${NOAH}/enrolments/leave`, {
      urn: '100001',
      leaving_date: '2025-11-20',
    });
    expect(again.data.meta.changes).toEqual([]);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    [
      'joining a school already joined',
      'enrolments',
      { urn: '100002', year_group: '5', entry_date: '2025-11-18' },
      'urn',
    ],
    [
      'joining an unknown school',
      'enrolments',
      { urn: '999999', year_group: '5', entry_date: '2025-11-18' },
      'urn',
    ],
    [
      'a bad year group',
      'enrolments',
      { urn: '100003', year_group: '14', entry_date: '2025-11-18' },
      'year_group',
    ],
    [
      'an entry before the current one',
      'enrolments',
      { urn: '100003', year_group: '5', entry_date: '2025-11-01' },
      'entry_date',
    ],
    [
      'an entry in the future',
      'enrolments',
      { urn: '100003', year_group: '5', entry_date: '2999-01-04' },
      'entry_date',
    ],
    [
      'leaving a school not joined',
      'enrolments/leave',
      { urn: '100003', leaving_date: '2025-11-20' },
      'urn',
    ],
    [
      'leaving before joining',
      'enrolments/leave',
      { urn: '100002', leaving_date: '2025-11-01' },
      'leaving_date',
    ],
    ['a missing leaving date', 'enrolments/leave', { urn: '100002' }, 'leaving_date'],
  ])(
    'refuses %s with 400 naming the field, and changes nothing',
    async (_what, route, body, field) => {
      const before = await record(api(), AVA);
      const res = await api().post(`/v1/students/${AVA}/${route}`, body);
      expect(res.status).toBe(400);
      expect(res.data.error.message).toContain(field);
      expect((await feed(api())).meta.latest).toBe(3);
      expect(await record(api(), AVA)).toEqual(before);
    },
  );

  it('answers 404 for an unknown pupil', async () => {
    const join = { urn: '100002', year_group: '5', entry_date: '2025-11-17' };
    expect((await api().post('/v1/students/NOPE/enrolments', join)).status).toBe(404);
    const leave = { urn: '100002', leaving_date: '2025-11-17' };
    expect((await api().post('/v1/students/NOPE/enrolments/leave', leave)).status).toBe(404);
  });
});

describe('education change feed: paging', () => {
  const api = useServer();

  beforeAll(async () => {
    // Five changes: marks on five school days.
    for (const date of ['2025-11-17', '2025-11-18', '2025-11-19', '2025-11-20', '2025-11-21']) {
      await api().post(`/v1/students/${AVA}/session-marks`, {
        date,
        session: 'AM',
        code: '/',
        urn: '100001',
      });
    }
  });

  it('pages by change_id with limit, more and latest', async () => {
    const first = await feed(api(), '?limit=2');
    expect(first.data.map((c) => c.change_id)).toEqual([1, 2]);
    expect(first.meta).toEqual({ latest: 5, more: true });
    const second = await feed(api(), '?updated_after=2&limit=2');
    expect(second.data.map((c) => c.change_id)).toEqual([3, 4]);
    expect(second.meta).toEqual({ latest: 5, more: true });
    const last = await feed(api(), '?updated_after=4&limit=2');
    expect(last.data.map((c) => c.change_id)).toEqual([5]);
    expect(last.meta).toEqual({ latest: 5, more: false });
    expect(await feed(api(), '?updated_after=5')).toEqual({
      data: [],
      meta: { latest: 5, more: false },
    });
    expect((await feed(api(), '?updated_after=99')).data).toEqual([]);
    const all = await feed(api(), '?updated_after=0');
    expect(all.data.map((c) => (c.record as EdSessionMark).date)).toEqual([
      '2025-11-17',
      '2025-11-18',
      '2025-11-19',
      '2025-11-20',
      '2025-11-21',
    ]);
    const times = all.data.map((c) => Date.parse(c.changed_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it.each([
    'limit=0',
    'limit=501',
    'updated_after=-1',
    'updated_after=abc',
    'updated_after=1.5',
    'since=1',
  ])('GET /v1/changes?%s answers 400', async (query) => {
    const res = await api().get(`/v1/changes?${query}`);
    expect(res.status).toBe(400);
    expect(res.data.error.code).toBe('BAD_REQUEST');
  });

  it('counts the write and feed routes in /_sim/stats', async () => {
    await api().post('/_sim/stats/reset');
    await api().post(`/v1/students/${AVA}/session-marks`, {
      date: '2025-11-24',
      session: 'PM',
      code: '\\',
      urn: '100001',
    });
    await api().post(`/v1/students/${JONAS}/exclusions/EX1`, { status: 'MADE' });
    await api().get('/v1/changes');
    expect((await api().get('/_sim/stats')).data).toMatchObject({
      requests: 3,
      byRoute: {
        'POST /v1/students/:upn/session-marks': 1,
        'POST /v1/students/:upn/exclusions/:id': 1,
        'GET /v1/changes': 1,
      },
    });
  });
});
