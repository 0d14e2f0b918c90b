import type { AxiosInstance } from 'axios';
import type { EdSchool, EdSessionMark, EdStudentRecord } from '../../upstream/education/contract';
import { openApiCoverage } from '../common/openapi-check';
import { startServer } from '../common/server';
import type { RunningServer } from '../common/server';
import { httpClient } from '../common/testing';
import { tinyWorld } from '../../tests/support/tiny-world';
import { createEducationSimulator } from './app';

const KEY = 'ed-test-key';
const world = tinyWorld();
const school = (urn: string) => world.education.schools.find((s) => s.urn === urn);
const staff = (id: string) => world.education.staff.find((s) => s.staff_id === id);
const dt = (urn: string) => world.education.designatedTeachers.find((d) => d.urn === urn);
const full = (upn: string) => {
  const found = world.education.students.find((s) => s.upn === upn);
  if (!found) throw new Error(`fixture has no student ${upn}`);
  return found;
};
const base = (upn: string) => {
  const { enrolments, attendance, exclusions, sen, attainment, ...rest } = full(upn);
  void [enrolments, attendance, exclusions, sen, attainment];
  return rest;
};
const upns = (records: EdStudentRecord[]) => records.map((r) => r.upn);

let server: RunningServer;
let api: AxiosInstance;

beforeAll(async () => {
  server = await startServer(createEducationSimulator({ world: tinyWorld(), apiKey: KEY }));
  api = httpClient(server.url, KEY);
});
afterAll(async () => {
  await server.close();
});

describe('education simulator: auth', () => {
  it('needs the key on the API but not on /health', async () => {
    expect((await httpClient(server.url).get('/v1/schools')).status).toBe(401);
    expect((await httpClient(server.url, 'sc-test-key').get('/v1/schools')).status).toBe(401);
    expect((await httpClient(server.url).get('/health')).data.system).toBe('education');
  });
});

describe('schools', () => {
  it('GET /v1/schools lists schools by URN', async () => {
    const res = await api.get('/v1/schools');
    expect(res.status).toBe(200);
    expect(res.data.data).toEqual([school('100001'), school('100002'), school('100003')]);
    expect(res.data.meta.pagination).toEqual({
      page: 1,
      per_page: 100,
      total: 3,
      next: null,
      more: false,
    });
  });

  it.each<[string, string[]]>([
    ['la_code=340', ['100001', '100002']],
    ['phase=SECONDARY', ['100002', '100003']],
    ['la_code=340&phase=SECONDARY', ['100002']],
    ['updated_after=2025-09-01T08:00:00Z', ['100002']],
    ['updated_after=2025-09-01', ['100001', '100002']],
    ['la_code=999', []],
  ])('GET /v1/schools?%s', async (query, expected) => {
    const res = await api.get(`/v1/schools?${query}`);
    expect(res.data.data.map((s: EdSchool) => s.urn)).toEqual(expected);
  });

  it('pages schools', async () => {
    const first = await api.get('/v1/schools?per_page=2');
    expect(first.data.meta.pagination).toEqual({
      page: 1,
      per_page: 2,
      total: 3,
      next: '/v1/schools?per_page=2&page=2',
      more: true,
    });
    const second = await api.get(first.data.meta.pagination.next);
    expect(second.data.data.map((s: EdSchool) => s.urn)).toEqual(['100003']);
    expect(second.data.meta.pagination).toMatchObject({ next: null, more: false });
  });

  it.each(['per_page=501', 'phase=INFANT', 'updated_after=yesterday', 'colour=red', 'page=-1'])(
    'GET /v1/schools?%s answers 400',
    async (query) => {
      const res = await api.get(`/v1/schools?${query}`);
      expect(res.status).toBe(400);
      expect(res.data.error.code).toBe('BAD_REQUEST');
    },
  );

  it('GET /v1/schools/:urn wraps the school in data, or 404', async () => {
    expect((await api.get('/v1/schools/100003')).data).toEqual({ data: school('100003') });
    const missing = await api.get('/v1/schools/999999');
    expect(missing.status).toBe(404);
    expect(missing.data.error.code).toBe('NOT_FOUND');
  });

  it('POST /v1/schools/batch answers found ones and lists the missing', async () => {
    const res = await api.post('/v1/schools/batch', { urns: ['100003', '999999', '100001'] });
    expect(res.data).toEqual({
      data: [school('100003'), school('100001')],
      meta: { missing: ['999999'] },
    });
    const tooMany = Array.from({ length: 501 }, (_, i) => String(i));
    expect((await api.post('/v1/schools/batch', { urns: tooMany })).status).toBe(400);
  });
});

