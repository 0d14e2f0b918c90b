/**
 * What placing authorities share with our schools about the children they look after there
 * (issue 15, point 2), end to end through the gateway: the designated teacher records it for
 * another authority's pupil on their roll and reads it back, with its history; every other
 * role is refused (FORBIDDEN) and nothing changes, a designated teacher of another school and
 * the virtual school head included; bad input names every bad field; the same input twice
 * changes nothing; the access log names the pupil by UPN for the read and the change.
 */
import type { PersonaName } from '../simulators/seed/world';
import type { RunningSystem } from '../system/start-system';
import { tokenAs } from './support/alert-world';
import { clientFor, graphql, startTestSystem, type GraphQLResult } from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

const dtPersona = () => system.world.personas.find((p) => p.name === 'designated-teacher')!;
const home = () => system.world.la.code;

const codesAt = <T>(result: GraphQLResult<T>) =>
  (result.errors ?? []).map((error) => `${(error.path ?? []).join('.')}:${error.extensions?.code}`);

const DETAILS = /* GraphQL */ `
  legalStatus {
    code
    label
  }
  parentalResponsibility
  delegatedAuthority
  socialWorker {
    name
    workEmail
    workPhone
  }
  lastPepDate
  nextPepDate
  placingAuthorityConsent
  source
`;

const INFORMATION = /* GraphQL */ `
  ${DETAILS}
  updatedAt
  updatedBy
  history {
    changedAt
    changedBy
    before {
      ${DETAILS}
    }
    after {
      ${DETAILS}
    }
  }
`;

const ROLL = /* GraphQL */ `
  query PlacedRoll($urn: ID!) {
    school(urn: $urn) {
      lookedAfterPupils {
        upn
        lookedAfterBy {
          code
        }
        child {
          id
        }
        placedPupilInformation {
          ${INFORMATION}
        }
      }
    }
  }
`;

const RECORD = /* GraphQL */ `
  mutation RecordPlaced($input: RecordPlacedPupilInformationInput!) {
    recordPlacedPupilInformation(input: $input) {
      changed
      information {
        ${INFORMATION}
      }
    }
  }
`;

interface Details {
  legalStatus: { code: string; label: string };
  parentalResponsibility: string;
  delegatedAuthority: string | null;
  socialWorker: { name: string; workEmail: string | null; workPhone: string | null };
  lastPepDate: string | null;
  nextPepDate: string | null;
  placingAuthorityConsent: boolean;
  source: string;
}
interface Information extends Details {
  updatedAt: string;
  updatedBy: string;
  history: { changedAt: string; changedBy: string; before: Details | null; after: Details }[];
}
interface RollPupil {
  upn: string;
  lookedAfterBy: { code: string };
  child: { id: string } | null;
  placedPupilInformation: Information | null;
}
interface RecordResult {
  recordPlacedPupilInformation: { changed: boolean; information: Information } | null;
}

const shared = {
  legalStatus: 'C2',
  parentalResponsibility: 'The placing authority, shared with the birth mother',
  delegatedAuthority: 'Foster carers sign school trip and photograph consent forms',
  socialWorkerName: 'Dana Whitfield',
  socialWorkerEmail: 'dana.whitfield@placing.example.gov.uk',
  socialWorkerPhone: '01632 960 123',
  lastPepDate: '2025-11-03',
  nextPepDate: '2026-03-02',
  placingAuthorityConsent: true,
};

const expectedDetails = (input: typeof shared): Details => ({
  legalStatus: { code: input.legalStatus, label: expect.any(String) as unknown as string },
  parentalResponsibility: input.parentalResponsibility,
  delegatedAuthority: input.delegatedAuthority,
  socialWorker: {
    name: input.socialWorkerName,
    workEmail: input.socialWorkerEmail,
    workPhone: input.socialWorkerPhone,
  },
  lastPepDate: input.lastPepDate,
  nextPepDate: input.nextPepDate,
  placingAuthorityConsent: input.placingAuthorityConsent,
  source: 'RECORDED_BY_SCHOOL',
});

