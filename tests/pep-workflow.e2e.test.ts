/**
 * The PEP workflow through the whole graph (issue 14): a PEP meeting from draft to quality
 * assurance written back to the simulated case system, with CLA Graph's history of each change;
 * who may make each change (access.md's "may change": the Virtual School officer for the
 * children on their caseload, the head for a PEP's status), refused for everyone else with
 * nothing changed; validation that names every bad field and changes nothing; idempotency; and
 * the child's PEP status and the cohort report's "PEP in date" following a completion at once.
 *
 * The report cache is off here (REPORT_CACHE_TTL_MS=0): with the default, the head's cohort
 * report is served from cache for up to a minute after a completion (see the README).
 */
import { randomUUID } from 'node:crypto';
import type { PersonaName } from '../simulators/seed/world';
import type { RunningSystem } from '../system/start-system';
import { clientFor, resetUpstreamCounters, startTestSystem, upstreamStats } from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem({ env: { REPORT_CACHE_TTL_MS: '0' } });
});

afterAll(async () => {
  await system?.close();
});

type Result<T> = Awaited<ReturnType<Awaited<ReturnType<typeof clientFor>>>> & { data?: T | null };

const as = async (persona: PersonaName) => clientFor(system, persona);

const PEP_FIELDS = /* GraphQL */ `
  id
  status
  version
  meetingDate
  completedOn
  childViews
  strengths
  barriers
  attendees { name role }
  signOff { role name signedOn }
  qualityAssurance { rating reasons ratedBy ratedOn }
  targets {
    id area description successMeasure owner reviewDate
    pupilPremiumPlusRequested { pence }
    review { outcome comment reviewedOn reviewedAtPepId }
  }
  changes { action changedBy changedAt }
`;

interface PepShape {
  id: string;
  status: string;
  version: number;
  meetingDate: string;
  completedOn: string | null;
  childViews: string | null;
  attendees: Array<{ name: string; role: string }>;
  signOff: Array<{ role: string; name: string; signedOn: string }>;
  qualityAssurance: { rating: string; reasons: string; ratedBy: string; ratedOn: string } | null;
  targets: Array<{
    id: string;
    area: string;
    successMeasure: string | null;
    owner: string | null;
    reviewDate: string | null;
    pupilPremiumPlusRequested: { pence: number };
    review: {
      outcome: string;
      comment: string;
      reviewedOn: string;
      reviewedAtPepId: string;
    } | null;
  }>;
  changes: Array<{ action: string; changedBy: string; changedAt: string }> | null;
}

type ChangeData = Record<string, { changed: boolean; pep: PepShape } | null>;

const MUTATIONS = {
  create: /* GraphQL */ `mutation ($input: CreatePepDraftInput!) {
    createPepDraft(input: $input) { changed pep { ${PEP_FIELDS} } } }`,
  update: /* GraphQL */ `mutation ($input: UpdatePepDraftInput!) {
    updatePepDraft(input: $input) { changed pep { ${PEP_FIELDS} } } }`,
  review: /* GraphQL */ `mutation ($input: ReviewPepTargetsInput!) {
    reviewPepTargets(input: $input) { changed pep { ${PEP_FIELDS} } } }`,
  complete: /* GraphQL */ `mutation ($input: CompletePepInput!) {
    completePep(input: $input) { changed pep { ${PEP_FIELDS} } } }`,
  qa: /* GraphQL */ `mutation ($input: QualityAssurePepInput!) {
    qualityAssurePep(input: $input) { changed pep { ${PEP_FIELDS} } } }`,
} as const;
type Step = keyof typeof MUTATIONS;
const FIELD: Record<Step, string> = {
  create: 'createPepDraft',
  update: 'updatePepDraft',
  review: 'reviewPepTargets',
  complete: 'completePep',
  qa: 'qualityAssurePep',
};

async function run(persona: PersonaName, step: Step, input: Record<string, unknown>) {
  const client = await as(persona);
  const result = (await client<ChangeData>(MUTATIONS[step], { input })) as Result<ChangeData>;
  return { result, answer: result.data?.[FIELD[step]] ?? null };
}

const TODAY = '2026-02-10';

