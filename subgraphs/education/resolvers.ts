/**
 * The education subgraph's resolvers. Every pupil and school goes through the per-request
 * loaders, so N `Child` references (joined by social care id) cost one social care search
 * (their scope facts, which carry the UPN) and one `students/batch` (only for the children in
 * scope), which side-loads the schools their records name and those schools' designated
 * teachers; any other school a response names costs one `schools/batch` between them.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { Caller } from '../../identity/caller';
import type { ChildRepresentation, RequestAuth } from '../../lib/authz/request-auth';
import type { EdSchool } from '../../upstream/education/contract';
import { ErrorCode, PublicError, badUserInput } from '../../lib/errors';
import { isUpn, isUrn } from './identifiers';
import type { EducationLoaders } from './loaders';
import type { PlacedPupilContext } from './placed-pupils/context';
import { needToKnowPupilResolvers } from './need-to-know-pupils/resolvers';
import { placedPupilResolvers } from './placed-pupils/resolvers';
import type { RegisterContext } from './register/context';
import { registerResolvers } from './register/resolvers';
import { childInScope, pupilsInScope } from './scoped-pupils';
import type { DirectoryContext } from './virtual-schools/context';
import { childVirtualSchoolContact, virtualSchoolResolvers } from './virtual-schools/resolvers';
import {
  toDesignatedTeacher,
  toEducation,
  toPupil,
  toSchool,
  type DesignatedTeacherShape,
  type EducationShape,
  type EnrolmentShape,
  type ExclusionShape,
  type ChildReference,
  type PupilOnRollShape,
  type PupilShape,
  type SchoolShape,
} from './mapping';

export interface EducationContext {
  loaders: EducationLoaders;
  /** This authority's code: schools in it are `inAuthority`, its pupils link to social care. */
  laCode: string;
  /** The caller (read by the permission rules) and the children they may see. */
  caller: Caller | null;
  auth: RequestAuth;
  /** The designated teacher register (register/). */
  register: RegisterContext;
  /** The directory of local authorities' Virtual Schools (virtual-schools/). */
  directory: DirectoryContext;
  /** What placing authorities share about their children on our rolls (placed-pupils/). */
  placedPupils: PlacedPupilContext;
}

/**
 * A `Child` as this subgraph passes it on: its key (social care's id), the UPN from social
 * care's facts, and its education once looked up.
 */
export interface ChildParent extends ChildReference {
  education?: EducationShape | null;
}

/** A representation's key is whatever the caller sent; compare it as text. */
function keyText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

async function educationOf(upn: string, context: EducationContext): Promise<EducationShape | null> {
  // 'UN1'..'UN5' and other non-UPNs cannot match a pupil: no need to ask the system.
  if (!isUpn(upn)) return null;
  const record = await context.loaders.student.load(upn);
  return record ? toEducation(record) : null;
}

async function schoolOrNull(urn: string, context: EducationContext): Promise<SchoolShape | null> {
  const school: EdSchool | null = await context.loaders.school.load(urn);
  return school ? toSchool(school, context.laCode) : null;
}

/** The child's education: looked up with the reference, or now for a pupil on a roll. */
async function childEducation(
  child: ChildParent,
  context: EducationContext,
): Promise<EducationShape | null> {
  return child.education !== undefined ? child.education : educationOf(child.upn, context);
}

/** A school a pupil's record names: it must exist, the schema promises one. */
async function namedSchool(urn: string, context: EducationContext): Promise<SchoolShape> {
  const school = await schoolOrNull(urn, context);
  if (!school) {
    throw new PublicError(
      ErrorCode.NOT_FOUND,
      'A school named in this record is not in the education system.',
    );
  }
  return school;
}

async function designatedTeacherAt(
  urn: string,
  context: EducationContext,
): Promise<DesignatedTeacherShape | null> {
  const teacher = await context.loaders.designatedTeacher.load(urn);
  return teacher ? toDesignatedTeacher(teacher) : null;
}