describe('students', () => {
  it('GET /v1/schools/:urn/students lists pupils on roll now, base fields only', async () => {
    const res = await api.get('/v1/schools/100002/students');
    expect(res.status).toBe(200);
    expect(res.data.data).toEqual([base('K340400116006'), base('Z359400117005')]);
    expect(res.data.meta.pagination.total).toBe(2);
  });

  it('counts dual registrations and leaves pupils who left', async () => {
    const res = await api.get('/v1/schools/100003/students');
    expect(upns(res.data.data)).toEqual(['K340400116006', 'P340200118002']);
  });

  it('includes parts and filters by looked_after and updated_after', async () => {
    const withParts = await api.get('/v1/schools/100002/students?include=enrolments,sen');
    const [ellis] = withParts.data.data as EdStudentRecord[];
    expect(ellis).toEqual({
      ...base('K340400116006'),
      enrolments: full('K340400116006').enrolments,
      sen: { status: 'N', primary_need: null },
    });
    const lac = await api.get('/v1/schools/100002/students?looked_after=true');
    expect(upns(lac.data.data)).toEqual(['Z359400117005']);
    const notLac = await api.get('/v1/schools/100002/students?looked_after=false');
    expect(upns(notLac.data.data)).toEqual(['K340400116006']);
    const recent = await api.get('/v1/schools/100002/students?updated_after=2025-09-15');
    expect(upns(recent.data.data)).toEqual(['Z359400117005']);
    const paged = await api.get('/v1/schools/100001/students?per_page=1&include=sen');
    expect(paged.data.meta.pagination.next).toBe(
      '/v1/schools/100001/students?per_page=1&include=sen&page=2',
    );
  });

  it('answers 404 for an unknown school and 400 for bad parameters', async () => {
    expect((await api.get('/v1/schools/999999/students')).status).toBe(404);
    expect((await api.get('/v1/schools/100001/students?looked_after=yes')).status).toBe(400);
    expect((await api.get('/v1/schools/100001/students?include=address')).status).toBe(400);
  });

  it('POST /v1/students/batch answers records with the parts asked for', async () => {
    const res = await api.post('/v1/students/batch', {
      upns: ['P340200118002', 'NOPE'],
      include: ['attendance', 'exclusions', 'attainment'],
    });
    const jonas = full('P340200118002');
    expect(res.data).toEqual({
      data: [
        {
          ...base('P340200118002'),
          attendance: jonas.attendance,
          exclusions: jonas.exclusions,
          attainment: { ks2: [], ks4: [] },
        },
      ],
      meta: { missing: ['NOPE'] },
    });
    const plain = await api.post('/v1/students/batch', { upns: ['Z359400117005'] });
    expect(plain.data.data).toEqual([base('Z359400117005')]);
    const nullAttendance = await api.post('/v1/students/batch', {
      upns: ['Z359400117005'],
      include: ['attendance'],
    });
    expect(nullAttendance.data.data[0].attendance).toBeNull();
  });

  it('says where every pupil’s attendance, exclusions and attainment come from, asked or not', async () => {
    const res = await api.post('/v1/students/batch', {
      upns: ['A340200118001', 'P340200118002', 'K340400116006'],
    });
    expect(res.data.data.map((r: EdStudentRecord) => [r.upn, r.coverage])).toEqual([
      ['A340200118001', { source: 'LA_FEED', latest_return_on: null }],
      // Marsh Lane (Wigan): its returns, the latest on 14 November, are the summary's end.
      ['P340200118002', { source: 'SCHOOL_RETURN', latest_return_on: '2025-11-14' }],
      ['K340400116006', { source: 'LA_FEED', latest_return_on: null }],
    ]);
    expect(full('P340200118002').attendance?.to).toBe('2025-11-14');
  });

  it('POST /v1/students/batch answers 400 for bad input', async () => {
    const tooMany = Array.from({ length: 501 }, (_, i) => `U${i}`);
    expect((await api.post('/v1/students/batch', { upns: tooMany })).status).toBe(400);
    expect((await api.post('/v1/students/batch', { upns: ['A'], include: ['iq'] })).status).toBe(
      400,
    );
    expect((await api.post('/v1/students/batch', { include: ['sen'] })).status).toBe(400);
  });

  it.each<[string, string[]]>([
    ['', ['A340200118001', 'D340200119004', 'K340400116006', 'P340200118002', 'Z359400117005']],
    ['looked_after_la=340', ['A340200118001', 'D340200119004', 'P340200118002']],
    ['looked_after_la=359', ['Z359400117005']],
    ['updated_after=2025-11-01T00:00:00Z', ['A340200118001', 'D340200119004']],
  ])('GET /v1/students?%s', async (query, expected) => {
    const res = await api.get(`/v1/students?${query}`);
    expect(upns(res.data.data)).toEqual(expected);
  });

  it('GET /v1/students pages and includes', async () => {
    const res = await api.get('/v1/students?include=attendance&per_page=2&page=2');
    expect(upns(res.data.data)).toEqual(['K340400116006', 'P340200118002']);
    expect(res.data.data[1].attendance).toEqual(full('P340200118002').attendance);
    expect(res.data.meta.pagination).toEqual({
      page: 2,
      per_page: 2,
      total: 5,
      next: '/v1/students?include=attendance&per_page=2&page=3',
      more: true,
    });
    expect((await api.get('/v1/students?per_page=501')).status).toBe(400);
  });
});

