/**
 * The Designated Teacher register end to end, through the gateway as each caller would use
 * it: another authority's system reads it (GraphQL, CSV, JSON) and nothing else; a designated
 * teacher keeps their own school's entry current and no other; bad input changes nothing;
 * the history keeps old and new values; "changed since" and the exports' ETags behave as the
 * README documents; every read is in the access log.
 */
import type { EdDesignatedTeacher } from '../upstream/education/contract';
import type { Persona, PersonaName } from '../simulators/seed/world';
import type { RunningSystem } from '../system/start-system';
import {
  clientFor,
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

const persona = (name: PersonaName): Persona =>
  system.world.personas.find((candidate) => candidate.name === name)!;

/** The authority's own schools, by URN: the register as anyone but the head reads it. */
const ownSchools = () =>
  system.world.education.schools
    .filter((school) => school.la_code === system.world.la.code)
    .map((school) => school.urn)
    .sort();

const exportUrl = (format: 'csv' | 'json', query = '') =>
  `${system.urls.gateway.replace(/\/graphql$/, '')}/register/designated-teachers.${format}${query}`;

async function download(
  name: PersonaName | null,
  format: 'csv' | 'json',
  query = '',
  headers: Record<string, string> = {},
): Promise<Response> {
  const auth: Record<string, string> = name
    ? { Authorization: `Bearer ${await system.tokenFor(name)}` }
    : {};
  return fetch(exportUrl(format, query), { headers: { ...auth, ...headers } });
}

async function simulatorEntry(urn: string): Promise<EdDesignatedTeacher | null> {
  const response = await fetch(
    `${system.urls.simulators.education}/v1/schools/${urn}/designated-teacher`,
    { headers: { Authorization: `Bearer ${system.simulatorKeys.education}` } },
  );
  return response.ok ? ((await response.json()) as { data: EdDesignatedTeacher }).data : null;
}

const codesAt = (result: GraphQLResult) =>
  (result.errors ?? []).map((error) => `${(error.path ?? []).join('.')}:${error.extensions?.code}`);

const REGISTER = /* GraphQL */ `
  query Register($first: Int, $after: String, $filter: DesignatedTeacherFilter) {
    designatedTeachers(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          urn
          schoolName
          inAuthority
          designatedTeacher {
            name
            workEmail
            workPhone
            confirmedOn
          }
          namedGovernor {
            name
          }
          virtualSchoolContact {
            name
            workEmail
          }
          updatedAt
        }
      }
    }
  }
`;

interface Entry {
  urn: string;
  schoolName: string;
  inAuthority: boolean;
  designatedTeacher: {
    name: string;
    workEmail: string;
    workPhone: string;
    confirmedOn: string;
  } | null;
  namedGovernor: { name: string } | null;
  virtualSchoolContact: { name: string; workEmail: string } | null;
  updatedAt: string;
}
interface RegisterPage {
  designatedTeachers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: Entry }[];
  };
}

