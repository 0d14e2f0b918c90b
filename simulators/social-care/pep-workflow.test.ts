/**
 * The social care simulator's PEP workflow over real HTTP, and SocialCareClient against it: a
 * draft made, changed, completed, quality-assured and its targets reviewed at the next
 * meeting; every refusal (400 naming each bad field, 404, 409 with its code) changes neither
 * the PEP nor the feed; the same request twice is one change; read routes and the feed show
 * each change. One server per describe: these tests change the system.
 */
import type { AxiosInstance } from 'axios';
import type {
  ScChangePage,
  ScChildRecord,
  ScPep,
  ScPepDraftPost,
  ScPepDraftPut,
} from '../../upstream/social-care/contract';
import { UpstreamRejectedError } from '../../upstream/common/http-client';
import { SocialCareClient } from '../../upstream/social-care/client';
import { startServer, type RunningServer } from '../common/server';
import { httpClient } from '../common/testing';
import { tinyWorld } from '../../tests/support/tiny-world';
import { createSocialCareSimulator } from './app';

const KEY = 'sc-pep-key';
const AVA = '1000001'; // looked after; PEP-0002 (COMPLETE, 2025-10-01, target T-0003)
const LEAH = '1000003'; // left care in 2024
const TODAY = '2025-11-14'; // the tiny world's as-of (earlier than any real today)

/** Request ids, one per draft made (uuids). */
const REQ = {
  a: '6f1d2c3b-0000-4000-8000-000000000001',
  b: '6f1d2c3b-0000-4000-8000-000000000002',
  c: '6f1d2c3b-0000-4000-8000-000000000003',
  d: '6f1d2c3b-0000-4000-8000-000000000004',
  e: '6f1d2c3b-0000-4000-8000-000000000005',
  f: '6f1d2c3b-0000-4000-8000-000000000006',
  g: '6f1d2c3b-0000-4000-8000-000000000007',
  h: '6f1d2c3b-0000-4000-8000-000000000008',
};

function useServer(): () => { api: AxiosInstance; url: string } {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer(createSocialCareSimulator({ world: tinyWorld(), apiKey: KEY }));
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => ({ api: httpClient(server!.url, KEY), url: server!.url });
}

const draft = (requestId: string, over: Partial<ScPepDraftPost> = {}): ScPepDraftPost => ({
  REQUEST_ID: requestId,
  MEETING_DATE: '2025-11-10',
  SCHOOL_URN: '100001',
  ATTENDEES: [
    { NAME: 'Ava', ROLE: 'CHILD' },
    { NAME: 'Ms Price', ROLE: 'DESIGNATED_TEACHER' },
  ],
  CHILD_VIEWS: 'I want to read more books.',
  STRENGTHS: 'Loves stories',
  BARRIERS: 'Tires in the afternoon',
  SUPPORT_STRATEGIES: ['Reading buddy'],
  TARGETS: [
    {
      AREA: 'Reading',
      DESCRIPTION: 'Read a chapter book each fortnight',
      SUCCESS_MEASURE: 'Six books logged by February',
      OWNER: 'Ms Price',
      REVIEW_DATE: '2026-02-10',
      PP_PLUS_REQUEST_PENCE: 40000,
    },
  ],
  ...over,
});

const asPut = (pep: ScPep, over: Partial<ScPepDraftPut> = {}): ScPepDraftPut => ({
  VERSION: pep.VERSION,
  MEETING_DATE: pep.MEETING_DATE,
  SCHOOL_URN: pep.SCHOOL_URN,
  ATTENDEES: pep.ATTENDEES,
  CHILD_VIEWS: pep.CHILD_VIEWS,
  STRENGTHS: pep.STRENGTHS,
  BARRIERS: pep.BARRIERS,
  SUPPORT_STRATEGIES: pep.SUPPORT_STRATEGIES,
  TARGETS: pep.TARGETS.map((t) => ({
    TARGET_ID: t.TARGET_ID,
    AREA: t.AREA,
    DESCRIPTION: t.DESCRIPTION,
    SUCCESS_MEASURE: t.SUCCESS_MEASURE,
    OWNER: t.OWNER,
    REVIEW_DATE: t.REVIEW_DATE,
    PP_PLUS_REQUEST_PENCE: t.PP_PLUS_REQUEST_PENCE,
  })),
  ...over,
});

const SIGN_OFF = [
  { ROLE: 'DESIGNATED_TEACHER', NAME: 'Ms Price', SIGNED_ON: TODAY },
  { ROLE: 'SOCIAL_WORKER', NAME: 'Sam Jones', SIGNED_ON: TODAY },
];

