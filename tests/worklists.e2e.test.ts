/**
 * Worklists end to end: `children(filter: {worklist})` and `GET /worklists/children.csv`
 * through the gateway, against an independent computation from the simulators' raw data read
 * over their HTTP APIs. The rules below are written from shared/spec/domain.md, not from the
 * worklist code (nothing under subgraphs/social-care or domain/measures is imported); only the
 * LA's calendar (term dates, school and working days) is shared, as the reference data it is.
 */
import type {
  EdDesignatedTeacher,
  EdEnrolment,
  EdSessionMark,
  EdStudentRecord,
} from '../upstream/education/contract';
import type { ScChildRecord, ScEpisode } from '../upstream/social-care/contract';
import {
  addDays,
  addSchoolDays,
  addWorkingDays,
  nextTerm,
  previousTerm,
  termOf,
} from '../domain/school-calendar';
import type { PersonaName } from '../simulators/seed/world';
import type { RunningSystem } from '../system/start-system';
import type { GraphQLResult } from '../system/system-client';
import {
  TEST_AS_OF,
  clientFor,
  startTestSystem,
  upstreamStats,
  resetUpstreamCounters,
} from './support/system';

const TODAY = TEST_AS_OF;
let system: RunningSystem;
let children: ScChildRecord[];
let pupils: Map<string, EdStudentRecord>;
let register: Set<string>;

beforeAll(async () => {
  system = await startTestSystem();
  children = await readCurrentChildren();
  pupils = await readPupils(children.map((c) => c.UPN));
  register = await readRegister();
}, 120_000);

afterAll(async () => {
  await system?.close();
});

// ------------------------------------------------------------------ raw data over HTTP