const draftContent = (overrides: Record<string, unknown> = {}) => ({
  meetingDate: '2026-02-09',
  schoolUrn: null,
  attendees: [
    { name: 'The child', role: 'CHILD' },
    { name: 'Mr D Teacher', role: 'DESIGNATED_TEACHER' },
    { name: 'Ms S Worker', role: 'SOCIAL_WORKER' },
  ],
  childViews: 'I like art and I want help with maths.',
  strengths: 'Settled placement.',
  barriers: 'Gaps in maths after a school move.',
  supportStrategies: ['Seat near the front'],
  targets: [
    {
      area: 'Maths',
      description: 'Weekly tuition on fractions',
      successMeasure: 'Secure fractions in the end-of-term test',
      owner: 'Designated teacher',
      reviewDate: '2026-04-30',
      pupilPremiumPlusRequestedPence: 45_000,
    },
  ],
  ...overrides,
});

const signOff = [
  { role: 'DESIGNATED_TEACHER', name: 'Mr D Teacher', signedOn: '2026-02-09' },
  { role: 'SOCIAL_WORKER', name: 'Ms S Worker', signedOn: TODAY },
];

const CHILD_PEP = /* GraphQL */ `query ($id: ID!) {
  child(id: $id) { id pep { status current { id } history { ${PEP_FIELDS} } } } }`;
interface ChildPepData {
  child: {
    id: string;
    pep: { status: string; current: { id: string } | null; history: PepShape[] };
  } | null;
}

/** The child's PEPs as the head reads them (everything the case system holds). */
async function pepsOf(childId: string) {
  const vsh = await as('vsh');
  const result = await vsh<ChildPepData>(CHILD_PEP, { id: childId });
  expect(result.errors).toBeUndefined();
  return result.data!.child!.pep;
}

const REPORT = /* GraphQL */ `
  query {
    cohortReport(filter: { academicYear: "2025/26" }) {
      total {
        measures {
          measure
          lookedAfter {
            numerator
            denominator
          }
        }
      }
    }
  }
`;
interface ReportData {
  cohortReport: {
    total: {
      measures: Array<{
        measure: string;
        lookedAfter: { numerator: number | null; denominator: number | null };
      }>;
    };
  };
}

async function pepInDate() {
  const result = await (await as('vsh'))<ReportData>(REPORT);
  expect(result.errors).toBeUndefined();
  const measure = result.data!.cohortReport.total.measures.find((m) => m.measure === 'PEP_IN_DATE');
  return measure!.lookedAfter;
}

const officer = () => system.world.personas.find((p) => p.name === 'vs-officer')!;
const currentIds = () =>
  new Set(system.world.socialCare.episodes.filter((e) => e.DEC === null).map((e) => e.CHILD));

/** Current, unrestricted children on the officer's caseload, with no draft PEP held. */
function caseload(): string[] {
  const open = currentIds();
  const drafts = new Set(
    system.world.socialCare.peps.filter((p) => p.STATUS === 'DRAFT').map((p) => p.CHILD),
  );
  return system.world.socialCare.children
    .filter(
      (c) =>
        c.VS_CASEWORKER_ID === officer().sub &&
        open.has(c.CHILD) &&
        !c.RESTRICTED &&
        !drafts.has(c.CHILD),
    )
    .map((c) => c.CHILD);
}

/** The latest completed PEP of a child, in the seeded world. */
function lastCompleted(childId: string) {
  return system.world.socialCare.peps
    .filter((p) => p.CHILD === childId && p.STATUS !== 'DRAFT' && p.MEETING_DATE <= TODAY)
    .sort((a, b) => b.MEETING_DATE.localeCompare(a.MEETING_DATE))[0];
}

/** Requests the case system served on its PEP write routes since the last reset. */
async function pepWrites(): Promise<number> {
  const stats = await upstreamStats(system);
  return Object.entries(stats.socialCare.byRoute)
    .filter(([route]) => /pep/i.test(route) && !/^GET/i.test(route))
    .reduce((sum, [, count]) => sum + count, 0);
}