const feed = async (api: AxiosInstance): Promise<ScChangePage> =>
  (await api.get('/api/v1/changes?limit=500')).data;
const pepsOf = async (api: AxiosInstance, id: string): Promise<ScPep[]> =>
  ((await api.get(`/api/v1/children/${id}?include=peps`)).data as ScChildRecord).peps!;
/** What a refused write must leave as it was. */
const snapshot = async (api: AxiosInstance) => ({
  feed: await feed(api),
  peps: await pepsOf(api, AVA),
});

describe('PEP workflow: a meeting end to end', () => {
  const sim = useServer();
  let pep: ScPep;

  it('creates a DRAFT with target ids, shown by GET /peps/{id}, the child and the feed', async () => {
    const { api } = sim();
    const res = await api.post(`/api/v1/children/${AVA}/pep-drafts`, draft(REQ.a));
    expect(res.status).toBe(200);
    pep = res.data.data;
    expect(pep).toMatchObject({
      CHILD: AVA,
      MEETING_DATE: '2025-11-10',
      STATUS: 'DRAFT',
      INITIAL: false,
      VERSION: 1,
      SIGN_OFF: [],
      QA: null,
      COMPLETED_ON: null,
      STRENGTHS: 'Loves stories',
      TARGETS: [
        {
          TARGET_ID: `${pep.PEP_ID}-T1`,
          STATUS: 'NOT_STARTED',
          REVIEW: null,
          SUCCESS_MEASURE: 'Six books logged by February',
        },
      ],
    });
    expect(res.data.meta).toEqual({ changes: [1] });
    expect((await api.get(`/api/v1/peps/${pep.PEP_ID}`)).data).toEqual({ data: pep });
    expect((await pepsOf(api, AVA)).map((p) => p.PEP_ID)).toContain(pep.PEP_ID);
    const { data } = await feed(api);
    expect(data.map((c) => [c.change_id, c.kind, c.record])).toEqual([[1, 'pep', pep]]);
  });

  it('answers the same REQUEST_ID again with the same PEP, changing nothing', async () => {
    const { api } = sim();
    const again = await api.post(`/api/v1/children/${AVA}/pep-drafts`, draft(REQ.a));
    expect(again.status).toBe(200);
    expect(again.data).toEqual({ data: pep, meta: { changes: [] } });
    expect((await feed(api)).meta.latest).toBe(1);
  });

  it('updates the draft: VERSION up, kept target keeps its id, a new one gets the next', async () => {
    const { api } = sim();
    const body = asPut(pep, {
      BARRIERS: 'Tires after lunch',
      TARGETS: [
        ...asPut(pep).TARGETS,
        {
          AREA: 'Wellbeing',
          DESCRIPTION: 'Join the chess club',
          SUCCESS_MEASURE: null,
          OWNER: null,
          REVIEW_DATE: null,
          PP_PLUS_REQUEST_PENCE: 0,
        },
      ],
    });
    const res = await api.put(`/api/v1/peps/${pep.PEP_ID}`, body);
    expect(res.status).toBe(200);
    expect(res.data.meta).toEqual({ changes: [2] });
    expect(res.data.data).toMatchObject({ VERSION: 2, BARRIERS: 'Tires after lunch' });
    expect(res.data.data.TARGETS.map((t: { TARGET_ID: string }) => t.TARGET_ID)).toEqual([
      `${pep.PEP_ID}-T1`,
      `${pep.PEP_ID}-T2`,
    ]);
    // The same PUT again (its VERSION now stale): applied once, nothing more.
    const again = await api.put(`/api/v1/peps/${pep.PEP_ID}`, body);
    expect(again.status).toBe(200);
    expect(again.data).toEqual({ data: res.data.data, meta: { changes: [] } });
    // The PEP as it is, at its VERSION: no change either.
    pep = res.data.data;
    const same = await api.put(`/api/v1/peps/${pep.PEP_ID}`, asPut(pep));
    expect(same.data).toEqual({ data: pep, meta: { changes: [] } });
    expect((await feed(api)).meta.latest).toBe(2);
  });

  it('refuses a stale VERSION with 409 STALE_VERSION, changing nothing', async () => {
    const { api } = sim();
    const before = await snapshot(api);
    const res = await api.put(
      `/api/v1/peps/${pep.PEP_ID}`,
      asPut(pep, { VERSION: 1, STRENGTHS: 'Something else' }),
    );
    expect(res.status).toBe(409);
    expect(res.data.error.code).toBe('STALE_VERSION');
    expect(await snapshot(api)).toEqual(before);
  });

  it('refuses to complete without the social worker’s sign-off, naming SIGN_OFF', async () => {
    const { api } = sim();
    const before = await snapshot(api);
    const res = await api.post(`/api/v1/peps/${pep.PEP_ID}/complete`, {
      COMPLETED_ON: TODAY,
      SIGN_OFF: [SIGN_OFF[0]],
    });
    expect(res.status).toBe(400);
    expect(res.data.error.fields).toEqual(['SIGN_OFF']);
    expect(await snapshot(api)).toEqual(before);
  });

  it('completes and signs off; the same again is no change, another completion 409', async () => {
    const { api } = sim();
    const res = await api.post(`/api/v1/peps/${pep.PEP_ID}/complete`, {
      COMPLETED_ON: TODAY,
      SIGN_OFF,
    });
    expect(res.status).toBe(200);
    expect(res.data.data).toMatchObject({
      STATUS: 'COMPLETE',
      COMPLETED_ON: TODAY,
      SIGN_OFF,
      VERSION: 3,
    });
    expect(res.data.meta).toEqual({ changes: [3] });
    pep = res.data.data;
    const again = await api.post(`/api/v1/peps/${pep.PEP_ID}/complete`, {
      COMPLETED_ON: TODAY,
      SIGN_OFF,
    });
    expect(again.data).toEqual({ data: pep, meta: { changes: [] } });
    const other = await api.post(`/api/v1/peps/${pep.PEP_ID}/complete`, {
      COMPLETED_ON: '2025-11-13',
      SIGN_OFF,
    });
    expect(other.status).toBe(409);
    expect(other.data.error.code).toBe('NOT_DRAFT');
    // No longer a draft: a PUT is refused too.
    const put = await api.put(`/api/v1/peps/${pep.PEP_ID}`, asPut(pep, { STRENGTHS: 'x' }));
    expect(put.status).toBe(409);
    expect(put.data.error.code).toBe('NOT_DRAFT');
    expect((await feed(api)).meta.latest).toBe(3);
  });

  it('quality-assures: RED returns it (COMPLETE), GREEN approves it; the same again no change', async () => {
    const { api } = sim();
    const red = { RATING: 'RED', REASONS: 'Targets not SMART', RATED_BY: 'VSH', RATED_ON: TODAY };
    const returned = await api.post(`/api/v1/peps/${pep.PEP_ID}/quality-assurance`, red);
    expect(returned.data.data).toMatchObject({ STATUS: 'COMPLETE', QA: red, VERSION: 4 });
    const green = { ...red, RATING: 'GREEN', REASONS: 'Good plan' };
    const approved = await api.post(`/api/v1/peps/${pep.PEP_ID}/quality-assurance`, green);
    expect(approved.data.data).toMatchObject({ STATUS: 'QA_APPROVED', QA: green, VERSION: 5 });
    expect(approved.data.meta).toEqual({ changes: [5] });
    const again = await api.post(`/api/v1/peps/${pep.PEP_ID}/quality-assurance`, green);
    expect(again.data).toEqual({ data: approved.data.data, meta: { changes: [] } });
    pep = approved.data.data;
    expect((await pepsOf(api, AVA)).find((p) => p.PEP_ID === pep.PEP_ID)).toEqual(pep);
  });

  it('reviews the earlier PEP’s targets at this meeting; the same again is no change', async () => {
    const { api } = sim();
    const body = {
      AT_PEP_ID: pep.PEP_ID,
      REVIEWED_ON: '2025-11-10',
      REVIEWS: [{ TARGET_ID: 'T-0003', OUTCOME: 'MET', COMMENT: 'Assessment done' }],
    };
    const res = await api.post('/api/v1/peps/PEP-0002/target-reviews', body);
    expect(res.status).toBe(200);
    expect(res.data.data.TARGETS[0]).toMatchObject({
      TARGET_ID: 'T-0003',
      STATUS: 'ACHIEVED',
      REVIEW: {
        OUTCOME: 'MET',
        COMMENT: 'Assessment done',
        REVIEWED_ON: '2025-11-10',
        REVIEWED_AT_PEP_ID: pep.PEP_ID,
      },
    });
    expect(res.data.meta).toEqual({ changes: [6] });
    const again = await api.post('/api/v1/peps/PEP-0002/target-reviews', body);
    expect(again.data).toEqual({ data: res.data.data, meta: { changes: [] } });
    const entries = (await feed(api)).data;
    expect(entries.map((c) => c.kind)).toEqual(['pep', 'pep', 'pep', 'pep', 'pep', 'pep']);
    expect(entries[5]!.record).toEqual(res.data.data);
  });
});