describe('a placing authority', () => {
  it('reads the whole register of the authority’s schools, in three upstream requests a page', async () => {
    const ask = await clientFor(system, 'placing-authority');
    await resetUpstreamCounters(system);
    const result = await ask<RegisterPage>(REGISTER, { first: 500 });
    expect(result.errors).toBeUndefined();
    const page = result.data!.designatedTeachers;
    expect(page.edges.map((edge) => edge.node.urn)).toEqual(ownSchools());
    expect(page.totalCount).toBe(ownSchools().length);
    expect(page.edges.every((edge) => edge.node.inAuthority)).toBe(true);
    // About one school in ten has no DT; every school has a link officer and a named governor.
    const withDt = page.edges.filter((edge) => edge.node.designatedTeacher !== null);
    expect(withDt.length).toBe(system.world.education.designatedTeachers.length);
    expect(withDt.length).toBeLessThan(page.totalCount);
    expect(page.edges.every((edge) => edge.node.virtualSchoolContact !== null)).toBe(true);
    expect(page.edges.every((edge) => edge.node.namedGovernor !== null)).toBe(true);
    // Schools, DT entries, the page's governors; nothing from social care or finance.
    expect(await upstreamCounts(system)).toEqual({ socialCare: 0, education: 3, finance: 0 });
  });

  it('is refused everything else in the graph', async () => {
    const ask = await clientFor(system, 'placing-authority');
    const child = system.world.socialCare.children[0]!.CHILD;
    const urn = persona('designated-teacher').urns[0]!;
    const attempts: Array<[string, Record<string, unknown> | undefined, string[]]> = [
      [`query ($id: ID!) { child(id: $id) { id } }`, { id: child }, ['child:FORBIDDEN']],
      [`{ children(first: 5) { totalCount } }`, undefined, ['children:FORBIDDEN']],
      [
        `query ($urn: ID!) { school(urn: $urn) { name lookedAfterPupils { upn } } }`,
        { urn },
        ['school.lookedAfterPupils:FORBIDDEN'],
      ],
      [
        `{ designatedTeachersToChase { reason } }`,
        undefined,
        ['designatedTeachersToChase:FORBIDDEN'],
      ],
      [
        `query ($urn: ID!) { designatedTeachers(filter: { urns: [$urn] }) { edges { node { history { changedAt } } } } }`,
        { urn },
        ['designatedTeachers.edges.0.node.history:FORBIDDEN'],
      ],
      [`{ accessLog(first: 1) { totalCount } }`, undefined, ['accessLog:FORBIDDEN']],
      [
        `mutation ($urn: ID!) { updateDesignatedTeacher(input: { urn: $urn, confirm: true }) { changed } }`,
        { urn },
        ['updateDesignatedTeacher:FORBIDDEN'],
      ],
      [
        `mutation ($id: ID!) { grantNeedToKnow(input: { childId: $id, staffId: "E100001", reason: "x" }) { changed } }`,
        { id: child },
        ['grantNeedToKnow:FORBIDDEN'],
      ],
    ];
    for (const [query, variables, expected] of attempts) {
      const result = await ask(query, variables);
      expect({ query, errors: codesAt(result) }).toEqual({ query, errors: expected });
    }
  });

  it('downloads the register as CSV and JSON, the same entries as GraphQL', async () => {
    const csv = await download('placing-authority', 'csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await csv.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'urn,school_name,phase,la_code,la_name,in_authority,dt_name,dt_title,dt_forename,dt_surname,' +
        'dt_job_title,dt_work_email,dt_work_phone,dt_confirmed_on,named_governor_name,' +
        'named_governor_job_title,named_governor_work_email,vs_contact_name,vs_contact_job_title,' +
        'vs_contact_work_email,vs_contact_work_phone,updated_at',
    );
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(1, -1).map((line) => line.split(',')[0])).toEqual(ownSchools());

    const json = await download('placing-authority', 'json');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await json.json()) as { totalCount: number; designatedTeachers: Entry[] };
    expect(body.totalCount).toBe(ownSchools().length);
    expect(body.designatedTeachers.map((entry) => entry.urn)).toEqual(ownSchools());
    const teacher = system.world.education.designatedTeachers[0]!;
    expect(body.designatedTeachers.find((entry) => entry.urn === teacher.urn)).toMatchObject({
      designatedTeacher: { workEmail: teacher.email, workPhone: teacher.phone },
    });
  });

  it('filters the exports by query parameters, and refuses unknown or bad ones', async () => {
    const [urn1, urn2] = ownSchools();
    const some = await download(
      'placing-authority',
      'json',
      `?urns=${urn2},${urn1}&localAuthority=340`,
    );
    const body = (await some.json()) as { designatedTeachers: Entry[] };
    expect(body.designatedTeachers.map((entry) => entry.urn)).toEqual([urn1, urn2]);
    for (const query of ['?changed_since=2026-01-01', '?phase=INFANT', '?changedSince=yesterday']) {
      const bad = await download('placing-authority', 'csv', query);
      expect({ query, status: bad.status }).toEqual({ query, status: 400 });
      expect(
        ((await bad.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions
          .code,
      ).toBe('BAD_USER_INPUT');
    }
  });

  it('needs a token for the exports, and a role that reads the register', async () => {
    expect((await download(null, 'csv')).status).toBe(401);
    for (const name of ['analyst', 'auditor', 'finance-officer'] as PersonaName[]) {
      const refused = await download(name, 'csv');
      expect({ name, status: refused.status }).toEqual({ name, status: 403 });
    }
  });

  it('has every read in the access log: who read the register, when', async () => {
    const placing = persona('placing-authority');
    const before = (await system.stores.audit.query({ actorSub: placing.sub, first: 500 })).events
      .length;
    await (
      await clientFor(system, 'placing-authority')
    )(REGISTER, { first: 10 });
    await download('placing-authority', 'csv');
    const events = (await system.stores.audit.query({ actorSub: placing.sub, first: 500 })).events;
    expect(events).toHaveLength(before + 2);
    for (const event of events.slice(0, 2)) {
      expect(event).toMatchObject({
        actorSub: placing.sub,
        actorRoles: ['placing-authority'],
        actorLa: placing.la,
        childId: null,
        categories: ['DT_REGISTER'],
      });
    }
    expect(
      events
        .slice(0, 2)
        .map((event) => event.operationName)
        .sort(),
    ).toEqual(['DesignatedTeacherRegisterExport', 'Register']);
  });
});

