/**
 * Regression tests for the information-flow leaks of issue 9, through the real HTTP path
 * (gateway, subgraphs, simulators, real tokens). Each is named after the leak it pins:
 * what a caller with a valid token could learn beyond what they may read.
 */
import type { Persona } from '../simulators/seed/world';
import { mintPersonaToken } from '../identity/dev-issuer/tokens';
import type { RunningSystem } from '../system/start-system';
import {
  graphql,
  resetUpstreamCounters,
  startTestSystem,
  upstreamCounts,
  type GraphQLResult,
} from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

const persona = (name: Persona['name']): Persona =>
  system.world.personas.find((candidate) => candidate.name === name)!;

/** A token from this system's issuer with exactly these claims. */
function tokenWith(claims: Partial<Persona>): Promise<string> {
  const base: Persona = {
    name: 'teacher',
    sub: 'S999999',
    displayName: 'Test caller',
    roles: [],
    la: system.world.la.code,
    urns: [],
    description: 'test',
  };
  return mintPersonaToken(
    system.devIssuer.key,
    { ...base, ...claims },
    { issuer: system.devIssuer.issuer, audience: system.devIssuer.audience },
  );
}

const ask = async <T = Record<string, unknown>>(
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResult<T>> => graphql<T>(system.urls.gateway, token, query, variables);

const codes = (result: GraphQLResult<unknown>) => [
  ...new Set((result.errors ?? []).map((error) => error.extensions?.code)),
];

interface ChildrenData {
  children: {
    totalCount: number;
    edges: Array<{ node: Record<string, unknown> & { id: string } }>;
  } | null;
}

const openEpisodes = () =>
  new Set(system.world.socialCare.episodes.filter((e) => e.DEC === null).map((e) => e.CHILD));

describe('1. filters are an oracle', () => {
  const BY_LEGAL_STATUS = /* GraphQL */ `
    query ($filter: ChildFilter) {
      children(first: 500, filter: $filter) {
        totalCount
        edges {
          node {
            id
            name {
              displayName
            }
          }
        }
      }
    }
  `;

  it('refuses a finance officer a filter by legal status, placement, UASC or area, naming it', async () => {
    const token = await tokenWith(persona('finance-officer'));
    for (const [filter, argument] of [
      [{ legalStatus: ['J1', 'J2', 'J3'] }, 'filter.legalStatus'],
      [{ placementType: ['A3', 'A4', 'A5', 'A6'] }, 'filter.placementType'],
      [{ uasc: true }, 'filter.uasc'],
      [{ placedOutOfArea: true }, 'filter.placedOutOfArea'],
    ] as const) {
      await resetUpstreamCounters(system);
      const result = await ask<ChildrenData>(token, BY_LEGAL_STATUS, { filter });
      expect(result.data?.children ?? null).toBeNull();
      expect(codes(result)).toEqual(['FORBIDDEN']);
      expect(result.errors?.[0]?.message).toContain(argument);
      // Nothing ran: no council system was asked.
      expect(await upstreamCounts(system)).toEqual({ socialCare: 0, education: 0, finance: 0 });
    }
  });

  it('refuses a teacher on a need-to-know list a filter by UASC or legal status', async () => {
    const token = await tokenWith(persona('teacher-ntk'));
    for (const filter of [{ uasc: true }, { legalStatus: ['V2'] }]) {
      const result = await ask<ChildrenData>(token, BY_LEGAL_STATUS, { filter });
      expect(result.data?.children ?? null).toBeNull();
      expect(codes(result)).toEqual(['FORBIDDEN']);
    }
  });

  it('records the categories a filter used for every child it returned', async () => {
    const token = await tokenWith(persona('vsh'));
    const result = await ask<ChildrenData>(token, BY_LEGAL_STATUS, {
      filter: { legalStatus: ['V2'] },
    });
    expect(result.errors).toBeUndefined();
    const returned = result.data!.children!.edges.map((edge) => edge.node.id);
    expect(returned.length).toBeGreaterThan(0);
    const requestId = result.headers.get('x-request-id');
    for (const childId of returned.slice(0, 5)) {
      const { events } = await system.stores.audit.query({ childId, first: 50 });
      const event = events.find((candidate) => candidate.requestId === requestId);
      // Only the name was returned, but the caller learnt each child's legal status.
      expect(event?.categories).toEqual(expect.arrayContaining(['CARE', 'ID_BASIC']));
    }
  });
});

describe('2. several roles are not a union of everything', () => {
  it('gives a finance officer who is also a teacher (no grant) nothing beyond id, name and funding', async () => {
    const teacher = persona('teacher');
    const token = await tokenWith({
      sub: teacher.sub,
      roles: ['finance-officer', 'teacher'],
      urns: teacher.urns,
    });
    const result = await ask<ChildrenData>(
      token,
      /* GraphQL */ `
        {
          children(first: 100) {
            totalCount
            edges {
              node {
                id
                dateOfBirth
                upn
                sharedSupportStrategies
              }
            }
          }
        }
      `,
    );
    const nodes = result.data!.children!.edges.map((edge) => edge.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node).toEqual({
        id: node.id,
        dateOfBirth: null,
        upn: null,
        sharedSupportStrategies: null,
      });
    }
    expect(codes(result)).toEqual(['FORBIDDEN']);
  });
});