describe('GET /v1/students/:upn/attendance/sessions', () => {
  const count = (marks: EdSessionMark[]) =>
    marks.reduce<Record<string, number>>(
      (acc, m) => ({ ...acc, [m.code]: (acc[m.code] ?? 0) + 1 }),
      {},
    );

  it('lays the summary over the school-day sessions of the year so far', async () => {
    const res = await api.get<{ data: EdSessionMark[] }>(
      '/v1/students/A340200118001/attendance/sessions',
    );
    const marks = res.data.data;
    // 50 school days from Mon 1 September to Fri 14 November 2025 (half-term left out).
    expect(marks).toHaveLength(100);
    expect(count(marks)).toEqual(full('A340200118001').attendance?.codes);
    expect(marks[0]).toMatchObject({ date: '2025-09-01', session: 'AM', urn: '100001' });
    expect(marks[1]).toMatchObject({ date: '2025-09-01', session: 'PM', urn: '100001' });
    expect(marks[99]).toMatchObject({ date: '2025-11-14', session: 'PM' });
    expect(marks.some((m) => m.date >= '2025-10-27' && m.date <= '2025-10-31')).toBe(false);
    expect(marks.some((m) => ['2025-09-06', '2025-09-07'].includes(m.date))).toBe(false);
    expect(marks.filter((m) => m.session === 'AM').every((m) => m.code !== '\\')).toBe(true);
    const again = await api.get('/v1/students/A340200118001/attendance/sessions');
    expect(again.data.data).toEqual(marks);
  });

  it('narrows to from..to and carries the school of the day', async () => {
    const res = await api.get<{ data: EdSessionMark[] }>(
      '/v1/students/P340200118002/attendance/sessions?from=2025-11-10&to=2025-11-14',
    );
    expect(res.data.data).toHaveLength(10);
    expect(new Set(res.data.data.map((m) => m.urn))).toEqual(new Set(['100003']));
    expect(res.data.data.every((m) => m.date >= '2025-11-10' && m.date <= '2025-11-14')).toBe(true);
    const whole = await api.get<{ data: EdSessionMark[] }>(
      '/v1/students/P340200118002/attendance/sessions',
    );
    expect(count(whole.data.data)).toEqual(full('P340200118002').attendance?.codes);
  });

  it('answers an empty list without a summary, 404 for an unknown pupil, 400 for bad dates', async () => {
    expect((await api.get('/v1/students/Z359400117005/attendance/sessions')).data).toEqual({
      data: [],
    });
    expect((await api.get('/v1/students/NOPE/attendance/sessions')).status).toBe(404);
    const reversed = '/v1/students/A340200118001/attendance/sessions?from=2025-11-14&to=2025-11-01';
    expect((await api.get(reversed)).status).toBe(400);
    const badDate = '/v1/students/A340200118001/attendance/sessions?from=2025-13-01';
    expect((await api.get(badDate)).status).toBe(400);
  });
});