async function dtRoll(): Promise<RollPupil[]> {
  const ask = await clientFor(system, 'designated-teacher');
  const result = await ask<{ school: { lookedAfterPupils: RollPupil[] } }>(ROLL, {
    urn: dtPersona().urns[0],
  });
  expect(result.errors).toBeUndefined();
  return result.data!.school.lookedAfterPupils;
}

async function colaOnRoll(): Promise<RollPupil[]> {
  return (await dtRoll()).filter((pupil) => pupil.lookedAfterBy.code !== home());
}

/**
 * Other authorities' pupils on the DT's roll: one per test that records, so the tests stay
 * independent. The last is never recorded for: the refusals all try it, and each checks that
 * nothing was written.
 */
let colaTaken = 0;
async function nextCola(): Promise<RollPupil> {
  const cola = await colaOnRoll();
  expect(cola.length - 1).toBeGreaterThan(colaTaken);
  return cola[colaTaken++]!;
}
async function untouchedCola(): Promise<RollPupil> {
  const cola = await colaOnRoll();
  return cola[cola.length - 1]!;
}

async function recordAs(token: string, input: Record<string, unknown>) {
  return graphql<RecordResult>(system.urls.gateway, token, RECORD, { input });
}

async function rowsFor(upn: string): Promise<{ records: number; changes: number }> {
  const { rows } = await system.stores.db.query<{ records: number; changes: number }>(
    `SELECT (SELECT count(*)::int FROM placed_pupil_information WHERE upn = $1) AS records,
            (SELECT count(*)::int FROM placed_pupil_information_change WHERE upn = $1) AS changes`,
    [upn],
  );
  return rows[0]!;
}