describe('the virtual school head', () => {
  it('also sees the schools elsewhere where the authority’s children are placed, flagged', async () => {
    const ask = await clientFor(system, 'vsh');
    const result = await ask<RegisterPage>(REGISTER, { first: 500 });
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.designatedTeachers.edges.map((edge) => edge.node);
    const elsewhere = nodes.filter((node) => !node.inAuthority);
    expect(elsewhere.length).toBeGreaterThan(0);
    expect(nodes.filter((node) => node.inAuthority).map((node) => node.urn)).toEqual(ownSchools());
    // Each is a school where a child we look after is on roll now.
    const ours = new Set(
      system.world.education.students
        .filter((student) => student.looked_after_la === system.world.la.code)
        .flatMap((student) =>
          student.enrolments.filter((e) => e.leaving_date === null).map((e) => e.urn),
        ),
    );
    expect(elsewhere.every((node) => ours.has(node.urn))).toBe(true);
  });
});

const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateDesignatedTeacherInput!) {
    updateDesignatedTeacher(input: $input) {
      changed
      entry {
        urn
        updatedAt
        designatedTeacher {
          name
          jobTitle
          workPhone
          confirmedOn
        }
        history {
          changedBy
          detailsChanged
          confirmed
          before {
            jobTitle
            workPhone
          }
          after {
            jobTitle
            workPhone
          }
        }
      }
    }
  }
