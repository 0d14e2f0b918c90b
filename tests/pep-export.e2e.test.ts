/**
 * A completed PEP exported as a page for a carer or a new school (issue 14, point 3): through
 * the graph as the reader, so a role that may not read the PEP gets nothing, the child's
 * name and date of birth are there only for roles that read them, nothing of the placement's
 * address or carer is ever on it, and the access log records every export.
 */
import type { RunningSystem } from '../system/start-system';
import { tokenAs } from './support/alert-world';
import { runExample } from './support/examples';
import { graphql, startTestSystem } from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

/** A child on the officer persona's caseload with a completed PEP, and one draft elsewhere. */
function subjects() {
  const officer = system.world.personas.find((p) => p.name === 'vs-officer')!;
  const completed = system.world.socialCare.peps.find((pep) => {
    const child = system.world.socialCare.children.find((c) => c.CHILD === pep.CHILD)!;
    return (
      pep.STATUS !== 'DRAFT' &&
      child.VS_CASEWORKER_ID === officer.sub &&
      !child.RESTRICTED &&
      pep.SUPPORT_STRATEGIES.length > 0
    );
  })!;
  const child = system.world.socialCare.children.find((c) => c.CHILD === completed.CHILD)!;
  return { officer, completed, child };
}

const exportUrl = (childId: string, pepId: string) =>
  `${system.urls.gateway.replace(/\/graphql$/, '')}/peps/children/${childId}/${pepId}.html`;

async function get(token: string, url: string) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('exporting a completed PEP', () => {
  it('gives the officer a printable page with the child, the meeting and the targets; no placement address or carer; recorded in the access log', async () => {
    const { completed, child } = subjects();
    const page = await get(
      await system.tokenFor('vs-officer'),
      exportUrl(child.CHILD, completed.PEP_ID),
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'",
    );
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.text).toContain(child.SURNAME);
    expect(page.text).toContain(child.DOB);
    expect(page.text).toContain(completed.MEETING_DATE);
    for (const target of completed.TARGETS) expect(page.text).toContain(target.AREA);
    // Nothing fetched: no script, no external stylesheet or image.
    expect(page.text).not.toMatch(/<script|<link|<img|https?:\/\//i);
    for (const placement of system.world.socialCare.placements.filter(
      (p) => p.CHILD === child.CHILD,
    )) {
      for (const secret of [placement.POSTCODE, placement.ADDRESS_LINE1, placement.CARER_NAME]) {
        expect(page.text).not.toContain(secret);
      }
    }

    const auditor = await system.tokenFor('auditor');
    const log = await graphql<{
      accessLog: { edges: { node: { operationName: string | null; categories: string[] } }[] };
    }>(
      system.urls.gateway,
      auditor,
      /* GraphQL */ `
        query Log($filter: AccessLogFilter!) {
          accessLog(filter: $filter, first: 50) {
            edges {
              node {
                operationName
                categories
              }
            }
          }
        }
      `,
      { filter: { childId: child.CHILD } },
    );
    const exports = log.data!.accessLog.edges.filter((e) => e.node.operationName === 'PepExport');
    expect(exports.length).toBeGreaterThanOrEqual(1);
    expect(exports[0]!.node.categories).toEqual(expect.arrayContaining(['PEP', 'ID']));
  });

  it('refuses roles that may not read the PEP (a teacher on the need-to-know list, a finance officer, a governor): 403, no page', async () => {
    const { completed, child } = subjects();
    const url = exportUrl(child.CHILD, completed.PEP_ID);
    const teacher = system.world.needToKnow.find((g) => g.childId === child.CHILD);
    const tokens = [
      await system.tokenFor('finance-officer'),
      await system.tokenFor('governor'),
      ...(teacher
        ? [await tokenAs(system, { sub: teacher.staffId, roles: ['teacher'], urns: [teacher.urn] })]
        : [await system.tokenFor('teacher-ntk')]),
    ];
    for (const token of tokens) {
      const page = await get(token, url);
      expect([403, 404]).toContain(page.status);
      expect(page.text).not.toContain(child.SURNAME);
      expect(page.text).not.toContain(completed.MEETING_DATE);
    }
  });

  it('carries the whole meeting held through the graph: attendees, strengths, barriers, SMART targets, sign-off and the rating', async () => {
    // The PEP meeting of examples/pep-1..5, held through the gateway as each step's persona.
    for (const step of [
      'pep-1-create-draft.graphql',
      'pep-2-update-draft.graphql',
      'pep-3-review-targets.graphql',
      'pep-4-complete.graphql',
      'pep-5-quality-assure.graphql',
    ]) {
      const result = await runExample(step, system.urls.gateway, (persona) =>
        system.tokenFor(persona),
      );
      expect(result.errors).toBeUndefined();
    }
    const page = await get(await system.tokenFor('vs-officer'), exportUrl('1000054', 'PEP-W00001'));
    expect(page.status).toBe(200);
    for (const expected of [
      'Mrs A Carer',
      'designated teacher',
      'Settled in placement',
      'Gaps in algebra',
      'Grade 4 or above in the summer mock',
      'Mr D Teacher',
      'Ms S Worker',
      'green',
      'SMART targets with owners and review dates',
    ]) {
      expect(page.text).toContain(expected);
    }
  });

  it('needs a token like every other export: none, or a bad one, is 401 with no page', async () => {
    const { completed, child } = subjects();
    const url = exportUrl(child.CHILD, completed.PEP_ID);
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain(child.SURNAME);
    expect((await get('not.a.token', url)).status).toBe(401);
  });

  it('answers a child out of scope exactly as one that does not exist, and refuses a draft', async () => {
    const { completed, child } = subjects();
    const stranger = await tokenAs(system, {
      sub: 'VSO-NOBODY',
      roles: ['virtual-school-officer'],
    });
    const outOfScope = await get(stranger, exportUrl(child.CHILD, completed.PEP_ID));
    const missing = await get(stranger, exportUrl('9999999', completed.PEP_ID));
    expect(outOfScope.status).toBe(missing.status);
    expect(outOfScope.text).toBe(missing.text);

    const head = await system.tokenFor('vsh');
    expect((await get(head, exportUrl(child.CHILD, 'PEP-NOPE'))).status).toBe(404);
    const draft = system.world.socialCare.peps.find((p) => p.STATUS === 'DRAFT');
    if (draft) {
      const page = await get(head, exportUrl(draft.CHILD, draft.PEP_ID));
      expect(page.status).toBe(409);
      expect(page.text).toContain('still a draft');
    }
  });
});
