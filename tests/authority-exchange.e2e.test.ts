/**
 * Authority to authority (issue 15, point 3), with two complete systems on this machine:
 * Knowsley (340) and Wigan (359), each with its own seeded world, issuer, subgraphs, store and
 * gateway, each configured with the other as partner. Knowsley's children placed out of area
 * attend Wigan schools, which are Wigan's own, with Wigan's designated teachers.
 *
 * Knowsley's sync reads Wigan's register under a client-credentials token from Knowsley's
 * issuer, which Wigan's gateway trusts for placing-authority rights only. The first sync fills
 * the designated teachers of those schools in the Knowsley head's register; a second gets 304
 * and changes nothing; a change made in Wigan shows in Knowsley after one sync; a token from
 * the wrong authority, or with more than placing-authority rights, is refused; and a partner's
 * token never reads a child.
 */
import { createServer } from 'node:net';
import type { PlacedPupilShare } from '../exchange/placed-pupil-push';
import { generateDevIssuerKey } from '../identity/dev-issuer/signing-key';
import { mintPersonaToken } from '../identity/dev-issuer/tokens';
import type { Persona } from '../identity/personas';
import { ANY_FREE_PORTS, startSystem, type RunningSystem } from '../system/start-system';
import { graphql, TEST_AS_OF, type GraphQLResult } from './support/system';
import { twoAuthorities } from './support/two-authorities';

const KNOWSLEY = { code: '340', name: 'Knowsley' };
const WIGAN = { code: '359', name: 'Wigan' };
const AUDIENCE = { '340': 'api://cla-graph-340', '359': 'api://cla-graph-359' } as const;
const SECRET = { '340': 'knowsley-exchange-secret-0001', '359': 'wigan-exchange-secret-00002' };

let knowsley: RunningSystem;
let wigan: RunningSystem;
let shared: string[];
let placedThere: ReturnType<typeof twoAuthorities>['placedThere'];

/** Ports free now: the two systems must know each other's issuer and gateway before starting. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

const base = (system: RunningSystem) => system.urls.gateway.replace(/\/graphql$/, '');

beforeAll(async () => {
  const worlds = twoAuthorities({
    asOf: TEST_AS_OF,
    children: 120,
    home: { seed: 1, la: KNOWSLEY },
    partner: { seed: 2, la: WIGAN },
  });
  shared = worlds.sharedUrns;
  placedThere = worlds.placedThere;
  const [issuer340, gateway340, issuer359, gateway359] = await freePorts(4);
  const url = (port: number | undefined) => `http://127.0.0.1:${port}`;
  const start = (
    world: typeof worlds.home,
    own: { issuer: number; gateway: number; la: '340' | '359' },
    other: { issuer: number; gateway: number; la: '340' | '359' },
  ) =>
    startSystem({
      world,
      seed: world.seed,
      children: 120,
      asOf: TEST_AS_OF,
      ports: { ...ANY_FREE_PORTS, issuer: own.issuer, gateway: own.gateway },
      dataDir: 'memory://',
      subgraphTimeoutMs: 5_000,
      alerts: false,
      exchange: false,
      audience: AUDIENCE[own.la],
      env: {
        EXCHANGE_PARTNERS: JSON.stringify([
          { la: other.la, gatewayUrl: url(other.gateway), audience: AUDIENCE[other.la] },
        ]),
        EXCHANGE_CLIENT_SECRET: SECRET[own.la],
        PARTNER_ISSUERS: JSON.stringify([
          {
            la: other.la,
            issuer: url(other.issuer),
            jwksUrl: `${url(other.issuer)}/.well-known/jwks.json`,
          },
        ]),
      },
    });
  const ports340 = { issuer: issuer340!, gateway: gateway340!, la: '340' as const };
  const ports359 = { issuer: issuer359!, gateway: gateway359!, la: '359' as const };
  knowsley = await start(worlds.home, ports340, ports359);
  wigan = await start(worlds.partner, ports359, ports340);
}, 120_000);

afterAll(async () => {
  await knowsley?.close();
  await wigan?.close();
});

interface RegisterPage {
  designatedTeachers: {
    edges: Array<{
      node: {
        urn: string;
        inAuthority: boolean;
        localAuthority: { code: string };
        designatedTeacher: { name: string; surname: string; workEmail: string } | null;
        designatedTeacherSource: {
          localAuthority: { code: string; name: string };
          updatedAt: string;
          fetchedAt: string;
        } | null;
      };
    }>;
  };
}

const REGISTER = /* GraphQL */ `
  query ($urns: [ID!]) {
    designatedTeachers(first: 500, filter: { urns: $urns }) {
      edges {
        node {
          urn
          inAuthority
          localAuthority {
            code
          }
          designatedTeacher {
            name
            surname
            workEmail
          }
          designatedTeacherSource {
            localAuthority {
              code
              name
            }
            updatedAt
            fetchedAt
          }
        }
      }
    }
  }
`;

