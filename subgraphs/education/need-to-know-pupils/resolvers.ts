/**
 * What a teacher reads of the pupils other authorities look after whose need-to-know list
 * names them (issue 15, point 2), merged into the education subgraph's resolvers.
 *
 * access.md gives a teacher "only children whose NTK list names the caller", and of them "ID,
 * year group, the classroom support strategies the PEP shares with staff, the DT's contact;
 * nothing of CARE, PLACEMENT, ADDRESS, PR, FUNDING". A teacher reaches our children through
 * social care's `children`; another authority's pupil has no record there, so this is their
 * one way in: the pupils on the looked-after roll of the teacher's own school(s) whose list
 * (kept by UPN) names the teacher, with their name, UPN, year group and the school's
 * designated teacher. Never who looks after or placed them (CARE), never what the placing
 * authority shared (the designated teacher's record). We hold no PEP of theirs, so no
 * classroom strategies either.
 *
 * Scope is the shared rule (`lib/authz/scope.ts`): each pupil is admitted to the request under
 * the roles whose scope holds them, and listed only when the teacher role is one of them (a
 * designated teacher who also teaches sees only the pupils whose list names them here).
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { hasRole } from '../../../identity/caller';
import { isUrn } from '../identifiers';
import {
  toDesignatedTeacher,
  toPupil,
  type DesignatedTeacherShape,
  type PersonName,
  type PupilShape,
} from '../mapping';
import type { EducationContext } from '../resolvers';
import { pupilsInScope } from '../scoped-pupils';

/** A pupil on a teacher's need-to-know list, as the teacher reads them. */
export interface NeedToKnowPupilShape {
  upn: string;
  name: PersonName;
  yearGroup: string;
  /** The school whose roll the pupil was read from: whose designated teacher to call. */
  rollUrn: string;
}

async function needToKnowPupils(
  _parent: unknown,
  _args: unknown,
  context: EducationContext,
): Promise<NeedToKnowPupilShape[]> {
  const caller = context.auth.caller;
  // The shield lets only teachers through; checked again here.
  if (!caller || !hasRole(caller, 'teacher')) return [];
  const urns = [...new Set(caller.urns.filter(isUrn))];
  const [named, rolls] = await Promise.all([
    context.auth.scope.needToKnowUpns(),
    Promise.all(urns.map((urn) => context.loaders.lookedAfterPupils.load(urn))),
  ]);
  const candidates = new Map<string, PupilShape & { rollUrn: string }>();
  for (const [index, roll] of rolls.entries()) {
    const urn = urns[index] as string;
    for (const record of roll ?? []) {
      if (!named.has(record.upn) || candidates.has(record.upn)) continue;
      const pupil = toPupil(record, urn);
      // Another authority's pupil only: our children's lists are kept by child id.
      if (pupil && pupil.lookedAfterBy.code !== context.laCode) {
        candidates.set(record.upn, { ...pupil, rollUrn: urn });
      }
    }
  }
  const visible = await pupilsInScope([...candidates.values()], context.auth, context.laCode);
  return visible
    .filter((pupil) => context.auth.scope.rolesOf({ upn: pupil.upn }).includes('teacher'))
    .map((pupil) => ({
      upn: pupil.upn,
      name: pupil.name,
      yearGroup: pupil.yearGroup,
      rollUrn: pupil.rollUrn,
    }));
}

export const needToKnowPupilResolvers = {
  Query: { needToKnowPupils },
  NeedToKnowPupil: {
    designatedTeacher: async (
      pupil: NeedToKnowPupilShape,
      _args: unknown,
      context: EducationContext,
    ): Promise<DesignatedTeacherShape | null> => {
      const teacher = await context.loaders.designatedTeacher.load(pupil.rollUrn);
      return teacher ? toDesignatedTeacher(teacher) : null;
    },
  },
} satisfies GraphQLResolverMap<EducationContext>;