describe('POST /v1/attendance/sessions/batch', () => {
  it('answers each pupil’s marks over the range, as the per-pupil route does; unknown UPNs missing', async () => {
    const range = { from: '2025-11-03', to: '2025-11-14' };
    const res = await api.post<{
      data: { upn: string; marks: EdSessionMark[] }[];
      meta: { missing: string[] };
    }>('/v1/attendance/sessions/batch', {
      upns: ['A340200118001', 'P340200118002', 'NOPE'],
      ...range,
    });
    expect(res.status).toBe(200);
    expect(res.data.meta.missing).toEqual(['NOPE']);
    expect(res.data.data.map((pupil) => pupil.upn)).toEqual(['A340200118001', 'P340200118002']);
    for (const pupil of res.data.data) {
      const one = await api.get<{ data: EdSessionMark[] }>(
        `/v1/students/${pupil.upn}/attendance/sessions?from=${range.from}&to=${range.to}`,
      );
      expect(pupil.marks).toEqual(one.data.data);
      expect(pupil.marks.length).toBeGreaterThan(0);
    }
  });

  it('answers 400 for a missing range, a reversed one, or more than 500 pupils', async () => {
    const post = (body: unknown) => api.post('/v1/attendance/sessions/batch', body);
    expect((await post({ upns: ['A340200118001'] })).status).toBe(400);
    expect(
      (await post({ upns: ['A340200118001'], from: '2025-11-14', to: '2025-11-01' })).status,
    ).toBe(400);
    const tooMany = Array.from({ length: 501 }, (_, i) => `U${i}`);
    expect((await post({ upns: tooMany, from: '2025-11-01', to: '2025-11-14' })).status).toBe(400);
  });
});

describe('staff and designated teachers', () => {
  it('GET /v1/schools/:urn/staff lists the staff, or 404', async () => {
    expect((await api.get('/v1/schools/100001/staff')).data).toEqual({
      data: [staff('ST1001'), staff('ST1002')],
    });
    expect((await api.get('/v1/schools/999999/staff')).status).toBe(404);
  });

  it('POST /v1/staff/batch answers found ones and lists the missing', async () => {
    const res = await api.post('/v1/staff/batch', { ids: ['ST2002', 'X1', 'ST3001'] });
    expect(res.data).toEqual({
      data: [staff('ST2002'), staff('ST3001')],
      meta: { missing: ['X1'] },
    });
    expect((await api.post('/v1/staff/batch', { ids: [1, 2] })).status).toBe(400);
  });

  it.each<[string, string[]]>([
    ['', ['100001', '100002']],
    ['la_code=340', ['100001', '100002']],
    ['la_code=359', []],
    ['updated_after=2025-06-01', ['100001']],
  ])('GET /v1/designated-teachers?%s', async (query, expected) => {
    const res = await api.get(`/v1/designated-teachers?${query}`);
    expect(res.data.data.map((d: { urn: string }) => d.urn)).toEqual(expected);
  });

  it('GET /v1/schools/:urn/designated-teacher answers the DT, or 404', async () => {
    expect((await api.get('/v1/schools/100001/designated-teacher')).data).toEqual({
      data: dt('100001'),
    });
    const none = await api.get('/v1/schools/100003/designated-teacher');
    expect(none.status).toBe(404);
    expect(none.data.error.message).toBe('School 100003 has no designated teacher on record');
    expect((await api.get('/v1/schools/999999/designated-teacher')).status).toBe(404);
  });
});

