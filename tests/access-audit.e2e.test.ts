/**
 * Every read of a child's record is written to the access log before the data leaves the
 * graph: one event per child, naming the categories returned, all of a request's events in
 * one insert; and when the log cannot be written, the read fails and no child data leaves.
 */
import type { AuditEventInput } from '../stores/audit/types';
import type { RunningSystem } from '../system/start-system';
import { clientFor, startTestSystem } from './support/system';

let system: RunningSystem;
let appends: number;
let failNextAppend = false;

beforeAll(async () => {
  system = await startTestSystem();
  // Count (and, when asked, fail) the gateway's writes to the real store.
  const store = system.stores.audit;
  const append = store.append.bind(store);
  store.append = async (events: readonly AuditEventInput[]) => {
    appends += 1;
    if (failNextAppend) {
      failNextAppend = false;
      throw new Error('database unavailable');
    }
    return append(events);
  };
});

beforeEach(() => {
  appends = 0;
});

afterAll(async () => {
  await system?.close();
});

async function eventsFor(childId: string) {
  return (await system.stores.audit.query({ childId, first: 100 })).events;
}

function currentChildIds(): string[] {
  const open = new Set(
    system.world.socialCare.episodes.filter((e) => e.DEC === null).map((e) => e.CHILD),
  );
  return system.world.socialCare.children
    .filter((c) => open.has(c.CHILD) && !c.RESTRICTED)
    .map((c) => c.CHILD);
}