const codeOf = (result: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
  result.errors?.[0]?.extensions?.code;

describe('a PEP meeting end to end', () => {
  it('drafts, updates, reviews last term’s targets, completes and quality-assures, each change once in the history; status and PEP in date follow at once', async () => {
    // An OVERDUE child of the officer's of school age: completing a PEP puts them in date.
    const vso = await as('vs-officer');
    const overdue = await vso<{
      children: { edges: Array<{ node: { id: string; age: number } }> };
    }>(/* GraphQL */ `
      query {
        children(first: 200, filter: { worklist: { pepOverdue: true } }) {
          edges {
            node {
              id
              age
            }
          }
        }
      }
    `);
    expect(overdue.errors).toBeUndefined();
    // (The other tests take the first few children of the caseload.)
    const eligible = new Set(caseload().slice(8));
    const childId = overdue.data!.children.edges.find(
      (edge) =>
        eligible.has(edge.node.id) &&
        edge.node.age >= 6 &&
        edge.node.age <= 15 &&
        lastCompleted(edge.node.id) !== undefined,
    )!.node.id;
    const earlier = lastCompleted(childId)!;
    const before = await pepsOf(childId);
    expect(before.status).toBe('OVERDUE');
    const inDateBefore = await pepInDate();

    // 1. The draft, and the same request again: one draft.
    await resetUpstreamCounters(system);
    const requestId = randomUUID();
    const created = await run('vs-officer', 'create', {
      requestId,
      childId,
      ...draftContent(),
    });
    expect(created.result.errors).toBeUndefined();
    expect(created.answer!.changed).toBe(true);
    const draft = created.answer!.pep;
    expect(draft).toMatchObject({
      status: 'DRAFT',
      version: 1,
      meetingDate: '2026-02-09',
      childViews: 'I like art and I want help with maths.',
      attendees: expect.arrayContaining([{ name: 'Mr D Teacher', role: 'DESIGNATED_TEACHER' }]),
      targets: [
        {
          area: 'Maths',
          successMeasure: 'Secure fractions in the end-of-term test',
          owner: 'Designated teacher',
          reviewDate: '2026-04-30',
          pupilPremiumPlusRequested: { pence: 45_000 },
          review: null,
        },
      ],
      changes: [{ action: 'CREATE_DRAFT', changedBy: officer().sub }],
    });
    // (The counter the refusal tests read sees a real write.)
    expect(await pepWrites()).toBe(1);
    const again = await run('vs-officer', 'create', { requestId, childId, ...draftContent() });
    expect(again.result.errors).toBeUndefined();
    expect(again.answer).toMatchObject({ changed: false, pep: { id: draft.id, version: 1 } });
    expect((await pepsOf(childId)).history.filter((p) => p.status === 'DRAFT')).toHaveLength(1);

    // A draft does not count: still overdue.
    expect((await pepsOf(childId)).status).toBe('OVERDUE');

    // 2. The draft updated (a second target), then the same content again: one change.
    const updateInput = {
      pepId: draft.id,
      version: 1,
      ...draftContent({
        targets: [
          { id: draft.targets[0]!.id, ...draftContent().targets[0] },
          {
            area: 'Wellbeing',
            description: 'Join a lunchtime club',
            successMeasure: 'Goes to the club most weeks this term',
            owner: 'Carer',
            reviewDate: '2026-03-27',
          },
        ],
      }),
    };
    const updated = await run('vs-officer', 'update', updateInput);
    expect(updated.result.errors).toBeUndefined();
    expect(updated.answer).toMatchObject({ changed: true, pep: { version: 2 } });
    expect(updated.answer!.pep.targets.map((t) => t.area)).toEqual(['Maths', 'Wellbeing']);
    expect(updated.answer!.pep.targets[0]!.id).toBe(draft.targets[0]!.id);
    // The same request again (a retry): applied once.
    const retried = await run('vs-officer', 'update', updateInput);
    expect(retried.result.errors).toBeUndefined();
    expect(retried.answer).toMatchObject({ changed: false, pep: { version: 2 } });
    // The same content at the new version (every target by its id): nothing to change.
    const [maths, wellbeing] = updated.answer!.pep.targets;
    const sameUpdate = await run('vs-officer', 'update', {
      ...updateInput,
      version: 2,
      targets: [
        { ...updateInput.targets[0], id: maths!.id },
        { ...updateInput.targets[1], id: wellbeing!.id },
      ],
    });
    expect(sameUpdate.result.errors).toBeUndefined();
    expect(sameUpdate.answer).toMatchObject({ changed: false, pep: { version: 2 } });
    // A stale version is refused, saying why, and changes nothing.
    const stale = await run('vs-officer', 'update', {
      ...updateInput,
      version: 1,
      barriers: 'Something else',
    });
    expect(codeOf(stale.result)).toBe('BAD_USER_INPUT');
    expect(stale.result.errors![0]!.message).toMatch(/changed since|version|read it again/i);

    // 3. Last completed PEP's targets reviewed at this meeting; again: no change.
    const reviewInput = {
      pepId: earlier.PEP_ID,
      atPepId: draft.id,
      reviewedOn: '2026-02-09',
      reviews: earlier.TARGETS.map((target, index) => ({
        targetId: target.TARGET_ID,
        outcome: index === 0 ? 'MET' : 'PARTLY_MET',
        comment: `Reviewed at the spring meeting (${index + 1}).`,
      })),
    };
    const reviewed = await run('vs-officer', 'review', reviewInput);
    expect(reviewed.result.errors).toBeUndefined();
    expect(reviewed.answer!.changed).toBe(true);
    expect(reviewed.answer!.pep.id).toBe(earlier.PEP_ID);
    expect(reviewed.answer!.pep.targets[0]!.review).toEqual({
      outcome: 'MET',
      comment: 'Reviewed at the spring meeting (1).',
      reviewedOn: '2026-02-09',
      reviewedAtPepId: draft.id,
    });
    expect((await run('vs-officer', 'review', reviewInput)).answer!.changed).toBe(false);

    // 4. Completed and signed off by the officer: it counts at once.
    const completeInput = { pepId: draft.id, completedOn: TODAY, signOff };
    const completed = await run('vs-officer', 'complete', completeInput);
    expect(completed.result.errors).toBeUndefined();
    expect(completed.answer).toMatchObject({
      changed: true,
      pep: {
        status: 'COMPLETE',
        completedOn: TODAY,
        signOff: [
          { role: 'DESIGNATED_TEACHER', name: 'Mr D Teacher' },
          { role: 'SOCIAL_WORKER', name: 'Ms S Worker' },
        ],
      },
    });
    expect((await run('vs-officer', 'complete', completeInput)).answer!.changed).toBe(false);
    const after = await pepsOf(childId);
    expect(after.status).toBe('CURRENT');
    expect(after.current!.id).toBe(draft.id);
    const inDateAfter = await pepInDate();
    expect(inDateAfter.denominator).toBe(inDateBefore.denominator);
    expect(inDateAfter.numerator).toBe(inDateBefore.numerator! + 1);

    // 5. Quality-assured by the head: GREEN approves; again: no change.
    const qaInput = {
      pepId: draft.id,
      rating: 'GREEN',
      reasons: 'SMART targets; the child’s voice is clear.',
    };
    const assured = await run('vsh', 'qa', qaInput);
    expect(assured.result.errors).toBeUndefined();
    const head = system.world.personas.find((p) => p.name === 'vsh')!;
    expect(assured.answer).toMatchObject({
      changed: true,
      pep: {
        status: 'QA_APPROVED',
        qualityAssurance: { rating: 'GREEN', ratedBy: head.sub, ratedOn: TODAY },
      },
    });
    expect((await run('vsh', 'qa', qaInput)).answer!.changed).toBe(false);
    expect((await pepsOf(childId)).status).toBe('CURRENT');

    // The history: each change once, who and when, in the graph and in the store.
    const final = (await pepsOf(childId)).history.find((p) => p.id === draft.id)!;
    expect(final.changes!.map((c) => [c.action, c.changedBy])).toEqual([
      ['CREATE_DRAFT', officer().sub],
      ['UPDATE_DRAFT', officer().sub],
      ['COMPLETE', officer().sub],
      ['QUALITY_ASSURE', head.sub],
    ]);
    const reviewedPep = (await pepsOf(childId)).history.find((p) => p.id === earlier.PEP_ID)!;
    expect(reviewedPep.changes!.map((c) => c.action)).toEqual(['REVIEW_TARGETS']);
    const stored = (await system.stores.pepHistory.historyFor([draft.id])).get(draft.id)!;
    expect(stored.map((c) => c.action)).toEqual([
      'CREATE_DRAFT',
      'UPDATE_DRAFT',
      'COMPLETE',
      'QUALITY_ASSURE',
    ]);
    expect(stored[0]).toMatchObject({
      childId,
      actorSub: officer().sub,
      actorRoles: ['virtual-school-officer'],
      before: null,
      after: { PEP_ID: draft.id, STATUS: 'DRAFT', VERSION: 1 },
    });
    expect(stored[0]!.requestId).toEqual(expect.any(String));
    expect(stored[2]).toMatchObject({
      before: { STATUS: 'DRAFT', VERSION: 2 },
      after: { STATUS: 'COMPLETE', COMPLETED_ON: TODAY },
    });
    expect(stored[3]).toMatchObject({
      actorSub: head.sub,
      actorRoles: ['virtual-school-head'],
      before: { STATUS: 'COMPLETE', QA: null },
      after: { STATUS: 'QA_APPROVED', QA: { RATING: 'GREEN' } },
    });

    // The access log has the child and PEP for each change.
    const events = (await system.stores.audit.query({ childId, first: 100 })).events;
    const mutations = events.filter((event) => event.operationType === 'mutation');
    expect(mutations.length).toBeGreaterThanOrEqual(5);
    expect(mutations.every((event) => event.categories.includes('PEP'))).toBe(true);
  });

  it('RED returns a completed PEP: it stays COMPLETE, rated RED', async () => {
    const childId = caseload()[1]!;
    const created = await run('vs-officer', 'create', {
      requestId: randomUUID(),
      childId,
      ...draftContent(),
    });
    const pepId = created.answer!.pep.id;
    await run('vs-officer', 'complete', { pepId, completedOn: TODAY, signOff });
    const returned = await run('vs-officer', 'qa', {
      pepId,
      rating: 'RED',
      reasons: 'Targets are not measurable.',
    });
    expect(returned.result.errors).toBeUndefined();
    expect(returned.answer!.pep).toMatchObject({
      status: 'COMPLETE',
      qualityAssurance: { rating: 'RED', reasons: 'Targets are not measurable.' },
    });
  });
});

describe('who may make each change', () => {
  /** A draft and a completed PEP of a child on the officer's caseload, for the refusals. */
  let childId: string;
  let draftId: string;
  let completedId: string;
  let earlierId: string;
  let inputs: Record<Step, Record<string, unknown>>;

  beforeAll(async () => {
    childId = caseload()[2]!;
    const made = await run('vs-officer', 'create', {
      requestId: randomUUID(),
      childId,
      ...draftContent(),
    });
    expect(made.result.errors).toBeUndefined();
    draftId = made.answer!.pep.id;
    earlierId = lastCompleted(childId)!.PEP_ID;
    completedId = earlierId;
    inputs = {
      create: { requestId: randomUUID(), childId, ...draftContent() },
      update: { pepId: draftId, version: 1, ...draftContent({ strengths: 'Changed' }) },
      review: {
        pepId: earlierId,
        atPepId: draftId,
        reviewedOn: '2026-02-09',
        reviews: [
          {
            targetId: lastCompleted(childId)!.TARGETS[0]!.TARGET_ID,
            outcome: 'NOT_MET',
            comment: 'Not yet.',
          },
        ],
      },
      complete: { pepId: draftId, completedOn: TODAY, signOff },
      qa: { pepId: completedId, rating: 'AMBER', reasons: 'Some targets need measures.' },
    };
  });

  const REFUSED: PersonaName[] = [
    'designated-teacher',
    'social-worker',
    'teacher',
    'teacher-ntk',
    'finance-officer',
    'governor',
    'analyst',
    'placing-authority',
    'auditor',
  ];

  it.each(REFUSED)(
    '%s is refused every step (FORBIDDEN), and nothing changes upstream or in the history',
    async (persona) => {
      const before = await pepsOf(childId);
      await resetUpstreamCounters(system);
      for (const step of Object.keys(MUTATIONS) as Step[]) {
        const { result, answer } = await run(persona, step, inputs[step]);
        expect([step, codeOf(result)]).toEqual([step, 'FORBIDDEN']);
        expect(answer).toBeNull();
      }
      expect(await pepWrites()).toBe(0);
      expect(await pepsOf(childId)).toEqual(before);
    },
  );

  it('the head may complete and quality-assure (PEP status) but not write a PEP’s content', async () => {
    const before = await pepsOf(childId);
    await resetUpstreamCounters(system);
    for (const step of ['create', 'update', 'review'] as const) {
      const { result } = await run('vsh', step, inputs[step]);
      expect([step, codeOf(result)]).toEqual([step, 'FORBIDDEN']);
    }
    expect(await pepWrites()).toBe(0);
    expect(await pepsOf(childId)).toEqual(before);
  });

  it('an officer is answered for a child not on their caseload exactly as for no child at all', async () => {
    const open = currentIds();
    const other = system.world.socialCare.children.find(
      (c) => c.VS_CASEWORKER_ID !== officer().sub && open.has(c.CHILD) && !c.RESTRICTED,
    )!;
    const otherPep = lastCompleted(other.CHILD)!;
    const before = await pepsOf(other.CHILD);
    await resetUpstreamCounters(system);

    const notMine = await run('vs-officer', 'create', {
      requestId: randomUUID(),
      childId: other.CHILD,
      ...draftContent(),
    });
    const nobody = await run('vs-officer', 'create', {
      requestId: randomUUID(),
      childId: '9999999',
      ...draftContent(),
    });
    expect(codeOf(notMine.result)).toBe('NOT_FOUND');
    expect(notMine.result.errors![0]!.message).toBe(nobody.result.errors![0]!.message);
    expect(codeOf(nobody.result)).toBe('NOT_FOUND');

    const qaNotMine = await run('vs-officer', 'qa', {
      pepId: otherPep.PEP_ID,
      rating: 'GREEN',
      reasons: 'Fine.',
    });
    const qaNobody = await run('vs-officer', 'qa', {
      pepId: 'PEP9999999',
      rating: 'GREEN',
      reasons: 'Fine.',
    });
    expect(codeOf(qaNotMine.result)).toBe('NOT_FOUND');
    expect(qaNotMine.result.errors![0]!.message).toBe(qaNobody.result.errors![0]!.message);

    expect(await pepWrites()).toBe(0);
    expect(await pepsOf(other.CHILD)).toEqual(before);
    expect(
      (await system.stores.pepHistory.historyFor([otherPep.PEP_ID])).get(otherPep.PEP_ID),
    ).toEqual([]);
  });

  it('a teacher still sees only the shared support strategies of a PEP', async () => {
    const teacher = system.world.personas.find((p) => p.name === 'teacher-ntk')!;
    const granted = system.world.needToKnow.find((g) => g.staffId === teacher.sub)!;
    const result = await (
      await as('teacher-ntk')
    )<{
      child: { sharedSupportStrategies: string[] | null; pep: unknown } | null;
    }>(`query ($id: ID!) { child(id: $id) { sharedSupportStrategies pep { status } } }`, {
      id: granted.childId,
    });
    expect(result.data!.child!.pep).toBeNull();
    expect(result.data!.child!.sharedSupportStrategies).toEqual(expect.any(Array));
    expect(result.errors!.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
      ['child.pep', 'FORBIDDEN'],
    ]);
  });
});