describe('the designated teacher', () => {
  it('records what the placing authority shared, reads it back on the roll, with history', async () => {
    const pupil = await nextCola();
    expect(pupil.child).toBeNull();
    expect(pupil.placedPupilInformation).toBeNull();
    const urn = dtPersona().urns[0]!;
    const token = await system.tokenFor('designated-teacher');

    const first = await recordAs(token, { urn, upn: pupil.upn, ...shared });
    expect(first.errors).toBeUndefined();
    expect(first.data!.recordPlacedPupilInformation).toMatchObject({
      changed: true,
      information: { ...expectedDetails(shared), updatedBy: dtPersona().sub },
    });
    expect(first.data!.recordPlacedPupilInformation!.information.legalStatus.label).toBe(
      'Full care order',
    );

    // The same again changes nothing and adds no history.
    const again = await recordAs(token, { urn, upn: pupil.upn, ...shared });
    expect(again.errors).toBeUndefined();
    expect(again.data!.recordPlacedPupilInformation!.changed).toBe(false);
    expect(await rowsFor(pupil.upn)).toEqual({ records: 1, changes: 1 });

    // A change: a new legal status and the next PEP moved; no e-mail now, the phone only.
    const changed = {
      ...shared,
      legalStatus: 'E1',
      nextPepDate: '2026-04-20',
      socialWorkerEmail: null,
    };
    const second = await recordAs(token, { urn, upn: pupil.upn, ...changed });
    expect(second.errors).toBeUndefined();
    expect(second.data!.recordPlacedPupilInformation!.changed).toBe(true);

    const seen = (await dtRoll()).find((candidate) => candidate.upn === pupil.upn)!;
    const information = seen.placedPupilInformation!;
    expect(information).toMatchObject(expectedDetails(changed as unknown as typeof shared));
    expect(information.history).toEqual([
      {
        changedAt: expect.any(String),
        changedBy: dtPersona().sub,
        before: null,
        after: expectedDetails(shared),
      },
      {
        changedAt: information.updatedAt,
        changedBy: dtPersona().sub,
        before: expectedDetails(shared),
        after: expectedDetails(changed as unknown as typeof shared),
      },
    ]);
    expect(await rowsFor(pupil.upn)).toEqual({ records: 1, changes: 2 });
  });

  it('gets null, not another authority’s record, for our own children on roll', async () => {
    const ours = (await dtRoll()).filter((pupil) => pupil.lookedAfterBy.code === home());
    expect(ours.length).toBeGreaterThan(0);
    for (const pupil of ours) expect(pupil.placedPupilInformation).toBeNull();
  });

  it('cannot record for one of our children, nor a UPN not on the roll: NOT_FOUND, nothing written', async () => {
    const roll = await dtRoll();
    const ours = roll.find((pupil) => pupil.lookedAfterBy.code === home())!;
    const token = await system.tokenFor('designated-teacher');
    const urn = dtPersona().urns[0]!;
    const missing = 'Z999999999999';
    expect(roll.some((pupil) => pupil.upn === missing)).toBe(false);
    for (const upn of [ours.upn, missing]) {
      const result = await recordAs(token, { urn, upn, ...shared });
      expect(codesAt(result)).toEqual(['recordPlacedPupilInformation:NOT_FOUND']);
      expect(await rowsFor(upn)).toEqual({ records: 0, changes: 0 });
    }
  });

  it('gets every bad field named in one error, and nothing changes', async () => {
    const pupil = await untouchedCola();
    const token = await system.tokenFor('designated-teacher');
    const result = await recordAs(token, {
      urn: '12345',
      upn: 'nope',
      legalStatus: 'ZZ',
      parentalResponsibility: ' ',
      delegatedAuthority: null,
      socialWorkerName: '',
      socialWorkerEmail: 'not an address',
      socialWorkerPhone: '999',
      lastPepDate: '2026-02-30',
      nextPepDate: 'soon',
      placingAuthorityConsent: true,
    });
    expect(codesAt(result)).toEqual(['recordPlacedPupilInformation:BAD_USER_INPUT']);
    const message = result.errors![0]!.message;
    for (const field of [
      'urn',
      'upn',
      'legalStatus',
      'parentalResponsibility',
      'socialWorkerName',
      'socialWorkerEmail',
      'socialWorkerPhone',
      'lastPepDate',
      'nextPepDate',
    ]) {
      expect(message).toContain(`\`${field}\``);
    }
    expect(message).not.toContain('not an address');

    const order = await recordAs(token, {
      urn: dtPersona().urns[0],
      upn: pupil.upn,
      ...shared,
      lastPepDate: '2026-03-02',
      nextPepDate: '2025-11-03',
    });
    expect(order.errors![0]!.message).toContain('`nextPepDate` must come after `lastPepDate`');
    expect(await rowsFor(pupil.upn)).toEqual({ records: 0, changes: 0 });
  });
});