describe('PEP workflow: refusals change nothing', () => {
  const sim = useServer();
  let pep: ScPep;
  beforeAll(async () => {
    pep = (await sim().api.post(`/api/v1/children/${AVA}/pep-drafts`, draft(REQ.b))).data.data;
  });

  it('a draft body names every bad field', async () => {
    const { api } = sim();
    const before = await snapshot(api);
    const res = await api.post(`/api/v1/children/${AVA}/pep-drafts`, {
      ...draft('not-a-uuid'),
      MEETING_DATE: '2025-02-30',
      ATTENDEES: [{ NAME: ' ', ROLE: 'HEAD' }],
      TARGETS: [{ ...draft(REQ.c).TARGETS[0], AREA: '', PP_PLUS_REQUEST_PENCE: -1 }],
    });
    expect(res.status).toBe(400);
    expect(res.data.error.code).toBe('BAD_REQUEST');
    expect([...res.data.error.fields].sort()).toEqual(
      [
        'REQUEST_ID',
        'MEETING_DATE',
        'ATTENDEES.0.NAME',
        'ATTENDEES.0.ROLE',
        'TARGETS.0.AREA',
        'TARGETS.0.PP_PLUS_REQUEST_PENCE',
      ].sort(),
    );
    // A target reviewed before it was set is named too.
    const early = await api.post(
      `/api/v1/children/${AVA}/pep-drafts`,
      draft(REQ.c, {
        TARGETS: [{ ...draft(REQ.c).TARGETS[0]!, REVIEW_DATE: '2025-11-01' }],
      }),
    );
    expect(early.status).toBe(400);
    expect(early.data.error.fields).toEqual(['TARGETS.0.REVIEW_DATE']);
    expect(await snapshot(api)).toEqual(before);
    // Refused, the REQUEST_ID made nothing: it can be used once the body is right.
    const made = await api.post(`/api/v1/children/${AVA}/pep-drafts`, draft(REQ.c));
    expect(made.data.meta.changes).toHaveLength(1);
  });

  it('404 for an unknown child or PEP; 409 NOT_LOOKED_AFTER for a child out of care', async () => {
    const { api } = sim();
    const before = await snapshot(api);
    expect((await api.post('/api/v1/children/9999999/pep-drafts', draft(REQ.d))).status).toBe(404);
    expect((await api.get('/api/v1/peps/NOPE')).status).toBe(404);
    expect((await api.put('/api/v1/peps/NOPE', asPut(pep))).status).toBe(404);
    const complete = { COMPLETED_ON: TODAY, SIGN_OFF };
    expect((await api.post('/api/v1/peps/NOPE/complete', complete)).status).toBe(404);
    const left = await api.post(`/api/v1/children/${LEAH}/pep-drafts`, draft(REQ.d));
    expect(left.status).toBe(409);
    expect(left.data.error.code).toBe('NOT_LOOKED_AFTER');
    expect(await snapshot(api)).toEqual(before);
  });

  it('a PUT naming a target of another PEP is a 400 on that field', async () => {
    const { api } = sim();
    const before = await snapshot(api);
    const body = asPut(pep);
    body.TARGETS[0] = { ...body.TARGETS[0]!, TARGET_ID: 'T-0003' };
    const res = await api.put(`/api/v1/peps/${pep.PEP_ID}`, body);
    expect(res.status).toBe(400);
    expect(res.data.error.fields).toEqual(['TARGETS.0.TARGET_ID']);
    expect(await snapshot(api)).toEqual(before);
  });

  it('a draft is not quality-assured or reviewed (409 NOT_COMPLETE)', async () => {
    const { api } = sim();
    const before = await snapshot(api);
    const qa = { RATING: 'GREEN', REASONS: 'Fine', RATED_BY: 'VSH', RATED_ON: TODAY };
    const assured = await api.post(`/api/v1/peps/${pep.PEP_ID}/quality-assurance`, qa);
    expect([assured.status, assured.data.error.code]).toEqual([409, 'NOT_COMPLETE']);
    const reviewed = await api.post(`/api/v1/peps/${pep.PEP_ID}/target-reviews`, {
      AT_PEP_ID: 'PEP-0002',
      REVIEWED_ON: TODAY,
      REVIEWS: [{ TARGET_ID: pep.TARGETS[0]!.TARGET_ID, OUTCOME: 'MET', COMMENT: 'x' }],
    });
    expect([reviewed.status, reviewed.data.error.code]).toEqual([409, 'NOT_COMPLETE']);
    expect(await snapshot(api)).toEqual(before);
  });

  it('a review names a bad meeting, a future date and an unknown target', async () => {
    const { api } = sim();
    const before = await snapshot(api);
    const res = await api.post('/api/v1/peps/PEP-0002/target-reviews', {
      AT_PEP_ID: 'PEP-0001', // earlier than PEP-0002
      REVIEWED_ON: '2099-01-01',
      REVIEWS: [
        { TARGET_ID: 'T-0003', OUTCOME: 'MET', COMMENT: 'ok' },
        { TARGET_ID: 'T-0001', OUTCOME: 'MET', COMMENT: 'not this PEP’s' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.data.error.fields).toEqual(['AT_PEP_ID', 'REVIEWED_ON', 'REVIEWS.1.TARGET_ID']);
    expect(await snapshot(api)).toEqual(before);
  });

  it('a draft lacking the child’s views is not completed (409 INCOMPLETE)', async () => {
    const { api } = sim();
    const bare = (
      await api.post(
        `/api/v1/children/${AVA}/pep-drafts`,
        draft(REQ.e, { CHILD_VIEWS: null, MEETING_DATE: '2025-11-12' }),
      )
    ).data.data as ScPep;
    const before = await snapshot(api);
    const res = await api.post(`/api/v1/peps/${bare.PEP_ID}/complete`, {
      COMPLETED_ON: TODAY,
      SIGN_OFF,
    });
    expect(res.status).toBe(409);
    expect(res.data.error.code).toBe('INCOMPLETE');
    expect(await snapshot(api)).toEqual(before);
  });
});

describe('SocialCareClient PEP workflow', () => {
  const sim = useServer();
  let client: SocialCareClient;
  beforeAll(() => {
    client = SocialCareClient.fromConfig({
      baseUrl: sim().url,
      apiKey: KEY,
      timeoutMs: 2000,
      deadlineMs: 5000,
      retries: 2,
    });
  });
  afterAll(() => client.close());

  const hits = async (route: string): Promise<number> =>
    (await sim().api.get('/_sim/stats')).data.byRoute[route] ?? 0;

  it('writes and reads a PEP; null for an unknown child or PEP', async () => {
    const made = await client.createPepDraft(AVA, draft(REQ.f));
    expect(made?.data.STATUS).toBe('DRAFT');
    expect(made?.meta.changes).toEqual([1]);
    const pepId = made!.data.PEP_ID;
    expect(await client.pep(pepId)).toEqual(made!.data);
    const put = await client.updatePepDraft(pepId, asPut(made!.data, { STRENGTHS: 'Kind' }));
    expect(put?.data.VERSION).toBe(2);
    const done = await client.completePep(pepId, {
      COMPLETED_ON: TODAY,
      SIGN_OFF: [
        { ROLE: 'DESIGNATED_TEACHER', NAME: 'Ms Price', SIGNED_ON: TODAY },
        { ROLE: 'SOCIAL_WORKER', NAME: 'Sam Jones', SIGNED_ON: TODAY },
      ],
    });
    expect(done?.data.STATUS).toBe('COMPLETE');
    const qa = await client.qualityAssurePep(pepId, {
      RATING: 'AMBER',
      REASONS: 'Targets could be sharper',
      RATED_BY: 'VSH',
      RATED_ON: TODAY,
    });
    expect(qa?.data.STATUS).toBe('QA_APPROVED');
    const reviewed = await client.reviewPepTargets('PEP-0002', {
      AT_PEP_ID: pepId,
      REVIEWED_ON: TODAY,
      REVIEWS: [{ TARGET_ID: 'T-0003', OUTCOME: 'PARTLY_MET', COMMENT: 'Half way' }],
    });
    expect(reviewed?.data.TARGETS[0]?.REVIEW?.OUTCOME).toBe('PARTLY_MET');
    expect(await client.pep('NOPE')).toBeNull();
    expect(await client.createPepDraft('9999999', draft(REQ.g))).toBeNull();
  });

  it('a refusal is an UpstreamRejectedError with the status, code and fields, sent once', async () => {
    const route = 'POST /api/v1/children/:id/pep-drafts';
    const before = await hits(route);
    const bad = await client
      .createPepDraft(AVA, { ...draft(REQ.h), MEETING_DATE: 'soon' })
      .catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(UpstreamRejectedError);
    expect(bad).toMatchObject({ status: 400, code: 'BAD_REQUEST', fields: ['MEETING_DATE'] });
    // No URL or upstream text in what the caller holds.
    expect(String((bad as Error).message)).not.toMatch(/http|MEETING_DATE|soon/);
    const conflict = await client
      .createPepDraft(LEAH, draft(REQ.h))
      .catch((error: unknown) => error);
    expect(conflict).toMatchObject({ status: 409, code: 'NOT_LOOKED_AFTER' });
    expect(await hits(route)).toBe(before + 2);
  });
});