describe('3. another authority’s token is only a placing authority here', () => {
  let otherHead: string;
  beforeAll(async () => {
    otherHead = await tokenWith({ sub: 'S900001', roles: ['virtual-school-head'], la: '999' });
  });

  it('reads no access log, no child and no count', async () => {
    const log = await ask(otherHead, `{ accessLog(first: 5) { edges { node { id } } } }`);
    expect(log.data?.accessLog ?? null).toBeNull();
    expect(codes(log)).toEqual(['FORBIDDEN']);
    const count = await ask<ChildrenData>(otherHead, `{ children(first: 1) { totalCount } }`);
    expect(count.data?.children ?? null).toBeNull();
    expect(codes(count)).toEqual(['FORBIDDEN']);
  });

  it('cannot rewrite a school’s designated teacher, nor read the chase list', async () => {
    const school = system.world.education.designatedTeachers[0]!;
    const update = await ask(
      otherHead,
      /* GraphQL */ `
        mutation ($input: UpdateDesignatedTeacherInput!) {
          updateDesignatedTeacher(input: $input) {
            changed
          }
        }
      `,
      {
        input: {
          urn: school.urn,
          designatedTeacher: {
            forename: 'Eve',
            surname: 'Intruder',
            jobTitle: 'Teacher',
            workEmail: 'eve@example.invalid',
            workPhone: '0151 496 0000',
          },
        },
      },
    );
    expect(update.data ?? null).toBeNull();
    expect(codes(update)).toEqual(['FORBIDDEN']);
    const chase = await ask(otherHead, `{ designatedTeachersToChase { entry { urn } } }`);
    expect(chase.data ?? null).toBeNull();
    expect(codes(chase)).toEqual(['FORBIDDEN']);
  });

  it('sees the register as a placing authority does: no out-of-authority schools', async () => {
    const query = `{ designatedTeachers(first: 500) { edges { node { urn inAuthority } } } }`;
    const asOther = await ask<{
      designatedTeachers: { edges: Array<{ node: { urn: string; inAuthority: boolean } }> };
    }>(otherHead, query);
    const asPlacing = await ask<typeof asOther.data>(
      await tokenWith(persona('placing-authority')),
      query,
    );
    expect(asOther.errors).toBeUndefined();
    const urns = asOther.data!.designatedTeachers.edges.map((edge) => edge.node);
    expect(urns.every((entry) => entry.inAuthority)).toBe(true);
    expect(urns).toEqual(asPlacing.data!.designatedTeachers.edges.map((edge) => edge.node));
  });
});

describe('6. timing separates existence from scope', () => {
  it('gives a designated teacher the same answer, after the same upstream work, for out of scope, restricted and non-existent children', async () => {
    const dt = persona('designated-teacher');
    const token = await tokenWith(dt);
    const onRoll = new Set(
      system.world.education.students
        .filter((s) => s.enrolments.some((e) => dt.urns.includes(e.urn) && e.leaving_date === null))
        .map((s) => s.upn),
    );
    const current = openEpisodes();
    const children = system.world.socialCare.children.filter((c) => current.has(c.CHILD));
    const outOfScope = children.find((c) => !c.RESTRICTED && !onRoll.has(c.UPN))!;
    const restricted = children.find((c) => c.RESTRICTED)!;
    const taken = new Set(system.world.socialCare.children.map((c) => c.CHILD));
    let missing = 1_999_999;
    while (taken.has(String(missing))) missing -= 1;

    const answers = [];
    for (const id of [outOfScope.CHILD, restricted.CHILD, String(missing)]) {
      await resetUpstreamCounters(system);
      const result = await ask(
        dt ? token : token,
        `query ($id: ID!) { child(id: $id) { id name { displayName } education { yearGroup } } }`,
        { id },
      );
      answers.push({
        body: { data: result.data, errors: result.errors },
        upstream: await upstreamCounts(system),
      });
    }
    expect(answers[0]!.body).toEqual({ data: { child: null }, errors: undefined });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });
});