describe('the access log', () => {
  it('records one event for a read of one child, with the categories returned, the caller and the purpose', async () => {
    const id = currentChildIds()[3]!;
    const before = (await eventsFor(id)).length;
    const asVsh = await clientFor(system, 'vsh');
    const token = await system.tokenFor('vsh');
    const response = await fetch(system.urls.gateway, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token}`,
        'X-Purpose': 'PEP review preparation',
      },
      body: JSON.stringify({
        query: `query ReadForPep($id: ID!) { child(id: $id) { name { displayName } careStatus { legalStatus { code } } education { yearGroup } } }`,
        variables: { id },
      }),
    });
    expect(response.status).toBe(200);
    expect(appends).toBe(1);
    const events = await eventsFor(id);
    expect(events).toHaveLength(before + 1);
    const vsh = system.world.personas.find((p) => p.name === 'vsh')!;
    expect(events[0]).toMatchObject({
      actorSub: vsh.sub,
      actorRoles: ['virtual-school-head'],
      actorLa: '340',
      childId: id,
      operationName: 'ReadForPep',
      operationType: 'query',
      purpose: 'PEP review preparation',
      outcome: 'ALLOWED',
    });
    // id is the join key the gateway asks education for; name is ID_BASIC.
    expect([...events[0]!.categories].sort()).toEqual(['CARE', 'EDU', 'ID_BASIC']);
    expect(events[0]!.requestId).toBe(response.headers.get('x-request-id'));
    void asVsh;
  });

  it('logs only what the role could read: a refused field is not logged as read', async () => {
    const teacher = system.world.personas.find((p) => p.name === 'teacher-ntk')!;
    const childId = system.world.needToKnow.find((g) => g.staffId === teacher.sub)!.childId;
    const asTeacher = await clientFor(system, 'teacher-ntk');
    const result = await asTeacher(
      `query ($id: ID!) { child(id: $id) { name { displayName } yearGroup careStatus { uasc } } }`,
      { id: childId },
    );
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const [latest] = await eventsFor(childId);
    expect(latest!.actorSub).toBe(teacher.sub);
    expect([...latest!.categories].sort()).toEqual(['CLASSROOM', 'ID_BASIC']);
  });

  it('writes a page of 100 children in one insert, one event per child', async () => {
    const asVsh = await clientFor(system, 'vsh');
    const result = await asVsh<{ children: { edges: Array<{ node: { id: string } }> } }>(
      `query PageForAudit { children(first: 100) { edges { node { id name { displayName } pupilPremiumPlus { financialYear } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(appends).toBe(1);
    const ids = result.data!.children.edges.map((e) => e.node.id);
    expect(ids).toHaveLength(100);
    for (const id of [ids[0]!, ids[57]!, ids[99]!]) {
      const [latest] = await eventsFor(id);
      expect(latest!.operationName).toBe('PageForAudit');
    }
  });

  it('fails the read, with no child data, when the log cannot be written', async () => {
    const id = currentChildIds()[5]!;
    const before = (await eventsFor(id)).length;
    failNextAppend = true;
    const asVsh = await clientFor(system, 'vsh');
    const result = await asVsh(`query ($id: ID!) { child(id: $id) { name { displayName } } }`, {
      id,
    });
    expect(result.status).toBe(503);
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toEqual([
      {
        message: 'The access log could not be written, so no data was returned; try again later.',
        extensions: { code: 'AUDIT_UNAVAILABLE' },
      },
    ]);
    expect(JSON.stringify(result)).not.toContain(
      system.world.socialCare.children.find((c) => c.CHILD === id)!.SURNAME,
    );
    expect(await eventsFor(id)).toHaveLength(before);
  });

  it('writes nothing when nothing about a child was returned', async () => {
    const asVsh = await clientFor(system, 'vsh');
    const result = await asVsh(`{ child(id: "9999999") { id } }`);
    expect(result.data).toEqual({ child: null });
    expect(appends).toBe(0);
  });
});

describe('reading the access log', () => {
  const LOG = /* GraphQL */ `
    query ($filter: AccessLogFilter, $first: Int, $after: String) {
      accessLog(filter: $filter, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            childId
            categories
            operationName
            purpose
            actor {
              sub
              roles
            }
          }
        }
      }
    }
  `;
  type LogData = {
    accessLog: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: Array<{
        node: {
          id: string;
          childId: string | null;
          categories: string[];
          operationName: string | null;
          actor: { sub: string };
        };
      }>;
    };
  };

  it('answers the auditor and the virtual school head by child, by actor, by time, in pages; refuses everyone else', async () => {
    const id = currentChildIds()[7]!;
    const asSw = await clientFor(system, 'vsh');
    for (let i = 0; i < 3; i += 1)
      await asSw(`query Look${i}($id: ID!) { child(id: $id) { name { displayName } } }`, { id });
    const vsh = system.world.personas.find((p) => p.name === 'vsh')!;

    for (const reader of ['auditor', 'vsh'] as const) {
      const ask = await clientFor(system, reader);
      const first = await ask<LogData>(LOG, { filter: { childId: id }, first: 2 });
      expect(first.errors).toBeUndefined();
      expect(first.data!.accessLog.totalCount).toBeGreaterThanOrEqual(3);
      expect(first.data!.accessLog.edges).toHaveLength(2);
      expect(first.data!.accessLog.pageInfo.hasNextPage).toBe(true);
      const second = await ask<LogData>(LOG, {
        filter: { childId: id },
        first: 2,
        after: first.data!.accessLog.pageInfo.endCursor,
      });
      expect(second.errors).toBeUndefined();
      expect(second.data!.accessLog.edges.length).toBeGreaterThan(0);
      // Keyset paging: no event twice across pages.
      const ids = [...first.data!.accessLog.edges, ...second.data!.accessLog.edges].map(
        (e) => e.node.id,
      );
      expect(new Set(ids).size).toBe(ids.length);
    }

    const asAuditor = await clientFor(system, 'auditor');
    const byActor = await asAuditor<LogData>(LOG, { filter: { actor: vsh.sub }, first: 500 });
    expect(byActor.data!.accessLog.edges.every((e) => e.node.actor.sub === vsh.sub)).toBe(true);
    const future = await asAuditor<LogData>(LOG, {
      filter: { childId: id, from: '2999-01-01T00:00:00Z' },
    });
    expect(future.data!.accessLog.totalCount).toBe(0);

    for (const refused of [
      'social-worker',
      'analyst',
      'teacher-ntk',
      'finance-officer',
      'placing-authority',
    ] as const) {
      const result = await (await clientFor(system, refused))(LOG, { filter: { childId: id } });
      expect({ refused, code: result.errors?.[0]?.extensions?.code }).toEqual({
        refused,
        code: 'FORBIDDEN',
      });
    }
  });

  it('logs the reading of the log itself', async () => {
    const id = currentChildIds()[8]!;
    const auditor = system.world.personas.find((p) => p.name === 'auditor')!;
    const asAuditor = await clientFor(system, 'auditor');
    await asAuditor(
      `query SubjectAccess($id: ID!) { accessLog(filter: { childId: $id }) { totalCount } }`,
      { id },
    );
    const [latest] = await eventsFor(id);
    expect(latest).toMatchObject({
      actorSub: auditor.sub,
      operationName: 'SubjectAccess',
      categories: ['AUDIT'],
    });
  });

  it('exports a child’s access history as CSV for the auditor, and refuses others', async () => {
    const id = currentChildIds()[9]!;
    const token = await system.tokenFor('vsh');
    await fetch(system.urls.gateway, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token}`,
        'X-Purpose': '=HYPERLINK("x")',
      },
      body: JSON.stringify({
        query: `query ForCsv($id: ID!) { child(id: $id) { name { displayName } } }`,
        variables: { id },
      }),
    });
    const base = system.urls.gateway.replace(/\/graphql$/, '');
    const csv = await fetch(`${base}/audit/children/${id}/access-log.csv`, {
      headers: { Authorization: `Bearer ${await system.tokenFor('auditor')}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'occurred_at,request_id,child_id,subject_upn,actor_sub,actor_roles,actor_la,client_id,categories,operation_name,operation_type,purpose,outcome',
    );
    expect(text).toContain('ForCsv');
    // A purpose that looks like a formula is neutralised for spreadsheets.
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);

    const refused = await fetch(`${base}/audit/children/${id}/access-log.csv`, {
      headers: { Authorization: `Bearer ${await system.tokenFor('social-worker')}` },
    });
    expect(refused.status).toBe(403);
    const anonymous = await fetch(`${base}/audit/children/${id}/access-log.csv`);
    expect(anonymous.status).toBe(401);
  });
});

describe("reads of other authorities' pupils", () => {
  it('are logged by UPN when a designated teacher reads their school roll, and found by UPN', async () => {
    const dt = system.world.personas.find((p) => p.name === 'designated-teacher')!;
    const asDt = await clientFor(system, 'designated-teacher');
    const roll = await asDt<{
      school: { lookedAfterPupils: Array<{ upn: string; lookedAfterBy: { code: string } }> };
    }>(
      `query RollForAudit($urn: ID!) { school(urn: $urn) { lookedAfterPupils { upn lookedAfterBy { code } education { yearGroup } } } }`,
      { urn: dt.urns[0] },
    );
    expect(roll.errors).toBeUndefined();
    const cola = roll.data!.school.lookedAfterPupils.find((p) => p.lookedAfterBy.code !== '340');
    expect(cola).toBeDefined();
    const { events } = await system.stores.audit.query({ subjectUpn: cola!.upn, first: 5 });
    expect(events[0]).toMatchObject({
      actorSub: dt.sub,
      childId: null,
      subjectUpn: cola!.upn,
      operationName: 'RollForAudit',
      // `lookedAfterBy` (the placing authority) is care status: read, so logged.
      categories: ['CARE', 'EDU', 'ID'],
    });
    const asAuditor = await clientFor(system, 'auditor');
    const found = await asAuditor<{
      accessLog: { edges: Array<{ node: { subjectUpn: string | null } }> };
    }>(
      `query ($upn: String) { accessLog(filter: { upn: $upn }) { edges { node { subjectUpn } } } }`,
      { upn: cola!.upn },
    );
    expect(found.errors).toBeUndefined();
    expect(found.data!.accessLog.edges[0]?.node.subjectUpn).toBe(cola!.upn);
  });
});

/**
 * Issue 9, point 4: the virtual school head's audit scope is this authority's children. Events
 * about other authorities' pupils (logged by UPN) are for auditors only, and the head cannot
 * ask the log whether a UPN is a child in care at one of our schools.
 */
describe("the head's access log leaves out other authorities' pupils (issue 9.4)", () => {
  const PUPIL_LOG = /* GraphQL */ `
    query ($filter: AccessLogFilter, $first: Int) {
      accessLog(filter: $filter, first: $first) {
        totalCount
        edges {
          node {
            childId
            subjectUpn
            categories
          }
        }
      }
    }
  `;
  type PupilLogData = {
    accessLog: {
      totalCount: number;
      edges: Array<{
        node: { childId: string | null; subjectUpn: string | null; categories: string[] };
      }>;
    };
  };

  let colaUpn: string;
  let storeQueries = 0;

  beforeAll(async () => {
    // A designated teacher reads their school's roll: other authorities' pupils logged by UPN.
    const dt = system.world.personas.find((p) => p.name === 'designated-teacher')!;
    const asDt = await clientFor(system, 'designated-teacher');
    const roll = await asDt<{
      school: { lookedAfterPupils: Array<{ upn: string; lookedAfterBy: { code: string } }> };
    }>(
      `query RollForHead($urn: ID!) { school(urn: $urn) { lookedAfterPupils { upn lookedAfterBy { code } education { yearGroup } } } }`,
      { urn: dt.urns[0] },
    );
    expect(roll.errors).toBeUndefined();
    colaUpn = roll.data!.school.lookedAfterPupils.find((p) => p.lookedAfterBy.code !== '340')!.upn;
    const store = system.stores.audit;
    const query = store.query.bind(store);
    store.query = (filter) => {
      storeQueries += 1;
      return query(filter);
    };
  });

  it('refuses the `upn` filter to the head with FORBIDDEN naming it, running nothing, whatever the UPN', async () => {
    const asVsh = await clientFor(system, 'vsh');
    const absent = 'Z999999999999';
    expect((await system.stores.audit.query({ subjectUpn: absent, first: 1 })).totalCount).toBe(0);
    const answers = [];
    for (const upn of [colaUpn, absent, 'not-a-upn']) {
      storeQueries = 0;
      appends = 0;
      const result = await asVsh(PUPIL_LOG, { filter: { upn } });
      expect(storeQueries).toBe(0);
      expect(appends).toBe(0);
      answers.push({ status: result.status, data: result.data, errors: result.errors });
    }
    expect(answers[0]!.data).toBeNull();
    expect(answers[0]!.errors).toHaveLength(1);
    expect(answers[0]!.errors![0]!.extensions?.code).toBe('FORBIDDEN');
    expect(answers[0]!.errors![0]!.message).toContain('`filter.upn`');
    // A pupil in the log, one never logged and a malformed UPN: the same answer.
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it("lists and counts, for the head, only this authority's children and aggregate or register reads; the auditor sees the pupils too", async () => {
    const dt = system.world.personas.find((p) => p.name === 'designated-teacher')!;
    const filter = { actor: dt.sub };
    const all = await system.stores.audit.query({ actorSub: dt.sub, first: 500 });
    const pupilEvents = all.events.filter((event) => event.subjectUpn !== null);
    expect(pupilEvents.some((event) => event.subjectUpn === colaUpn)).toBe(true);

    const asVsh = await clientFor(system, 'vsh');
    const head = await asVsh<PupilLogData>(PUPIL_LOG, { filter, first: 500 });
    expect(head.errors).toBeUndefined();
    const seen = head.data!.accessLog.edges.map((edge) => edge.node);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((node) => node.subjectUpn === null)).toBe(true);
    expect(JSON.stringify(head.data)).not.toContain(colaUpn);
    // Counted after scope: the total is not the log's.
    expect(head.data!.accessLog.totalCount).toBe(all.totalCount - pupilEvents.length);
    // Our children by social care id, and reads naming no child.
    const ours = new Set(system.world.socialCare.children.map((c) => c.CHILD));
    expect(seen.every((node) => node.childId === null || ours.has(node.childId))).toBe(true);

    const asAuditor = await clientFor(system, 'auditor');
    const auditor = await asAuditor<PupilLogData>(PUPIL_LOG, { filter, first: 500 });
    expect(auditor.errors).toBeUndefined();
    expect(auditor.data!.accessLog.totalCount).toBe(all.totalCount);
    expect(auditor.data!.accessLog.edges.some((e) => e.node.subjectUpn === colaUpn)).toBe(true);
    const byUpn = await asAuditor<PupilLogData>(PUPIL_LOG, { filter: { upn: colaUpn } });
    expect(byUpn.errors).toBeUndefined();
    expect(byUpn.data!.accessLog.totalCount).toBeGreaterThan(0);
  });

  it("refuses the head the CSV export of a pupil's history by UPN (403, nothing read) and gives it to the auditor", async () => {
    const base = system.urls.gateway.replace(/\/graphql$/, '');
    const url = (upn: string) => `${base}/audit/pupils/${upn}/access-log.csv`;
    const vsh = { Authorization: `Bearer ${await system.tokenFor('vsh')}` };
    storeQueries = 0;
    const refused = await fetch(url(colaUpn), { headers: vsh });
    expect(refused.status).toBe(403);
    const refusedBody = await refused.text();
    expect(refusedBody).not.toContain(colaUpn);
    const absent = await fetch(url('Z999999999999'), { headers: vsh });
    expect(absent.status).toBe(403);
    expect(await absent.text()).toBe(refusedBody);
    expect(storeQueries).toBe(0);

    const csv = await fetch(url(colaUpn), {
      headers: { Authorization: `Bearer ${await system.tokenFor('auditor')}` },
    });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toContain(',subject_upn,');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.includes(`,${colaUpn},`))).toBe(true);
  });
});
