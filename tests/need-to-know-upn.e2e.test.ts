/**
 * NTK grants by UPN (issue 15, point 2), end to end through the gateway: a designated teacher
 * keeps the need-to-know list of a pupil another authority looks after on their roll (our
 * social care system has no record of them, so the list is kept by UPN); the teacher it names
 * then sees that pupil with exactly what access.md gives a teacher (ID, year group, the DT's
 * contact; nothing of CARE or PR) and loses them at once on revoke. Every other role is
 * refused; our own child's UPN, another school's pupil and a UPN nobody has get one answer
 * after the same upstream requests.
 */
import type { PersonaName } from '../simulators/seed/world';
import type { RunningSystem } from '../system/start-system';
import { tokenAs } from './support/alert-world';
import {
  clientFor,
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

const persona = (name: PersonaName) => system.world.personas.find((p) => p.name === name)!;
const home = () => system.world.la.code;
const school = () => persona('designated-teacher').urns[0]!;

/** Looked after by another authority, on roll now at `urn`, unknown to our social care. */
function colaPupilsAt(urn: string | null): Array<{ upn: string; name: string }> {
  const ours = new Set(system.world.socialCare.children.map((c) => c.UPN));
  return system.world.education.students
    .filter(
      (s) =>
        s.looked_after &&
        s.looked_after_la !== null &&
        s.looked_after_la !== home() &&
        !ours.has(s.upn) &&
        s.enrolments.some(
          (e) => e.leaving_date === null && (urn === null ? true : e.urn === urn),
        ) &&
        (urn !== null || !s.enrolments.some((e) => e.leaving_date === null && e.urn === school())),
    )
    .map((s) => ({ upn: s.upn, name: `${s.forename} ${s.surname}` }));
}

const GRANT = /* GraphQL */ `
  mutation GrantByUpn($input: GrantNeedToKnowByUpnInput!) {
    grantNeedToKnowByUpn(input: $input) {
      changed
      grant {
        urn
        grantedBy
        reason
        revokedAt
        staffMember {
          staffId
        }
      }
    }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation RevokeByUpn($input: RevokeNeedToKnowByUpnInput!) {
    revokeNeedToKnowByUpn(input: $input) {
      changed
      grant {
        urn
        revokedBy
        revokedAt
      }
    }
  }
`;
const TEACHER_VIEW = /* GraphQL */ `
  query TeacherNtkPupils {
    needToKnowPupils {
      upn
      name {
        displayName
      }
      yearGroup
      designatedTeacher {
        name
        workEmail
        workPhone
      }
    }
  }
`;
const DT_ROLL = /* GraphQL */ `
  query DtRollNtk($urn: ID!) {
    school(urn: $urn) {
      lookedAfterPupils {
        upn
        child {
          id
        }
        needToKnow {
          grants {
            urn
            staffMember {
              staffId
            }
          }
          history {
            action
            staffId
            actor
          }
        }
      }
    }
  }
`;

interface TeacherView {
  needToKnowPupils: Array<{
    upn: string;
    name: { displayName: string };
    yearGroup: string;
    designatedTeacher: { name: string; workEmail: string; workPhone: string } | null;
  }>;
}
interface RollView {
  school: {
    lookedAfterPupils: Array<{
      upn: string;
      child: { id: string } | null;
      needToKnow: {
        grants: Array<{ urn: string; staffMember: { staffId: string } }>;
        history: Array<{ action: string; staffId: string; actor: string }>;
      } | null;
    }>;
  };
}

/** Everything a response carries, to search for what must not be there. */
const textOf = (result: GraphQLResult<unknown>): string =>
  JSON.stringify({ data: result.data, errors: result.errors });

const codes = (result: GraphQLResult<unknown>) =>
  (result.errors ?? []).map((error) => error.extensions?.code);

describe('a designated teacher keeps the need-to-know list of another authority’s pupil by UPN', () => {
  it('grants by UPN; the teacher named then sees ID, year group and the DT contact only; revoking removes the pupil at once', async () => {
    const dt = persona('designated-teacher');
    const teacher = persona('teacher');
    expect(teacher.urns).toContain(school());
    const [pupil] = colaPupilsAt(school());
    expect(pupil).toBeDefined();
    const asDt = await clientFor(system, 'designated-teacher');
    const asTeacher = await clientFor(system, 'teacher');

    const before = await asTeacher<TeacherView>(TEACHER_VIEW);
    expect(before.errors).toBeUndefined();
    expect(before.data!.needToKnowPupils).toEqual([]);

    const input = { upn: pupil!.upn, staffId: teacher.sub, reason: 'Agreed with the pupil at PEP' };
    const granted = await asDt(GRANT, { input });
    expect(granted.errors).toBeUndefined();
    expect(granted.data).toEqual({
      grantNeedToKnowByUpn: {
        changed: true,
        grant: {
          urn: school(),
          grantedBy: dt.sub,
          reason: input.reason,
          revokedAt: null,
          staffMember: { staffId: teacher.sub },
        },
      },
    });
    // Idempotent: the same grant again changes nothing.
    const again = await asDt(GRANT, { input: { ...input, reason: 'Said again' } });
    expect(again.data).toMatchObject({ grantNeedToKnowByUpn: { changed: false } });

    // The designated teacher sees the list on the pupil on their roll; our children's lists
    // are on their `child`, so theirs here is null.
    const roll = await asDt<RollView>(DT_ROLL, { urn: school() });
    expect(roll.errors).toBeUndefined();
    const pupils = roll.data!.school.lookedAfterPupils;
    const listed = pupils.find((p) => p.upn === pupil!.upn)!;
    expect(listed.child).toBeNull();
    expect(listed.needToKnow).toEqual({
      grants: [{ urn: school(), staffMember: { staffId: teacher.sub } }],
      history: [{ action: 'GRANTED', staffId: teacher.sub, actor: dt.sub }],
    });
    for (const ours of pupils.filter((p) => p.child !== null)) expect(ours.needToKnow).toBeNull();

    // The teacher sees exactly that pupil, with what access.md gives a teacher and no more.
    const seen = await asTeacher<TeacherView>(TEACHER_VIEW);
    expect(seen.errors).toBeUndefined();
    const register = system.world.education.designatedTeachers.find((t) => t.urn === school())!;
    expect(seen.data!.needToKnowPupils).toEqual([
      {
        upn: pupil!.upn,
        name: { displayName: pupil!.name },
        yearGroup: expect.stringMatching(/^(R|N[12]|[1-9]|1[0-4])$/) as unknown as string,
        designatedTeacher: {
          name: expect.any(String) as unknown as string,
          workEmail: register.email,
          workPhone: register.phone,
        },
      },
    ]);
    // Nothing else of theirs is reachable: not the roll, not the list, not who placed them.
    const roleOnRoll = await asTeacher<RollView>(DT_ROLL, { urn: school() });
    expect(codes(roleOnRoll)).toContain('FORBIDDEN');
    expect(textOf(roleOnRoll)).not.toContain(pupil!.upn);
    const careField = await asTeacher(`{ needToKnowPupils { upn lookedAfterBy { code } } }`);
    expect(codes(careField)).toContain('GRAPHQL_VALIDATION_FAILED');
    // A teacher's children (social care) stay ours only: the pupil is not there.
    const children = await asTeacher<{ children: { totalCount: number } }>(
      `{ children(first: 50) { totalCount edges { node { id } } } }`,
    );
    expect(textOf(children)).not.toContain(pupil!.upn);

    // The teacher's read is in the access log under the pupil's UPN, as ID and CLASSROOM.
    const { events } = await system.stores.audit.query({ subjectUpn: pupil!.upn, first: 20 });
    const teacherRead = events.find((e) => e.operationName === 'TeacherNtkPupils');
    expect(teacherRead).toMatchObject({ actorSub: teacher.sub, childId: null });
    expect([...teacherRead!.categories].sort()).toEqual(['CLASSROOM', 'ID']);
    const dtRead = events.find((e) => e.operationName === 'DtRollNtk');
    expect(dtRead?.categories).toContain('NTK');

    // Revoke: the pupil is gone for the teacher at once, and the history keeps both.
    const revoked = await asDt(REVOKE, { input: { ...input, reason: 'Pupil asked to end it' } });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data).toMatchObject({
      revokeNeedToKnowByUpn: { changed: true, grant: { urn: school(), revokedBy: dt.sub } },
    });
    const again2 = await asDt(REVOKE, { input: { ...input, reason: 'Again' } });
    expect(again2.data).toMatchObject({ revokeNeedToKnowByUpn: { changed: false } });
    const after = await asTeacher<TeacherView>(TEACHER_VIEW);
    expect(after.data!.needToKnowPupils).toEqual([]);
    expect(
      (await system.stores.needToKnow.historyForPupil(pupil!.upn)).map((e) => e.action),
    ).toEqual(['GRANT', 'REVOKE']);
  });
});