async function headsRegister() {
  const result: GraphQLResult<RegisterPage> = await graphql<RegisterPage>(
    knowsley.urls.gateway,
    await knowsley.tokenFor('vsh'),
    REGISTER,
    { urns: shared },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.designatedTeachers.edges.map((edge) => edge.node);
}

const wiganTeacher = (urn: string) =>
  wigan.world.education.designatedTeachers.find((teacher) => teacher.urn === urn)!;

async function clientToken(system: RunningSystem, secret: string, audience: string) {
  const response = await fetch(`${system.urls.issuer}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: `cla-graph-${system.world.la.code}`,
      client_secret: secret,
      audience,
    }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the register sync', () => {
  it('starts with no designated teacher for the schools in Wigan where Knowsley’s children are', async () => {
    expect(shared.length).toBeGreaterThan(0);
    const entries = await headsRegister();
    expect(entries.map((entry) => entry.urn).sort()).toEqual([...shared].sort());
    for (const entry of entries) {
      expect(entry).toMatchObject({
        inAuthority: false,
        localAuthority: { code: '359' },
        designatedTeacher: null,
        designatedTeacherSource: null,
      });
    }
  });

  it('fills them from Wigan’s register on the first sync, naming the source', async () => {
    const [report] = await knowsley.exchange.runOnce();
    expect(report).toMatchObject({ la: '359', outcome: 'ok', notModified: 0 });
    // The whole register, then one request from the new cursor that confirms it is complete.
    expect(report!.requests).toBe(2);
    const ownSchools = wigan.world.education.schools.filter((school) => school.la_code === '359');
    expect(report!.entriesReceived).toBe(ownSchools.length);
    expect(report!.written).toBe(ownSchools.length);
    expect(report!.bytesReceived).toBeGreaterThan(0);

    const entries = await headsRegister();
    for (const entry of entries) {
      const teacher = wiganTeacher(entry.urn);
      expect(entry.designatedTeacher).toMatchObject({
        surname: teacher.surname,
        workEmail: teacher.email,
      });
      // Wigan's entry changed when its school's record or its teacher last did.
      const school = wigan.world.education.schools.find(
        (candidate) => candidate.urn === entry.urn,
      )!;
      const changed = Math.max(Date.parse(school.updated_at), Date.parse(teacher.updated_at));
      expect(entry.designatedTeacherSource).toMatchObject({
        localAuthority: { code: '359', name: 'Wigan' },
        updatedAt: new Date(changed).toISOString(),
      });
    }
    const state = await knowsley.stores.partnerRegisters.syncState('359');
    expect(state).toMatchObject({ lastOutcome: 'ok', requests: 2, notModified: 0 });
    expect(state!.etag).toMatch(/^".+"$/);
  });

  it('gets 304 on the next sync and changes nothing', async () => {
    const before = await knowsley.stores.partnerRegisters.entriesFrom('359');
    const [report] = await knowsley.exchange.runOnce();
    expect(report).toEqual({
      la: '359',
      outcome: 'ok',
      requests: 1,
      notModified: 1,
      entriesReceived: 0,
      written: 0,
      bytesReceived: 0,
    });
    expect(await knowsley.stores.partnerRegisters.entriesFrom('359')).toEqual(before);
  });

  it('shows a designated teacher changed in Wigan after one sync, then 304 again', async () => {
    const urn = shared[0]!;
    const teacher = wiganTeacher(urn);
    const update = await graphql<{ updateDesignatedTeacher: { changed: boolean } }>(
      wigan.urls.gateway,
      await wigan.tokenFor('vsh'),
      /* GraphQL */ `
        mutation ($input: UpdateDesignatedTeacherInput!) {
          updateDesignatedTeacher(input: $input) {
            changed
          }
        }
      `,
      {
        input: {
          urn,
          designatedTeacher: {
            title: 'Dr',
            forename: 'Rowan',
            surname: 'Exchange',
            jobTitle: teacher.job_title,
            workEmail: `rowan.exchange@school-${urn}.sch.example`,
            workPhone: '01632 960999',
          },
        },
      },
    );
    expect(update.errors).toBeUndefined();
    expect(update.data?.updateDesignatedTeacher.changed).toBe(true);

    const [report] = await knowsley.exchange.runOnce();
    expect(report).toMatchObject({ outcome: 'ok', entriesReceived: 1, written: 1 });
    const changed = (await headsRegister()).find((entry) => entry.urn === urn)!;
    expect(changed.designatedTeacher).toMatchObject({
      name: 'Dr Rowan Exchange',
      workEmail: `rowan.exchange@school-${urn}.sch.example`,
    });

    const [again] = await knowsley.exchange.runOnce();
    expect(again).toMatchObject({ requests: 1, notModified: 1, written: 0 });
  });
});

describe('partner tokens', () => {
  const registerAt = (system: RunningSystem, token: string) =>
    fetch(`${base(system)}/register/designated-teachers.json`, {
      headers: { Authorization: `Bearer ${token}` },
    });

  /** A token signed by Knowsley's issuer with whatever claims, for Wigan's audience. */
  const knowsleySigned = (claims: Partial<Persona>, audience: string = AUDIENCE['359']) =>
    mintPersonaToken(
      knowsley.devIssuer.key,
      {
        name: 'placing-authority',
        sub: 'client:cla-graph-340',
        displayName: 'x',
        roles: ['placing-authority'],
        la: '340',
        urns: [],
        description: '',
        ...claims,
      },
      { issuer: knowsley.devIssuer.issuer, audience },
    );

  it('Knowsley’s client token reads Wigan’s register, and is refused with a wrong secret or audience', async () => {
    const good = await clientToken(knowsley, SECRET['340'], AUDIENCE['359']);
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expect((await registerAt(wigan, good.body.access_token as string)).status).toBe(200);

    expect((await clientToken(knowsley, 'not-the-secret-at-all', AUDIENCE['359'])).status).toBe(
      401,
    );
    expect(
      (await clientToken(knowsley, SECRET['340'], 'api://cla-graph-somewhere-else')).body,
    ).toEqual({ error: 'invalid_target' });
  });

  it('refuses a token from the wrong authority, with more rights, for another audience, or from an unknown issuer', async () => {
    const claimsAnotherAuthority = await knowsleySigned({ la: '341' });
    const claimsWigan = await knowsleySigned({ la: '359' });
    const claimsTheHead = await knowsleySigned({ roles: ['virtual-school-head'] });
    const claimsMore = await knowsleySigned({
      roles: ['placing-authority', 'virtual-school-head'],
    });
    const forKnowsley = await knowsleySigned({}, AUDIENCE['340']);
    const stranger = await generateDevIssuerKey();
    const unknownIssuer = await mintPersonaToken(
      stranger,
      {
        name: 'placing-authority',
        sub: 'client:cla-graph-340',
        displayName: 'x',
        roles: ['placing-authority'],
        la: '340',
        urns: [],
        description: '',
      },
      { issuer: 'http://127.0.0.1:9/', audience: AUDIENCE['359'] },
    );
    // Wigan's own issuer is not Knowsley's: its staff token is no partner token at Knowsley.
    const wiganStaff = await wigan.tokenFor('vsh');
    const attempts: Array<[string, RunningSystem, string]> = [
      ['claims another authority', wigan, claimsAnotherAuthority],
      ['claims to be Wigan', wigan, claimsWigan],
      ['claims the head’s role', wigan, claimsTheHead],
      ['claims more than placing-authority', wigan, claimsMore],
      ['is for Knowsley’s own audience', wigan, forKnowsley],
      ['comes from an unknown issuer', wigan, unknownIssuer],
      ['is Wigan staff’s, at Knowsley', knowsley, wiganStaff],
    ];
    for (const [why, system, token] of attempts) {
      const response = await registerAt(system, token);
      expect({ why, status: response.status }).toEqual({ why, status: 401 });
      const result = await graphql(system.urls.gateway, token, '{ __typename }');
      expect({ why, status: result.status }).toEqual({ why, status: 401 });
    }
    // The right claims through the same route are accepted.
    expect((await registerAt(wigan, await knowsleySigned({}))).status).toBe(200);
  });

  it('never reads a child, in the graph or the reports', async () => {
    const token = (await clientToken(knowsley, SECRET['340'], AUDIENCE['359'])).body
      .access_token as string;
    const anyChild = wigan.world.socialCare.children[0]!.CHILD;
    const byId = await graphql<{ child: unknown }>(
      wigan.urls.gateway,
      token,
      `
        query ($id: ID!) {
          child(id: $id) {
            id
            name {
              displayName
            }
          }
        }
      `,
      { id: anyChild },
    );
    expect(byId.data?.child ?? null).toBeNull();
    expect(byId.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const list = await graphql<{ children: unknown }>(
      wigan.urls.gateway,
      token,
      `
        {
          children(first: 5) {
            totalCount
            edges {
              node {
                id
              }
            }
          }
        }
      `,
    );
    expect(list.data?.children ?? null).toBeNull();
    expect(list.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    // The register it may read lists Wigan's own schools only, never where children are.
    const register = (await (await registerAt(wigan, token)).json()) as {
      designatedTeachers: Array<{ inAuthority: boolean }>;
    };
    expect(register.designatedTeachers.every((entry) => entry.inAuthority)).toBe(true);
  });
});

describe('shared information from the placing authority', () => {
  const RECEIVE = /* GraphQL */ `
    mutation ($input: RecordPlacedPupilInformationInput!) {
      receivePlacedPupilInformation(input: $input) {
        accepted
      }
    }
  `;
  const ROLL = /* GraphQL */ `
    query ($urn: ID!) {
      school(urn: $urn) {
        lookedAfterPupils {
          upn
          lookedAfterBy {
            code
          }
          placedPupilInformation {
            source
            legalStatus {
              code
            }
            socialWorker {
              name
            }
            placingAuthorityConsent
            updatedBy
          }
        }
      }
    }
  `;
  const pupil = () => placedThere[0]!;
  const schoolOf = (student = pupil()) =>
    student.enrolments.find((enrolment) => enrolment.leaving_date === null)!.urn;
  const details = (upn: string, urn: string, consent = true) => ({
    urn,
    upn,
    legalStatus: 'C2',
    parentalResponsibility: 'Knowsley Council shares parental responsibility with the mother.',
    socialWorkerName: 'Sam Worker',
    socialWorkerEmail: 'sam.worker@knowsley.example.gov.uk',
    nextPepDate: '2026-03-02',
    placingAuthorityConsent: consent,
  });
  const partnerToken = async () =>
    (await clientToken(knowsley, SECRET['340'], AUDIENCE['359'])).body.access_token as string;
  /** The designated teacher of that school at Wigan (a development token for the role). */
  const designatedTeacherAt = (urn: string) =>
    mintPersonaToken(
      wigan.devIssuer.key,
      {
        name: 'designated-teacher',
        sub: 'E900001',
        displayName: 'Designated Teacher',
        roles: ['designated-teacher'],
        la: '359',
        urns: [urn],
        description: '',
      },
      { issuer: wigan.devIssuer.issuer, audience: AUDIENCE['359'] },
    );

  interface Roll {
    school: {
      lookedAfterPupils: Array<{
        upn: string;
        placedPupilInformation: { source: string; updatedBy: string } | null;
      }>;
    };
  }

  it('Knowsley sends, with consent, what Wigan’s school then holds for its designated teacher', async () => {
    expect(placedThere.length).toBeGreaterThan(0);
    const urn = schoolOf();
    const token = await partnerToken();
    const sent = await graphql(wigan.urls.gateway, token, RECEIVE, {
      input: details(pupil().upn, urn),
    });
    expect(sent.errors).toBeUndefined();
    expect(sent.data).toEqual({ receivePlacedPupilInformation: { accepted: true } });

    const roll = await graphql<Roll>(wigan.urls.gateway, await designatedTeacherAt(urn), ROLL, {
      urn,
    });
    expect(roll.errors).toBeUndefined();
    const seen = roll.data!.school.lookedAfterPupils.find((p) => p.upn === pupil().upn)!;
    expect(seen.placedPupilInformation).toEqual({
      source: 'RECEIVED_FROM_PLACING_AUTHORITY',
      legalStatus: { code: 'C2' },
      socialWorker: { name: 'Sam Worker' },
      placingAuthorityConsent: true,
      updatedBy: 'cla-graph-340',
    });
  });

  it('answers the same, and keeps nothing, without consent, off the roll or for an unknown UPN', async () => {
    const token = await partnerToken();
    const other = placedThere.find((student) => student.upn !== pupil().upn);
    const elsewhere = wigan.world.education.schools.find(
      (school) => school.la_code === '359' && school.urn !== schoolOf(),
    )!.urn;
    const attempts = [
      ...(other ? [details(other.upn, schoolOf(other), false)] : []),
      details(pupil().upn, elsewhere),
      details('A123456789012', schoolOf()),
    ];
    for (const input of attempts) {
      const answer = await graphql(wigan.urls.gateway, token, RECEIVE, { input });
      expect({ upn: input.upn, errors: answer.errors, data: answer.data }).toEqual({
        upn: input.upn,
        errors: undefined,
        data: { receivePlacedPupilInformation: { accepted: true } },
      });
    }
    // Each is in Wigan's access log under the UPN sent, kept or not (for auditors only).
    for (const input of attempts) {
      const page = await wigan.stores.audit.query({ subjectUpn: input.upn, first: 50 });
      expect(page.events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actorSub: 'cla-graph-340',
            actorLa: '340',
            operationType: 'mutation',
            categories: expect.arrayContaining(['CARE', 'PR', 'PEP']),
          }),
        ]),
      );
    }
    if (other) {
      const roll = await graphql<Roll>(
        wigan.urls.gateway,
        await designatedTeacherAt(schoolOf(other)),
        ROLL,
        { urn: schoolOf(other) },
      );
      const seen = roll.data!.school.lookedAfterPupils.find((p) => p.upn === other.upn)!;
      expect(seen.placedPupilInformation).toBeNull();
    }
  });

  it('Knowsley’s sending side sends only what it has consent for', async () => {
    const [first, second] = placedThere;
    const share = (upn: string, urn: string, consent: boolean): PlacedPupilShare => {
      const { placingAuthorityConsent: _unused, ...rest } = details(upn, urn);
      return { ...rest, consent };
    };
    const shares = [
      ...(second ? [share(second.upn, schoolOf(second), true)] : []),
      share(first!.upn, schoolOf(first), false),
    ];
    const report = await knowsley.placedPupilPush.send('359', shares);
    expect(report).toEqual({
      la: '359',
      outcome: 'ok',
      sent: second ? 1 : 0,
      accepted: second ? 1 : 0,
      withoutConsent: 1,
    });
    if (second) {
      const roll = await graphql<Roll>(
        wigan.urls.gateway,
        await designatedTeacherAt(schoolOf(second)),
        ROLL,
        { urn: schoolOf(second) },
      );
      const seen = roll.data!.school.lookedAfterPupils.find((p) => p.upn === second.upn)!;
      expect(seen.placedPupilInformation).toMatchObject({
        source: 'RECEIVED_FROM_PLACING_AUTHORITY',
      });
    }
  });

  it('is refused to this authority’s own staff and systems', async () => {
    const input = details(pupil().upn, schoolOf());
    // Wigan's own staff, and a placing-authority token that claims to be Wigan itself.
    const ownPlacing = await mintPersonaToken(
      wigan.devIssuer.key,
      {
        name: 'placing-authority',
        sub: 'client:wigan-itself',
        displayName: 'x',
        roles: ['placing-authority'],
        la: '359',
        urns: [],
        description: '',
      },
      { issuer: wigan.devIssuer.issuer, audience: AUDIENCE['359'] },
    );
    const callers: Array<[string, string]> = [
      ['vsh', await wigan.tokenFor('vsh')],
      ['designated-teacher', await wigan.tokenFor('designated-teacher')],
      ['social-worker', await wigan.tokenFor('social-worker')],
      ['Wigan as placing authority', ownPlacing],
    ];
    for (const [name, token] of callers) {
      const answer = await graphql(wigan.urls.gateway, token, RECEIVE, { input });
      expect({ name, codes: answer.errors?.map((error) => error.extensions?.code) }).toEqual({
        name,
        codes: ['FORBIDDEN'],
      });
    }
  });
});