async function simulator<T>(
  name: 'socialCare' | 'education',
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${system.urls.simulators[name]}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${system.simulatorKeys[name]}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** Every child looked after now (what `children` lists by default), restricted ones too. */
async function readCurrentChildren(): Promise<ScChildRecord[]> {
  const all: ScChildRecord[] = [];
  for (let page = 1; ; page++) {
    const body = await simulator<{
      data: ScChildRecord[];
      meta: { pagination: { total: number } };
    }>('socialCare', '/api/v1/children/search', {
      include: ['episodes', 'placements', 'peps'],
      include_restricted: true,
      current_only: true,
      page,
      per_page: 500,
    });
    all.push(...body.data);
    if (all.length >= body.meta.pagination.total || body.data.length === 0) return all;
  }
}

const REAL_UPN = /^[A-Z]\d{11}[A-Z0-9]$/;

async function readPupils(upns: string[]): Promise<Map<string, EdStudentRecord>> {
  const real = upns.filter((upn) => REAL_UPN.test(upn));
  const found = new Map<string, EdStudentRecord>();
  for (let i = 0; i < real.length; i += 500) {
    const body = await simulator<{ data: EdStudentRecord[] }>('education', '/v1/students/batch', {
      upns: real.slice(i, i + 500),
      include: ['enrolments', 'attendance', 'exclusions'],
    });
    for (const pupil of body.data) found.set(pupil.upn, pupil);
  }
  return found;
}

async function readRegister(): Promise<Set<string>> {
  const urns = new Set<string>();
  for (let page = 1; ; page++) {
    const body = await simulator<{
      data: EdDesignatedTeacher[];
      meta: { pagination: { more: boolean } };
    }>('education', `/v1/designated-teachers?page=${page}&per_page=500`);
    for (const entry of body.data) urns.add(entry.urn);
    if (!body.meta.pagination.more) return urns;
  }
}

const marksCache = new Map<string, EdSessionMark[]>();
async function marksOf(upn: string, from: string, to: string): Promise<EdSessionMark[]> {
  const key = `${upn}:${from}:${to}`;
  if (!marksCache.has(key)) {
    const body = await simulator<{ data: EdSessionMark[] }>(
      'education',
      `/v1/students/${upn}/attendance/sessions?from=${from}&to=${to}`,
    );
    marksCache.set(key, body.data);
  }
  return marksCache.get(key)!;
}

// ------------------------------------------------------------------ the rules, from domain.md

const ATTENDED = new Set(['/', '\\', 'L', 'K', 'V', 'P', 'W', 'B']);
const ABSENT = new Set(['C', 'C1', 'C2', 'E', 'I', 'M', 'J1', 'S', 'T', 'R', 'G', 'N', 'O', 'U']);

function ageOn(dob: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(dob.slice(0, 4));
  return on.slice(5) < dob.slice(5) ? years - 1 : years;
}

/** Age on the 31 August before the academic year: 4 is Reception, 5 Year 1 ... 17 Year 13. */
function schoolAge(dob: string, on: string): number {
  return ageOn(dob, `${termOf(on).academicYear.slice(0, 4)}-08-31`);
}

function openEpisode(child: ScChildRecord, on: string): ScEpisode | null {
  const episodes = [...(child.episodes ?? [])].sort((a, b) => a.DECOM.localeCompare(b.DECOM));
  let found: ScEpisode | null = null;
  for (const e of episodes) if (e.DECOM <= on && (e.DEC === null || e.DEC > on)) found = e;
  return found;
}

function careStart(child: ScChildRecord, episode: ScEpisode): string {
  const sorted = [...(child.episodes ?? [])].sort((a, b) => a.DECOM.localeCompare(b.DECOM));
  let i = sorted.indexOf(episode);
  while (i > 0 && sorted[i - 1]!.DEC === sorted[i]!.DECOM) i--;
  return sorted[i]!.DECOM;
}

/** domain.md, Personal Education Plans: the status today and when the next one is due. */
function pep(child: ScChildRecord): { status: string; due: string | null } {
  const episode = openEpisode(child, TODAY);
  const ofAge = ageOn(child.DOB, TODAY) >= 3 && schoolAge(child.DOB, TODAY) <= 17;
  if (!episode || episode.LS === 'V3' || episode.LS === 'V4' || !ofAge) {
    return { status: 'NOT_REQUIRED', due: null };
  }
  const since = careStart(child, episode);
  const held = (child.peps ?? [])
    .filter(
      (p) =>
        (p.STATUS === 'COMPLETE' || p.STATUS === 'QA_APPROVED') &&
        p.MEETING_DATE >= since &&
        p.MEETING_DATE <= TODAY,
    )
    .map((p) => p.MEETING_DATE)
    .sort();
  const last = held[held.length - 1];
  const thisTerm = termOf(TODAY);
  if (last === undefined) {
    const third = `${Number(child.DOB.slice(0, 4)) + 3}${child.DOB.slice(4)}`;
    const from = since > third ? since : third;
    const emergency = (child.placements ?? []).some((p) => p.DECOM === since && p.EMERGENCY);
    const deadline =
      emergency && from === since ? addWorkingDays(since, 10) : addSchoolDays(from, 20);
    return TODAY <= deadline
      ? { status: 'NONE', due: deadline }
      : { status: 'OVERDUE', due: thisTerm.end };
  }
  if (last >= thisTerm.start) return { status: 'CURRENT', due: nextTerm(TODAY).end };
  if (last >= previousTerm(TODAY).start) return { status: 'DUE', due: thisTerm.end };
  return { status: 'OVERDUE', due: thisTerm.end };
}

const pupilOf = (child: ScChildRecord) => pupils.get(child.UPN) ?? null;
const main = (e: EdEnrolment) => e.enrolment_status !== 'S';

/** The school the pupil is on roll at today: single registration first, else main dual. */
function schoolToday(child: ScChildRecord): string | null {
  const open = (pupilOf(child)?.enrolments ?? []).filter(
    (e) => main(e) && e.entry_date <= TODAY && (e.leaving_date === null || e.leaving_date >= TODAY),
  );
  open.sort(
    (a, b) =>
      Number(a.enrolment_status !== 'C') - Number(b.enrolment_status !== 'C') ||
      b.entry_date.localeCompare(a.entry_date),
  );
  return open[0]?.urn ?? null;
}

async function attendanceBelow(
  child: ScChildRecord,
  percent: number,
  from: string,
): Promise<boolean> {
  const pupil = pupilOf(child);
  // Not held: a school elsewhere that sends no returns, or no record at all. Never a zero.
  if (!pupil || pupil.coverage.source === 'NO_RETURN') return false;
  let attended = 0;
  let possible = 0;
  for (const mark of await marksOf(pupil.upn, from, TODAY)) {
    if (ATTENDED.has(mark.code)) {
      attended += 1;
      possible += 1;
    } else if (ABSENT.has(mark.code)) possible += 1;
  }
  return possible > 0 && attended * 100 < percent * possible;
}

type Criterion = (child: ScChildRecord) => boolean | Promise<boolean>;

const CRITERIA: Record<string, { worklist: Record<string, unknown>; matches: Criterion }> = {
  pepOverdue: { worklist: { pepOverdue: true }, matches: (c) => pep(c).status === 'OVERDUE' },
  pepDueWithin14: {
    worklist: { pepDueWithinDays: 14 },
    matches: (c) => {
      const { status, due } = pep(c);
      return status !== 'OVERDUE' && due !== null && due >= TODAY && due <= addDays(TODAY, 14);
    },
  },
  pepDueWithin60: {
    worklist: { pepDueWithinDays: 60 },
    matches: (c) => {
      const { status, due } = pep(c);
      return status !== 'OVERDUE' && due !== null && due >= TODAY && due <= addDays(TODAY, 60);
    },
  },
  attendanceThisTerm: {
    worklist: { attendanceBelowPercent: 90, attendancePeriod: 'THIS_TERM' },
    matches: (c) => attendanceBelow(c, 90, termOf(TODAY).start),
  },
  attendanceLastWeeks: {
    worklist: { attendanceBelowPercent: 85, attendancePeriod: 'LAST_WEEKS', attendanceWeeks: 3 },
    matches: (c) => attendanceBelow(c, 85, addDays(TODAY, -20)),
  },
  suspendedSince: {
    worklist: { suspendedSince: '2025-11-01' },
    matches: (c) =>
      (pupilOf(c)?.exclusions ?? []).some(
        (x) => x.category === 'FIXED' && x.start_date >= '2025-11-01' && x.start_date <= TODAY,
      ),
  },
  notOnRoll: {
    worklist: { notOnRoll: true },
    matches: (c) => {
      const age = schoolAge(c.DOB, TODAY);
      return age >= 4 && age <= 15 && schoolToday(c) === null;
    },
  },
  schoolMovedSince: {
    worklist: { schoolMovedSince: '2025-09-01' },
    matches: (c) => {
      const enrolments = (pupilOf(c)?.enrolments ?? []).filter(main);
      return enrolments.some(
        (joined) =>
          joined.entry_date >= '2025-09-01' &&
          joined.entry_date <= TODAY &&
          enrolments.some(
            (left) =>
              left.urn !== joined.urn &&
              left.leaving_date !== null &&
              left.leaving_date <= joined.entry_date,
          ),
      );
    },
  },
  noDesignatedTeacher: {
    worklist: { noDesignatedTeacher: true },
    matches: (c) => {
      const urn = schoolToday(c);
      return urn !== null && !register.has(urn);
    },
  },
  placementMovedSince: {
    worklist: { placementMovedSince: '2025-09-01' },
    // 903 reason for new episode: P, T, U and B are placement changes; S (started) is not.
    matches: (c) =>
      (c.episodes ?? []).some(
        (e) => ['P', 'T', 'U', 'B'].includes(e.RNE) && e.DECOM >= '2025-09-01' && e.DECOM <= TODAY,
      ),
  },
};

/** Who each persona sees (access.md scopes) among the current children. */
function inScope(persona: PersonaName): (child: ScChildRecord) => boolean {
  const p = system.world.personas.find((x) => x.name === persona)!;
  if (persona === 'vsh') return () => true;
  if (persona === 'vs-officer') return (c) => c.VS_CASEWORKER_ID === p.sub && !c.RESTRICTED;
  if (persona === 'designated-teacher') {
    return (c) =>
      !c.RESTRICTED &&
      (pupilOf(c)?.enrolments ?? []).some((e) => e.leaving_date === null && p.urns.includes(e.urn));
  }
  throw new Error(`no scope rule for ${persona} here`);
}

async function expectedIds(persona: PersonaName, criteria: Criterion[]): Promise<string[]> {
  const ids: string[] = [];
  for (const child of children.filter(inScope(persona))) {
    for (const criterion of criteria) {
      if (await criterion(child)) {
        ids.push(child.CHILD);
        break;
      }
    }
  }
  return ids.sort();
}

// ------------------------------------------------------------------ the graph's answers

const WORKLIST = /* GraphQL */ `
  query Worklist($worklist: WorklistFilter!, $first: Int, $after: String) {
    children(first: $first, after: $after, filter: { worklist: $worklist }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        worklistReasons
        node {
          id
          name {
            displayName
          }
          education {
            currentSchool {
              urn
            }
          }
        }
      }
    }
  }
`;

interface Answer {
  children: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{
      worklistReasons: string[] | null;
      node: {
        id: string;
        name: { displayName: string } | null;
        education: { currentSchool: { urn: string } | null } | null;
      };
    }>;
  };
}