describe('every other role is refused', () => {
  it('refuses grants and revokes by UPN to everyone but the pupil’s school’s DT, storing nothing', async () => {
    const teacher = persona('teacher');
    const [pupil] = colaPupilsAt(school());
    const input = { upn: pupil!.upn, staffId: teacher.sub, reason: 'Trying' };
    const historyBefore = await system.stores.needToKnow.historyForPupil(pupil!.upn);
    const otherUrn = colaPupilsAt(null)
      .map(
        (p) =>
          system.world.education.students
            .find((s) => s.upn === p.upn)!
            .enrolments.find((e) => e.leaving_date === null)!.urn,
      )
      .find((urn) => urn !== school())!;
    const tokens: Record<string, string> = {
      teacher: await system.tokenFor('teacher'),
      'teacher-ntk': await system.tokenFor('teacher-ntk'),
      vsh: await system.tokenFor('vsh'),
      'vs-officer': await system.tokenFor('vs-officer'),
      'social-worker': await system.tokenFor('social-worker'),
      analyst: await system.tokenFor('analyst'),
      governor: await system.tokenFor('governor'),
      'finance-officer': await system.tokenFor('finance-officer'),
      auditor: await system.tokenFor('auditor'),
      'placing-authority': await system.tokenFor('placing-authority'),
      // Our school's DT's claims, but from another authority: a placing authority.
      'another authority’s DT': await tokenAs(system, {
        sub: persona('designated-teacher').sub,
        roles: ['designated-teacher'],
        urns: [school()],
        la: persona('placing-authority').la,
      }),
    };
    for (const [who, token] of Object.entries(tokens)) {
      for (const mutation of [GRANT, REVOKE]) {
        const result = await graphql(system.urls.gateway, token, mutation, { input });
        expect({ who, codes: codes(result) }).toEqual({ who, codes: ['FORBIDDEN'] });
        expect(textOf(result)).not.toContain(pupil!.name);
      }
    }
    // Another school's designated teacher: the pupil does not exist for them.
    const otherDt = await tokenAs(system, {
      sub: 'ST9999',
      roles: ['designated-teacher'],
      urns: [otherUrn],
    });
    const fromOtherSchool = await graphql(system.urls.gateway, otherDt, GRANT, { input });
    expect(fromOtherSchool.errors).toMatchObject([
      { message: 'No such pupil.', extensions: { code: 'NOT_FOUND' } },
    ]);
    expect(await system.stores.needToKnow.historyForPupil(pupil!.upn)).toEqual(historyBefore);
  });

  it('shows other authorities’ pupils on need-to-know lists to teachers only', async () => {
    const [pupil] = colaPupilsAt(school());
    await system.stores.needToKnow.grantForPupil({
      upn: pupil!.upn,
      staffId: persona('teacher').sub,
      urn: school(),
      actor: persona('designated-teacher').sub,
      reason: 'Agreed',
    });
    for (const who of [
      'designated-teacher',
      'vsh',
      'vs-officer',
      'social-worker',
      'analyst',
      'governor',
      'finance-officer',
      'auditor',
      'placing-authority',
    ] as const) {
      const result = await (await clientFor(system, who))(TEACHER_VIEW);
      expect({ who, codes: codes(result) }).toEqual({ who, codes: ['FORBIDDEN'] });
      expect(textOf(result)).not.toContain(pupil!.upn);
    }
    // The teacher's claims from another authority: a placing authority, so refused too.
    const foreign = await tokenAs(system, {
      sub: persona('teacher').sub,
      roles: ['teacher'],
      urns: [school()],
      la: persona('placing-authority').la,
    });
    const refused = await graphql(system.urls.gateway, foreign, TEACHER_VIEW);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    // The teacher at another school, named on the grant but not on the pupil's school's staff.
    const elsewhere = await tokenAs(system, {
      sub: persona('teacher').sub,
      roles: ['teacher'],
      urns: ['999999'],
    });
    const notHere = await graphql<TeacherView>(system.urls.gateway, elsewhere, TEACHER_VIEW);
    expect(notHere.data).toEqual({ needToKnowPupils: [] });
    // The head never sees other authorities' pupils, list or no list.
    const headRoll = await (await clientFor(system, 'vsh'))<RollView>(DT_ROLL, { urn: school() });
    expect(textOf(headRoll)).not.toContain(pupil!.upn);
    await system.stores.needToKnow.revokeForPupil({
      upn: pupil!.upn,
      staffId: persona('teacher').sub,
      urns: [school()],
      actor: persona('designated-teacher').sub,
      reason: 'Done',
    });
  });
});