describe('input', () => {
  it('names every bad field of a draft in one BAD_USER_INPUT, before anything is read or written', async () => {
    const childId = caseload()[3]!;
    const before = await pepsOf(childId);
    await resetUpstreamCounters(system);
    const { result } = await run('vs-officer', 'create', {
      requestId: 'not-a-uuid',
      childId,
      ...draftContent({
        meetingDate: '2026-02-30',
        schoolUrn: '12345',
        attendees: [{ name: '  ', role: 'CHILD' }],
        childViews: 'x'.repeat(4001),
        targets: [
          {
            area: 'Maths',
            description: 'Tuition',
            successMeasure: '',
            reviewDate: '2025-01-01',
            pupilPremiumPlusRequestedPence: 999_999,
          },
        ],
      }),
    });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors).toHaveLength(1);
    const message = result.errors![0]!.message;
    for (const field of [
      'requestId',
      'meetingDate',
      'schoolUrn',
      'attendees[0].name',
      'childViews',
      'targets[0].successMeasure',
      'targets[0].owner',
      'targets[0].reviewDate',
      'targets[0].pupilPremiumPlusRequestedPence',
    ]) {
      expect([field, message.includes(`\`${field}\``)]).toEqual([field, true]);
    }
    // Nothing was asked of any council system, and nothing changed.
    const stats = await upstreamStats(system);
    expect(stats.socialCare.requests).toBe(0);
    expect(await pepsOf(childId)).toEqual(before);
  });

  it('refuses no targets and more than ten, and a completion without both sign-offs or in the future', async () => {
    const childId = caseload()[3]!;
    const none = await run('vs-officer', 'create', {
      requestId: randomUUID(),
      childId,
      ...draftContent({ targets: [] }),
    });
    expect(none.result.errors![0]!.message).toContain('`targets`');
    const eleven = await run('vs-officer', 'create', {
      requestId: randomUUID(),
      childId,
      ...draftContent({ targets: Array.from({ length: 11 }, () => draftContent().targets[0]) }),
    });
    expect(eleven.result.errors![0]!.message).toContain('`targets`');

    const complete = await run('vs-officer', 'complete', {
      pepId: 'PEP9999999',
      completedOn: '2026-03-01',
      signOff: [{ role: 'DESIGNATED_TEACHER', name: '', signedOn: '2026-02-01' }],
    });
    expect(codeOf(complete.result)).toBe('BAD_USER_INPUT');
    const message = complete.result.errors![0]!.message;
    for (const field of ['completedOn', 'signOff', 'signOff[0].name']) {
      expect([field, message.includes(`\`${field}\``)]).toEqual([field, true]);
    }
    expect(message).toContain('SOCIAL_WORKER');

    const qa = await run('vsh', 'qa', { pepId: 'bad id!', rating: 'GREEN', reasons: ' ' });
    expect(qa.result.errors![0]!.message).toMatch(/`pepId`.*`reasons`/);
  });

  it('a request id is one draft of one child: reused for another child it is refused', async () => {
    const [first, second] = caseload().slice(4, 6) as [string, string];
    const requestId = randomUUID();
    const made = await run('vs-officer', 'create', {
      requestId,
      childId: first,
      ...draftContent(),
    });
    expect(made.result.errors).toBeUndefined();
    const reused = await run('vs-officer', 'create', {
      requestId,
      childId: second,
      ...draftContent(),
    });
    expect(codeOf(reused.result)).toBe('BAD_USER_INPUT');
    expect(reused.result.errors![0]!.message).toContain('`requestId`');
    expect((await pepsOf(second)).history.some((p) => p.id === made.answer!.pep.id)).toBe(false);
  });

  it('the case system’s refusal reaches the caller as BAD_USER_INPUT, with no history written', async () => {
    // A draft with no attendee cannot be completed (the case system's rule).
    const childId = caseload()[6]!;
    const made = await run('vs-officer', 'create', {
      requestId: randomUUID(),
      childId,
      ...draftContent({ attendees: [] }),
    });
    expect(made.result.errors).toBeUndefined();
    const pepId = made.answer!.pep.id;
    const refused = await run('vs-officer', 'complete', { pepId, completedOn: TODAY, signOff });
    expect(codeOf(refused.result)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(refused.result.errors)).not.toMatch(/http|api\/v1|stack/i);
    const history = (await system.stores.pepHistory.historyFor([pepId])).get(pepId)!;
    expect(history.map((c) => c.action)).toEqual(['CREATE_DRAFT']);
    expect((await pepsOf(childId)).history.find((p) => p.id === pepId)!.status).toBe('DRAFT');
  });
});