describe('the designated teacher register', () => {
  // A server of its own: these tests change the register.
  let own: RunningServer;
  let ed: AxiosInstance;
  beforeAll(async () => {
    own = await startServer(createEducationSimulator({ world: tinyWorld(), apiKey: KEY }));
    ed = httpClient(own.url, KEY);
  });
  afterAll(async () => {
    await own.close();
  });

  const entry = {
    title: 'Ms',
    forename: 'Rosa',
    surname: 'Quinn',
    job_title: 'Designated Teacher for Children Looked After',
    email: 'r.quinn@marshlane.example',
    phone: '0161 496 0123',
    confirmed_on: '2025-11-14',
  };

  it.each<[string, string[]]>([
    ['looked_after_la=340', ['100001', '100003']],
    ['looked_after_la=359', ['100002']],
    ['looked_after_la=340&la_code=359', ['100003']],
    ['looked_after_la=999', []],
  ])('GET /v1/schools?%s lists where an authority has pupils looked after', async (query, urns) => {
    const res = await ed.get(`/v1/schools?${query}`);
    expect(res.data.data.map((s: EdSchool) => s.urn)).toEqual(urns);
  });

  it("carries each school's virtual school link officer", async () => {
    const res = await ed.get('/v1/schools/100002');
    expect(res.data.data.vs_link_officer).toEqual({
      staff_id: 'VSO001',
      name: 'Aisha Rahman',
      job_title: 'Virtual School Officer',
      email: 'aisha.rahman@council.example',
      phone: '0151 496 2001',
    });
    expect((await ed.get('/v1/schools/100003')).data.data.vs_link_officer).toBeNull();
  });

  it.each<[string, string[]]>([
    ['role=GOVERNOR', ['ST2003', 'ST2004']],
    ['role=GOVERNOR&urn=100001', []],
    ['urn=100001,100003', ['ST1001', 'ST1002', 'ST3001']],
    ['urn=100001&urn=100003&role=HEAD', ['ST1001', 'ST3001']],
    ['', ['ST1001', 'ST1002', 'ST2001', 'ST2002', 'ST2003', 'ST2004', 'ST3001']],
  ])('GET /v1/staff?%s', async (query, ids) => {
    const res = await ed.get(`/v1/staff?${query}`);
    expect(res.status).toBe(200);
    expect(res.data.data.map((s: { staff_id: string }) => s.staff_id)).toEqual(ids);
  });

  it.each(['role=CLEANER', 'urn=12345', 'colour=red'])(
    'GET /v1/staff?%s answers 400',
    async (q) => {
      expect((await ed.get(`/v1/staff?${q}`)).status).toBe(400);
    },
  );

  it.each<[string, Record<string, unknown>]>([
    ['a bad e-mail', { ...entry, email: 'r.quinn@' }],
    ['a bad phone', { ...entry, phone: '555-1234' }],
    ['an empty surname', { ...entry, surname: '  ' }],
    ['a missing job title', { ...entry, job_title: undefined }],
    ['a too long forename', { ...entry, forename: 'x'.repeat(101) }],
    ['a control character', { ...entry, forename: 'Ro\u0000sa' }],
    ['an unknown field', { ...entry, mobile: '07700 900123' }],
    ['a bad date', { ...entry, confirmed_on: '2025-02-30' }],
    ['a future confirmation', { ...entry, confirmed_on: '2999-01-01' }],
  ])('PUT refuses %s with 400 and changes nothing', async (_what, body) => {
    const res = await ed.put('/v1/schools/100003/designated-teacher', body);
    expect(res.status).toBe(400);
    expect(res.data.error.code).toBe('BAD_REQUEST');
    expect((await ed.get('/v1/schools/100003/designated-teacher')).status).toBe(404);
  });

  it('PUT answers 404 for an unknown school', async () => {
    expect((await ed.put('/v1/schools/999999/designated-teacher', entry)).status).toBe(404);
  });

  it('PUT creates an entry, is idempotent, and moves updated_at past everything on a change', async () => {
    const created = await ed.put('/v1/schools/100003/designated-teacher', entry);
    expect(created.status).toBe(200);
    expect(created.data.meta).toEqual({ previous: null, changed: true });
    expect(created.data.data).toMatchObject({ urn: '100003', staff_id: null, ...entry });
    const stamp = created.data.data.updated_at as string;
    // Later than any timestamp the seeded system holds.
    expect(Date.parse(stamp)).toBeGreaterThan(Date.parse('2025-11-10T07:00:00Z'));

    const again = await ed.put('/v1/schools/100003/designated-teacher', entry);
    expect(again.data).toEqual({
      data: created.data.data,
      meta: { previous: created.data.data, changed: false },
    });

    const changed = await ed.put('/v1/schools/100003/designated-teacher', {
      ...entry,
      phone: '+44 161 496 0124',
    });
    expect(changed.data.meta).toEqual({ previous: created.data.data, changed: true });
    expect(Date.parse(changed.data.data.updated_at)).toBeGreaterThan(Date.parse(stamp));

    const list = await ed.get(`/v1/designated-teachers?updated_after=${encodeURIComponent(stamp)}`);
    expect(list.data.data).toEqual([changed.data.data]);
    const all = await ed.get('/v1/designated-teachers');
    expect(all.data.data.map((d: { urn: string }) => d.urn)).toEqual([
      '100001',
      '100002',
      '100003',
    ]);
    expect((await ed.get('/v1/schools/100003/designated-teacher')).data.data).toEqual(
      changed.data.data,
    );
  });

  it("links the entry to the school's staff record with the same e-mail", async () => {
    const res = await ed.put('/v1/schools/100002/designated-teacher', {
      title: 'Mrs',
      forename: 'Joan',
      surname: 'Ashby',
      job_title: 'Governor and acting designated teacher',
      email: 'J.Ashby@hollinvale.example',
      phone: '0151 496 3009',
      confirmed_on: '2025-11-01',
    });
    expect(res.data.data.staff_id).toBe('ST2003');
    expect(res.data.meta.previous).toEqual(dt('100002'));
  });
});