/**
 * One list per child: our own child's UPN is refused on the UPN path, answered exactly as a
 * pupil on another school's roll and a UPN nobody has, after the same upstream requests
 * (counts, not times: timing is measured in bench/).
 */
describe('grantNeedToKnowByUpn for pupils the designated teacher may not change', () => {
  it('answers our own child, another school’s pupil and an unknown UPN with the same body after the same requests', async () => {
    const world = system.world;
    const teacher = persona('teacher');
    const onRoll = new Set(
      world.education.students
        .filter((s) => s.enrolments.some((e) => e.urn === school() && e.leaving_date === null))
        .map((s) => s.upn),
    );
    const ourChild = world.socialCare.children.find(
      (c) => !c.RESTRICTED && c.UPN !== null && onRoll.has(c.UPN) && /^[A-Z]\d{11}/.test(c.UPN),
    )!;
    const elsewhere = colaPupilsAt(null)[0]!;
    expect(ourChild).toBeDefined();
    expect(elsewhere).toBeDefined();
    const classes = {
      ourChild: ourChild.UPN!,
      outOfScope: elsewhere.upn,
      nonExistent: 'Z99999999999Z',
    };
    expect(world.education.students.some((s) => s.upn === classes.nonExistent)).toBe(false);

    const asDt = await clientFor(system, 'designated-teacher');
    const answers: Record<string, unknown> = {};
    const counts: Record<string, unknown> = {};
    for (const [name, upn] of Object.entries(classes)) {
      await resetUpstreamCounters(system);
      const result = await asDt(GRANT, {
        input: { upn, staffId: teacher.sub, reason: 'Agreed at the PEP meeting' },
      });
      counts[name] = await upstreamCounts(system);
      answers[name] = { status: result.status, data: result.data, errors: result.errors };
    }
    expect(answers.outOfScope).toMatchObject({
      data: null,
      errors: [{ message: 'No such pupil.', extensions: { code: 'NOT_FOUND' } }],
    });
    expect(answers.ourChild).toEqual(answers.outOfScope);
    expect(answers.nonExistent).toEqual(answers.outOfScope);
    expect(counts.ourChild).toEqual(counts.outOfScope);
    expect(counts.nonExistent).toEqual(counts.outOfScope);
    expect(counts.outOfScope).toMatchObject({ socialCare: 1, finance: 0 });
    for (const upn of Object.values(classes)) {
      expect(await system.stores.needToKnow.historyForPupil(upn)).toEqual([]);
    }
    // Our child's list stays the one kept by child id.
    expect(
      (await system.stores.needToKnow.activeGrantsForChildren([ourChild.CHILD]))
        .get(ourChild.CHILD)!
        .some((g) => g.staffId === teacher.sub),
    ).toBe(false);
  });

  it('refuses a malformed UPN with BAD_USER_INPUT naming what a UPN is, never the value', async () => {
    const asDt = await clientFor(system, 'designated-teacher');
    const result = await asDt(GRANT, {
      input: { upn: 'UN1-secret', staffId: persona('teacher').sub, reason: '' },
    });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.message).toMatch(/A UPN is 13 characters.*Give a reason/);
    expect(textOf(result)).not.toContain('secret');
  });
});