export const educationResolvers: GraphQLResolverMap<EducationContext> = {
  Query: {
    school: async (_parent: unknown, args: { urn: string }, context: EducationContext) => {
      if (!isUrn(args.urn)) throw badUserInput('`urn` must be a school URN: 6 digits.');
      return schoolOrNull(args.urn, context);
    },
    ...registerResolvers.Query,
    ...virtualSchoolResolvers.Query,
    ...needToKnowPupilResolvers.Query,
  },

  Mutation: {
    ...registerResolvers.Mutation,
    ...virtualSchoolResolvers.Mutation,
    ...placedPupilResolvers.Mutation,
  },
  DesignatedTeacherEntry: registerResolvers.DesignatedTeacherEntry,
  DesignatedTeacherChange: registerResolvers.DesignatedTeacherChange,
  VirtualSchool: virtualSchoolResolvers.VirtualSchool,
  VirtualSchoolChange: virtualSchoolResolvers.VirtualSchoolChange,
  PupilOnRoll: { ...virtualSchoolResolvers.PupilOnRoll, ...placedPupilResolvers.PupilOnRoll },
  PlacedPupilInformation: placedPupilResolvers.PlacedPupilInformation,
  PlacedPupilInformationDetails: placedPupilResolvers.PlacedPupilInformationDetails,
  PlacedPupilInformationChange: placedPupilResolvers.PlacedPupilInformationChange,
  PlacedPupilInformationUpdate: placedPupilResolvers.PlacedPupilInformationUpdate,
  NeedToKnowPupil: needToKnowPupilResolvers.NeedToKnowPupil,

  Child: {
    /**
     * A child this authority looks after and the caller may see, by social care id, or null:
     * a malformed id, a child unknown to social care, another authority's child, one out of
     * scope, and one with no UPN on record all give the same answer, with no error. The UPN
     * comes from the scope facts (no extra request); the education record is read only for
     * children in scope.
     */
    __resolveReference: async (
      reference: ChildRepresentation,
      context: EducationContext,
    ): Promise<ChildParent | null> => {
      // Facts social care sealed for this request need no second look-up (vouched-facts.ts).
      context.auth.acceptSealedFacts(reference);
      const child = await childInScope(keyText(reference.id), context.auth, context.laCode);
      if (!child) return null;
      return { ...child, education: await educationOf(child.upn, context) };
    },
    // A Child this subgraph returned itself (a pupil on roll) arrives with its id and UPN only:
    // its education is read then (the roll primed the loader, so at no extra cost).
    education: (child: ChildParent, _args: unknown, context: EducationContext) =>
      childEducation(child, context),
    yearGroup: async (child: ChildParent, _args: unknown, context: EducationContext) =>
      (await childEducation(child, context))?.yearGroup ?? null,
    designatedTeacher: async (
      child: ChildParent,
      _args: unknown,
      context: EducationContext,
    ): Promise<DesignatedTeacherShape | null> => {
      const urn = (await childEducation(child, context))?.currentSchoolUrn ?? null;
      return urn === null ? null : designatedTeacherAt(urn, context);
    },
    virtualSchoolContact: childVirtualSchoolContact,
  },

  Education: {
    currentSchool: (education: EducationShape, _args: unknown, context: EducationContext) =>
      education.currentSchoolUrn === null
        ? null
        : schoolOrNull(education.currentSchoolUrn, context),
  },

  Enrolment: {
    school: (enrolment: EnrolmentShape, _args: unknown, context: EducationContext) =>
      namedSchool(enrolment.schoolUrn, context),
  },

  Exclusion: {
    school: (exclusion: ExclusionShape, _args: unknown, context: EducationContext) =>
      namedSchool(exclusion.schoolUrn, context),
  },

  School: {
    __resolveReference: async (reference: { urn?: unknown }, context: EducationContext) => {
      const urn = keyText(reference.urn);
      return isUrn(urn) ? schoolOrNull(urn, context) : null;
    },
    designatedTeacher: (school: SchoolShape, _args: unknown, context: EducationContext) => {
      context.register.recordRead();
      return designatedTeacherAt(school.urn, context);
    },
    // Only the pupils the caller may see: the permission rule decides who may ask at all,
    // scope which of the school's looked-after pupils they see (never a restricted child of
    // ours, unless they are the virtual school head).
    lookedAfterPupils: async (
      school: SchoolShape,
      _args: unknown,
      context: EducationContext,
    ): Promise<PupilOnRollShape[]> => {
      const records = (await context.loaders.lookedAfterPupils.load(school.urn)) ?? [];
      const pupils = records
        .map((record) => toPupil(record, school.urn))
        .filter((pupil): pupil is PupilShape => pupil !== null)
        .map((pupil) => ({ ...pupil, rollUrn: school.urn }));
      return pupilsInScope(pupils, context.auth, context.laCode);
    },
  },
};