describe('GET /v1/aggregates', () => {
  const key = (a: { urn: string; academic_year: string; year_group: string }) =>
    `${a.urn} ${a.academic_year} ${a.year_group}`;

  it('lists by URN, academic year and year group, with filters', async () => {
    const all = await api.get('/v1/aggregates');
    expect(all.data.data.map(key)).toEqual([
      '100001 2025/26 1',
      '100001 2025/26 5',
      '100002 2024/25 10',
      '100002 2025/26 10',
    ]);
    const year = await api.get('/v1/aggregates?academic_year=2025/26');
    expect(year.data.meta.pagination.total).toBe(3);
    const one = await api.get('/v1/aggregates?academic_year=2024/25&urn=100002');
    expect(one.data.data).toEqual([world.education.aggregates[3]]);
    expect(one.data.data[0]).toMatchObject({
      pupils: 175,
      possible_sessions: 52500,
      attended_sessions: 48825,
    });
    expect((await api.get('/v1/aggregates?academic_year=2025-26')).status).toBe(400);
  });
});

describe('education simulator: stats, faults and OpenAPI', () => {
  it('counts requests per route pattern and obeys faults', async () => {
    await api.post('/_sim/stats/reset');
    await api.get('/v1/schools/100001/students');
    await api.get('/v1/schools/100002/students');
    await api.put('/_sim/faults', { errorRate: 1 });
    expect((await api.post('/v1/students/batch', { upns: [] })).status).toBe(503);
    await api.put('/_sim/faults', { errorRate: 0 });
    const stats = await api.get('/_sim/stats');
    expect(stats.data).toMatchObject({
      system: 'education',
      requests: 3,
      byRoute: { 'GET /v1/schools/:urn/students': 2, 'POST /v1/students/batch': 1 },
      control: { requests: 3 },
    });
  });

  it('documents every registered route in schema/openapi/education.yaml, and no other', () => {
    const coverage = openApiCoverage(
      createEducationSimulator({ world: tinyWorld(), apiKey: KEY }),
      'education.yaml',
    );
    expect(coverage.registered).toHaveLength(29);
    expect(coverage.undocumented).toEqual([]);
    expect(coverage.unimplemented).toEqual([]);
  });
});

describe('a pupil at a school elsewhere that sends no returns', () => {
  const UPN = 'R359400117011';
  let noReturn: RunningServer;
  let client: AxiosInstance;

  beforeAll(async () => {
    const w = tinyWorld();
    w.education.students.push({
      ...w.education.students.find((s) => s.upn === 'P340200118002')!,
      upn: UPN,
      coverage: { source: 'NO_RETURN', latest_return_on: null },
      attendance: null,
      exclusions: null,
      attainment: null,
    });
    noReturn = await startServer(createEducationSimulator({ world: w, apiKey: KEY }));
    client = httpClient(noReturn.url, KEY);
  });
  afterAll(async () => {
    await noReturn.close();
  });

  it('answers null attendance, exclusions and attainment: not held, never empty or zero', async () => {
    const res = await client.post('/v1/students/batch', {
      upns: [UPN],
      include: ['enrolments', 'attendance', 'exclusions', 'sen', 'attainment'],
    });
    const [record] = res.data.data as EdStudentRecord[];
    expect(record).toMatchObject({
      upn: UPN,
      coverage: { source: 'NO_RETURN', latest_return_on: null },
      attendance: null,
      exclusions: null,
      attainment: null,
      sen: { status: 'E', primary_need: 'SEMH' },
    });
    // The roll is still known (admissions, the common transfer file).
    expect(record!.enrolments?.at(-1)).toMatchObject({ urn: '100003', leaving_date: null });
    const listed = await client.get('/v1/schools/100003/students?include=exclusions');
    const onRoll = (listed.data.data as EdStudentRecord[]).find((r) => r.upn === UPN);
    expect(onRoll).toMatchObject({ coverage: { source: 'NO_RETURN' }, exclusions: null });
    expect((await client.get(`/v1/students/${UPN}/attendance/sessions`)).data).toEqual({
      data: [],
    });
  });
});