async function worklistOf(
  persona: PersonaName,
  worklist: Record<string, unknown>,
  first = 500,
): Promise<{ edges: Answer['children']['edges']; totalCounts: number[] }> {
  const ask = await clientFor(system, persona);
  const edges: Answer['children']['edges'] = [];
  const totalCounts: number[] = [];
  let after: string | null = null;
  for (;;) {
    const result: GraphQLResult<Answer> = await ask<Answer>(WORKLIST, { worklist, first, after });
    expect(result.errors).toBeUndefined();
    edges.push(...result.data!.children.edges);
    totalCounts.push(result.data!.children.totalCount);
    if (!result.data!.children.pageInfo.hasNextPage) return { edges, totalCounts };
    after = result.data!.children.pageInfo.endCursor;
  }
}

const idsOf = (edges: Answer['children']['edges']) => edges.map((e) => e.node.id);

describe('each criterion lists exactly the children domain.md says, for the head', () => {
  it.each(Object.keys(CRITERIA))('%s', async (name) => {
    const { worklist, matches } = CRITERIA[name]!;
    const expected = await expectedIds('vsh', [matches]);
    const { edges, totalCounts } = await worklistOf('vsh', worklist);
    expect(idsOf(edges)).toEqual(expected);
    expect(totalCounts).toEqual([expected.length]);
    const reason = edges[0]?.worklistReasons;
    if (reason) expect(reason).toHaveLength(1);
  });

  it('finds someone for most criteria (the seeded world exercises them)', async () => {
    let nonEmpty = 0;
    for (const { matches } of Object.values(CRITERIA)) {
      if ((await expectedIds('vsh', [matches])).length > 0) nonEmpty += 1;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(7);
  });
});

describe("the officer's morning worklist", () => {
  const MORNING = {
    pepOverdue: true,
    pepDueWithinDays: 14,
    attendanceBelowPercent: 90,
    attendancePeriod: 'THIS_TERM',
    suspendedSince: '2026-02-03',
    notOnRoll: true,
  };
  const morningCriteria = (): Criterion[] => [
    CRITERIA.pepOverdue!.matches,
    CRITERIA.pepDueWithin14!.matches,
    CRITERIA.attendanceThisTerm!.matches,
    (c) =>
      (pupilOf(c)?.exclusions ?? []).some(
        (x) => x.category === 'FIXED' && x.start_date >= '2026-02-03' && x.start_date <= TODAY,
      ),
    CRITERIA.notOnRoll!.matches,
  ];

  it('is their caseload matching any criterion, paged with a consistent totalCount', async () => {
    const expected = await expectedIds('vs-officer', morningCriteria());
    expect(expected.length).toBeGreaterThan(0);
    const whole = await worklistOf('vs-officer', MORNING);
    expect(idsOf(whole.edges)).toEqual(expected);
    // In small pages: the same children, in the same order, every page counting them all.
    const paged = await worklistOf('vs-officer', MORNING, 3);
    expect(idsOf(paged.edges)).toEqual(expected);
    expect(new Set(paged.totalCounts)).toEqual(new Set([expected.length]));
    for (const edge of whole.edges) expect(edge.worklistReasons!.length).toBeGreaterThan(0);
  });

  it('as CSV is the same list: id, name, school URN and reasons', async () => {
    const { edges } = await worklistOf('vs-officer', MORNING);
    const query = new URLSearchParams(
      Object.entries(MORNING).map(([key, value]): [string, string] => [key, String(value)]),
    );
    const response = await fetch(
      `${system.urls.gateway.replace(/\/graphql$/, '')}/worklists/children.csv?${query}`,
      { headers: { authorization: `Bearer ${await system.tokenFor('vs-officer')}` } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('child_id,name,school_urn,reasons');
    // Audited as the officer's read, under the export's operation, with what it selected by.
    const officer = system.world.personas.find((p) => p.name === 'vs-officer')!;
    const audited = await system.stores.audit.query({ childId: edges[0]!.node.id, first: 100 });
    expect(
      audited.events.some(
        (event) =>
          event.actorSub === officer.sub &&
          event.operationName === 'ChildrenWorklistExport' &&
          event.categories.includes('PEP') &&
          event.categories.includes('EDU'),
      ),
    ).toBe(true);
    const csvCell = (text: string | null) =>
      text === null ? '' : /[",]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    expect(lines.slice(1)).toEqual(
      edges.map((edge) =>
        [
          edge.node.id,
          csvCell(edge.node.name?.displayName ?? null),
          edge.node.education?.currentSchool?.urn ?? '',
          edge.worklistReasons!.join(';'),
        ].join(','),
      ),
    );
  });

  it('the CSV refuses an unknown parameter and a bad value, and a teacher', async () => {
    const base = `${system.urls.gateway.replace(/\/graphql$/, '')}/worklists/children.csv`;
    const officer = { authorization: `Bearer ${await system.tokenFor('vs-officer')}` };
    expect((await fetch(`${base}?pepOverdue=yes`, { headers: officer })).status).toBe(400);
    expect((await fetch(`${base}?childName=x`, { headers: officer })).status).toBe(400);
    const tooMany = await fetch(`${base}?pepDueWithinDays=61`, { headers: officer });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(await tooMany.json())).toContain('filter.worklist.pepDueWithinDays');
    const teacher = await fetch(`${base}?pepOverdue=true`, {
      headers: { authorization: `Bearer ${await system.tokenFor('teacher-ntk')}` },
    });
    expect(teacher.status).toBe(403);
    expect((await fetch(`${base}?pepOverdue=true`)).status).toBe(401);
  });
});

describe('who may ask', () => {
  it('refuses a teacher with FORBIDDEN naming the argument, and runs nothing', async () => {
    const ask = await clientFor(system, 'teacher-ntk');
    await resetUpstreamCounters(system);
    const result = await ask(WORKLIST, { worklist: { pepOverdue: true, notOnRoll: true } });
    expect(result.data?.children ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(result.errors?.[0]?.message).toContain('`filter.worklist.pepOverdue`');
    expect(result.errors?.[0]?.message).toContain('`filter.worklist.notOnRoll`');
    const stats = await upstreamStats(system);
    expect(stats.education.byRoute['POST /v1/students/batch'] ?? 0).toBe(0);
  });

  it('refuses bad values with BAD_USER_INPUT naming the field', async () => {
    const ask = await clientFor(system, 'vsh');
    for (const [worklist, field] of [
      [{ pepDueWithinDays: 0 }, 'pepDueWithinDays'],
      [{ attendanceBelowPercent: 101 }, 'attendanceBelowPercent'],
      [{ attendanceBelowPercent: 90, attendancePeriod: 'LAST_WEEKS' }, 'attendanceWeeks'],
      [{ suspendedSince: '2026-13-01' }, 'suspendedSince'],
    ] as const) {
      const result = await ask(WORKLIST, { worklist });
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toContain(`\`filter.worklist.${field}\``);
    }
  });

  it('gives a designated teacher filtering by placement moves only children on their roll', async () => {
    const { worklist, matches } = CRITERIA.placementMovedSince!;
    const expected = await expectedIds('designated-teacher', [matches]);
    const { edges, totalCounts } = await worklistOf('designated-teacher', worklist);
    expect(idsOf(edges)).toEqual(expected);
    expect(totalCounts).toEqual([expected.length]);
    const everyone = idsOf((await worklistOf('vsh', worklist)).edges);
    expect(everyone.length).toBeGreaterThan(expected.length);
    for (const id of expected) expect(everyone).toContain(id);
  });
});

/** Only the worklist's own reads: no field of another subgraph. */
const IDS_ONLY = /* GraphQL */ `
  query WorklistIds($worklist: WorklistFilter!) {
    children(first: 500, filter: { worklist: $worklist }) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
  }
`;

describe('upstream requests', () => {
  it('reads education facts in batches, the register once, and marks only for an attendance criterion', async () => {
    const ask = await clientFor(system, 'vsh');
    await resetUpstreamCounters(system);
    const everything = {
      pepOverdue: true,
      suspendedSince: '2025-11-01',
      notOnRoll: true,
      schoolMovedSince: '2025-09-01',
      noDesignatedTeacher: true,
      placementMovedSince: '2025-09-01',
    };
    expect((await ask(IDS_ONLY, { worklist: everything })).errors).toBeUndefined();
    const withoutMarks = await upstreamStats(system);
    const real = children.filter((c) => REAL_UPN.test(c.UPN)).length;
    expect(withoutMarks.education.byRoute['POST /v1/students/batch']).toBe(Math.ceil(real / 500));
    expect(withoutMarks.education.byRoute['GET /v1/designated-teachers']).toBeGreaterThanOrEqual(1);
    expect(withoutMarks.education.byRoute['POST /v1/attendance/sessions/batch'] ?? 0).toBe(0);

    await resetUpstreamCounters(system);
    expect(
      (await ask(IDS_ONLY, { worklist: { attendanceBelowPercent: 90 } })).errors,
    ).toBeUndefined();
    const withMarks = await upstreamStats(system);
    const held = children.filter((c) => {
      const pupil = pupilOf(c);
      return pupil !== null && pupil.coverage.source !== 'NO_RETURN';
    }).length;
    // One request per 500 pupils whose attendance is held, never one per pupil.
    expect(withMarks.education.byRoute['POST /v1/attendance/sessions/batch']).toBe(
      Math.ceil(held / 500),
    );
    expect(withMarks.education.byRoute['GET /v1/students/:upn/attendance/sessions'] ?? 0).toBe(0);
  });
});