describe('everyone else', () => {
  const others: PersonaName[] = [
    'vsh',
    'vs-officer',
    'social-worker',
    'teacher-ntk',
    'teacher',
    'governor',
    'analyst',
    'finance-officer',
    'placing-authority',
    'auditor',
  ];

  it.each(others)('%s may not record: FORBIDDEN, and nothing changes', async (name) => {
    const pupil = await untouchedCola();
    const result = await recordAs(await system.tokenFor(name), {
      urn: dtPersona().urns[0],
      upn: pupil.upn,
      ...shared,
    });
    expect(codesAt(result)).toEqual(['recordPlacedPupilInformation:FORBIDDEN']);
    expect(await rowsFor(pupil.upn)).toEqual({ records: 0, changes: 0 });
  });

  it('a designated teacher of another school may neither record nor read: FORBIDDEN', async () => {
    const pupil = await nextCola();
    const urn = dtPersona().urns[0]!;
    const elsewhere = system.world.education.designatedTeachers.find((dt) => dt.urn !== urn)!.urn;
    const token = await tokenAs(system, {
      sub: 'ST-DT-ELSEWHERE',
      roles: ['designated-teacher'],
      urns: [elsewhere],
    });
    const write = await recordAs(token, { urn, upn: pupil.upn, ...shared });
    expect(codesAt(write)).toEqual(['recordPlacedPupilInformation:FORBIDDEN']);
    expect(await rowsFor(pupil.upn)).toEqual({ records: 0, changes: 0 });

    // Recorded by the school's own designated teacher, then asked for by the other school's.
    const own = await recordAs(await system.tokenFor('designated-teacher'), {
      urn,
      upn: pupil.upn,
      ...shared,
    });
    expect(own.errors).toBeUndefined();
    const read = await graphql<{ school: { lookedAfterPupils: RollPupil[] | null } }>(
      system.urls.gateway,
      token,
      ROLL,
      { urn },
    );
    expect(codesAt(read)).toEqual(['school.lookedAfterPupils:FORBIDDEN']);
    expect(read.data!.school.lookedAfterPupils).toBeNull();
  });

  it('the virtual school head reads the roll but not what placing authorities shared', async () => {
    const ask = await clientFor(system, 'vsh');
    const result = await ask<{ school: { lookedAfterPupils: RollPupil[] } }>(ROLL, {
      urn: dtPersona().urns[0],
    });
    const pupils = result.data!.school.lookedAfterPupils;
    // The head sees our children only, and is refused the field on each.
    expect(pupils.length).toBeGreaterThan(0);
    expect(pupils.every((pupil) => pupil.lookedAfterBy.code === home())).toBe(true);
    expect(pupils.every((pupil) => pupil.placedPupilInformation === null)).toBe(true);
    expect(new Set(codesAt(result))).toEqual(
      new Set(
        pupils.map((_p, i) => `school.lookedAfterPupils.${i}.placedPupilInformation:FORBIDDEN`),
      ),
    );
  });

  it.each<PersonaName>(['teacher-ntk', 'teacher', 'vs-officer', 'social-worker', 'governor'])(
    '%s cannot reach the roll at all: FORBIDDEN',
    async (name) => {
      const ask = await clientFor(system, name);
      const result = await ask<{ school: { lookedAfterPupils: RollPupil[] | null } | null }>(ROLL, {
        urn: dtPersona().urns[0],
      });
      expect(codesAt(result)).toEqual(['school.lookedAfterPupils:FORBIDDEN']);
      expect(result.data!.school!.lookedAfterPupils).toBeNull();
    },
  );
});

describe('the access log', () => {
  it('names the pupil by UPN for the change and for the read, for the auditor', async () => {
    const pupil = await nextCola();
    const token = await system.tokenFor('designated-teacher');
    const written = await recordAs(token, { urn: dtPersona().urns[0], upn: pupil.upn, ...shared });
    expect(written.errors).toBeUndefined();
    await dtRoll();

    const asAuditor = await clientFor(system, 'auditor');
    const found = await asAuditor<{
      accessLog: {
        edges: Array<{
          node: {
            subjectUpn: string | null;
            categories: string[];
            operationName: string | null;
            operationType: string;
            actor: { sub: string };
          };
        }>;
      };
    }>(
      /* GraphQL */ `
        query ($upn: String) {
          accessLog(filter: { upn: $upn }, first: 50) {
            edges {
              node {
                subjectUpn
                categories
                operationName
                operationType
                actor {
                  sub
                }
              }
            }
          }
        }
      `,
      { upn: pupil.upn },
    );
    expect(found.errors).toBeUndefined();
    const events = found.data!.accessLog.edges.map((edge) => edge.node);
    const change = events.find((event) => event.operationName === 'RecordPlaced');
    expect(change).toMatchObject({
      subjectUpn: pupil.upn,
      operationType: 'mutation',
      actor: { sub: dtPersona().sub },
    });
    expect(change!.categories).toEqual(expect.arrayContaining(['CARE', 'PEP', 'PR']));
    const read = events.find((event) => event.operationName === 'PlacedRoll');
    expect(read).toMatchObject({ subjectUpn: pupil.upn, actor: { sub: dtPersona().sub } });
    expect(read!.categories).toEqual(expect.arrayContaining(['CARE', 'PEP', 'PR', 'ID']));
  });
});