`;

interface Update {
  updateDesignatedTeacher: {
    changed: boolean;
    entry: {
      urn: string;
      updatedAt: string;
      designatedTeacher: { name: string; jobTitle: string; workPhone: string; confirmedOn: string };
      history: Array<{
        changedBy: string;
        detailsChanged: boolean;
        confirmed: boolean;
        before: { jobTitle: string; workPhone: string } | null;
        after: { jobTitle: string; workPhone: string };
      }>;
    };
  };
}

describe('keeping the register current', () => {
  const dt = () => persona('designated-teacher');
  const ownUrn = () => dt().urns[0]!;
  const otherUrn = () => ownSchools().find((urn) => urn !== ownUrn())!;
  const detailsFrom = (entry: EdDesignatedTeacher) => ({
    title: entry.title,
    forename: entry.forename,
    surname: entry.surname,
    jobTitle: entry.job_title,
    workEmail: entry.email,
    workPhone: entry.phone,
  });

  it('lets the designated teacher change their own school’s entry, refuses another school’s, and the ETag moves', async () => {
    const csvBefore = await download('placing-authority', 'csv');
    const etagBefore = csvBefore.headers.get('etag')!;
    expect(etagBefore).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    // Nothing changed: 304, no body, the same ETag.
    const unchanged = await download('placing-authority', 'csv', '', {
      'If-None-Match': etagBefore,
    });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etagBefore);
    const jsonBefore = await download('placing-authority', 'json');
    const jsonEtag = jsonBefore.headers.get('etag')!;
    expect(jsonEtag).not.toBe(etagBefore);
    expect(
      (await download('placing-authority', 'json', '', { 'If-None-Match': `"x", W/${jsonEtag}` }))
        .status,
    ).toBe(304);

    const current = (await simulatorEntry(ownUrn()))!;
    const ask = await clientFor(system, 'designated-teacher');
    const details = { ...detailsFrom(current), workPhone: '0151 496 0999' };
    const result = await ask<Update>(UPDATE, {
      input: { urn: ownUrn(), designatedTeacher: details },
    });
    expect(result.errors).toBeUndefined();
    const update = result.data!.updateDesignatedTeacher;
    expect(update.changed).toBe(true);
    expect(update.entry.designatedTeacher.workPhone).toBe('0151 496 0999');
    expect(update.entry.history).toEqual([
      {
        changedBy: dt().sub,
        detailsChanged: true,
        confirmed: false,
        before: { jobTitle: current.job_title, workPhone: current.phone },
        after: { jobTitle: current.job_title, workPhone: '0151 496 0999' },
      },
    ]);
    expect((await simulatorEntry(ownUrn()))!.phone).toBe('0151 496 0999');

    // The same update again is no change.
    const again = await ask<Update>(UPDATE, {
      input: { urn: ownUrn(), designatedTeacher: details },
    });
    expect(again.data!.updateDesignatedTeacher.changed).toBe(false);
    expect(again.data!.updateDesignatedTeacher.entry.history).toHaveLength(1);

    // Another school's entry: refused, and untouched.
    const other = await simulatorEntry(otherUrn());
    const refused = await ask(UPDATE, { input: { urn: otherUrn(), designatedTeacher: details } });
    expect(codesAt(refused)).toEqual(['updateDesignatedTeacher:FORBIDDEN']);
    expect(await simulatorEntry(otherUrn())).toEqual(other);

    // The old ETag no longer matches: the new register comes back with a new one.
    const csvAfter = await download('placing-authority', 'csv', '', {
      'If-None-Match': etagBefore,
    });
    expect(csvAfter.status).toBe(200);
    expect(csvAfter.headers.get('etag')).not.toBe(etagBefore);
    expect(await csvAfter.text()).toContain('0151 496 0999');
  });

  it('sees the change, and only it, "changed since" the last sync', async () => {
    const ask = await clientFor(system, 'placing-authority');
    const all = (await ask<RegisterPage>(REGISTER, { first: 500 })).data!.designatedTeachers.edges;
    const newest = all
      .map((edge) => edge.node.updatedAt)
      .sort()
      .at(-1)!;
    const updated = all.find((edge) => edge.node.urn === ownUrn())!.node.updatedAt;
    expect(updated).toBe(newest);
    // The sync before the change saw at most the seeded world's timestamps.
    const lastSync = all
      .map((edge) => edge.node.updatedAt)
      .filter((stamp) => stamp !== updated)
      .sort()
      .at(-1)!;
    const since = await ask<RegisterPage>(REGISTER, { filter: { changedSince: lastSync } });
    expect(since.data!.designatedTeachers.edges.map((edge) => edge.node.urn)).toEqual([ownUrn()]);
    const csv = await (
      await download('placing-authority', 'csv', `?changedSince=${encodeURIComponent(lastSync)}`)
    ).text();
    expect(
      csv
        .split('\r\n')
        .slice(1, -1)
        .map((line) => line.split(',')[0]),
    ).toEqual([ownUrn()]);
    const none = await ask<RegisterPage>(REGISTER, { filter: { changedSince: newest } });
    expect(none.data!.designatedTeachers.totalCount).toBe(0);
  });

  it('refuses bad input with BAD_USER_INPUT, and changes nothing', async () => {
    const before = await simulatorEntry(ownUrn());
    const ask = await clientFor(system, 'designated-teacher');
    const result = await ask(UPDATE, {
      input: {
        urn: ownUrn(),
        confirm: true,
        designatedTeacher: {
          forename: 'Alex',
          surname: 'Morgan',
          jobTitle: 'Designated Teacher',
          workEmail: 'not an address',
          workPhone: '12345',
        },
      },
    });
    expect(codesAt(result)).toEqual(['updateDesignatedTeacher:BAD_USER_INPUT']);
    expect(result.errors![0]!.message).toMatch(/`workEmail`.*`workPhone`/);
    expect(await simulatorEntry(ownUrn())).toEqual(before);
    const history = await ask<RegisterPage & Record<string, unknown>>(
      `query ($urn: ID!) { designatedTeachers(filter: { urns: [$urn] }) { edges { node { history { changedAt } } } } }`,
      { urn: ownUrn() },
    );
    expect(history.data).toEqual({
      designatedTeachers: { edges: [{ node: { history: [expect.any(Object)] } }] },
    });
  });

  it('confirms the entry unchanged: confirmedOn becomes today', async () => {
    const ask = await clientFor(system, 'designated-teacher');
    const result = await ask<Update>(UPDATE, { input: { urn: ownUrn(), confirm: true } });
    expect(result.errors).toBeUndefined();
    const update = result.data!.updateDesignatedTeacher;
    // AS_OF, unless the seed had already confirmed it today.
    expect(update.entry.designatedTeacher.confirmedOn).toBe('2026-02-10');
    expect(update.entry.history.at(-1)).toMatchObject({ confirmed: true, detailsChanged: false });
  });

  it('neutralises a spreadsheet formula in the CSV (the head may set any entry)', async () => {
    const urn = otherUrn();
    const current = await simulatorEntry(urn);
    const ask = await clientFor(system, 'vsh');
    const result = await ask<Update>(UPDATE, {
      input: {
        urn,
        designatedTeacher: {
          ...(current
            ? detailsFrom(current)
            : {
                forename: 'Kim',
                surname: 'Lowe',
                workEmail: 'k.lowe@school.example',
                workPhone: '0151 496 0111',
              }),
          jobTitle: '=HYPERLINK("http://example.invalid","Designated Teacher")',
        },
      },
    });
    expect(result.errors).toBeUndefined();
    const csv = await (await download('placing-authority', 'csv', `?urns=${urn}`)).text();
    expect(csv.split('\r\n')[1]).toContain(
      `"'=HYPERLINK(""http://example.invalid"",""Designated Teacher"")"`,
    );
  });
});
