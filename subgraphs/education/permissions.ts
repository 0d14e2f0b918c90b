/**
 * Who may read which education field, mapped onto the shared rule library. Deny by default:
 * a field not listed here is refused. Which children come back at all is decided by scope in
 * the resolvers (`__resolveReference` and `lookedAfterPupils`, see scoped-pupils.ts); these
 * rules decide which categories of a visible child's record each role reads.
 */
import { or, rule } from 'graphql-shield';
import { auditMiddleware, fieldRules, type FieldCategories } from '../../lib/audit/child-audit';
import { allow, hasRole, subgraphShield, type AuthzContext } from '../../lib/authz/rules';
import type { ChildParent } from './resolvers';

/**
 * The data category (access.md) of every Child field this subgraph serves. `id` is the key
 * the gateway joins by, readable by every role that reads a child at all (the UPN is not
 * exposed here: social care serves it, to those who may read ID). `yearGroup` and
 * `designatedTeacher` are what a teacher on the need-to-know list sees beyond ID.
 */
export const CHILD_FIELDS: FieldCategories = {
  id: 'ID_BASIC',
  // Social care's sealed scope facts (lib/authz/vouched-facts.ts): only the query planner reads them.
  scopeFacts: 'ID_BASIC',
  education: 'EDU',
  yearGroup: 'CLASSROOM',
  designatedTeacher: 'CLASSROOM',
  // The placing authority's Virtual School says who placed the child: care status.
  virtualSchoolContact: 'CARE',
};

/** A looked-after pupil on a school's roll, as the school's designated teacher sees them. */
const PUPIL_FIELDS: FieldCategories = {
  name: 'ID',
  upn: 'ID',
  yearGroup: 'EDU',
  // Who looks after the pupil is the placing authority: care status.
  lookedAfterBy: 'CARE',
  education: 'EDU',
  child: 'ID_BASIC',
  // Whom to call at the placing authority names the placing authority, as `lookedAfterBy` does.
  virtualSchoolContact: 'CARE',
};
import type { PupilOnRollShape, SchoolShape } from './mapping';
import {
  needToKnowPupilAudit,
  needToKnowPupilQueryRules,
  needToKnowPupilTypeRules,
} from './need-to-know-pupils/permissions';
import {
  isDesignatedTeacherOfPupil,
  placedPupilMutationRules,
  placedPupilTypeRules,
} from './placed-pupils/permissions';
import {
  registerMutationRules,
  registerQueryRules,
  registerTypeRules,
} from './register/permissions';
import {
  virtualSchoolMutationRules,
  virtualSchoolQueryRules,
  virtualSchoolTypeRules,
} from './virtual-schools/permissions';

const childOf = (child: ChildParent) => child.id;
/** Our children under their social care id; other authorities' pupils (COLA) by UPN. */
const pupilOf = (pupil: PupilOnRollShape) =>
  pupil.child ? { childId: pupil.child.id } : { upn: pupil.upn };

/**
 * Looking a school up by URN: every role with business with schools (school staff, governors,
 * the virtual school, social workers, finance officers reading spend by school, and placing
 * authorities reading the DT register). Not the auditor (the access log only) nor the analyst
 * (authority-wide aggregates, reached elsewhere). A School reached through `_entities` (a
 * school another subgraph names) shows its public details to any authenticated caller.
 */
const readsSchools = hasRole(
  'virtual-school-head',
  'virtual-school-officer',
  'social-worker',
  'designated-teacher',
  'teacher',
  'governor',
  'finance-officer',
  'placing-authority',
);

/** Who reads the designated-teacher register: the people who need to contact a school's DT. */
const readsDesignatedTeacherRegister = hasRole(
  'virtual-school-head',
  'virtual-school-officer',
  'social-worker',
  'designated-teacher',
  'teacher',
  'governor',
  'placing-authority',
);

/**
 * A designated teacher asking about their own school. This depends on the parent (the school),
 * so it cannot use `cache: 'contextual'` (one answer per request, whatever the school: the
 * first school's answer would be reused for every other). `'strict'` would hash the parent
 * for every call; the check itself is cheaper than the hash, so it is not cached at all.
 */
const isDesignatedTeacherOfSchool = rule('isDesignatedTeacherOfSchool', { cache: 'no_cache' })(
  (school: SchoolShape, _args, context: AuthzContext) =>
    context.caller !== null &&
    context.caller.roles.includes('designated-teacher') &&
    context.caller.urns.includes(school.urn),
);

export const educationPermissions = subgraphShield({
  Query: {
    school: readsSchools,
    ...registerQueryRules,
    ...virtualSchoolQueryRules,
    ...needToKnowPupilQueryRules,
  },
  Mutation: {
    ...registerMutationRules,
    ...virtualSchoolMutationRules,
    ...placedPupilMutationRules,
  },
  ...registerTypeRules,
  ...virtualSchoolTypeRules,
  ...placedPupilTypeRules,
  ...needToKnowPupilTypeRules,
  Child: fieldRules('Child', CHILD_FIELDS, childOf),
  School: {
    urn: allow,
    laestab: allow,
    name: allow,
    phase: allow,
    type: allow,
    localAuthority: allow,
    inAuthority: allow,
    designatedTeacher: readsDesignatedTeacherRegister,
    // The virtual school head (every child of ours, wherever on roll), or the school's own DT.
    lookedAfterPupils: or(hasRole('virtual-school-head'), isDesignatedTeacherOfSchool),
  },
  // Value types are reachable only through the guarded fields above.
  Education: allow,
  EducationDataSource: allow,
  Enrolment: allow,
  Attendance: allow,
  AttendanceCodeCount: allow,
  Exclusion: allow,
  Sen: allow,
  Attainment: allow,
  Ks2Result: allow,
  Ks4Result: allow,
  DesignatedTeacher: allow,
  PupilOnRoll: {
    ...fieldRules('PupilOnRoll', PUPIL_FIELDS, pupilOf),
    // What the placing authority shared (issue 15): the school's own designated teacher only.
    placedPupilInformation: isDesignatedTeacherOfPupil,
  },
  PersonName: allow,
  CodedValue: allow,
  LocalAuthority: allow,
});

/**
 * Records each category of each child's record the request returned. Pupils on a school's
 * roll are logged under this authority's child id, or, for other authorities' children
 * (COLA), under their UPN.
 */
export const educationAudit = [
  auditMiddleware('Child', CHILD_FIELDS, childOf),
  // Our children under their social care id; other authorities' pupils (COLA) by UPN.
  auditMiddleware('PupilOnRoll', PUPIL_FIELDS, pupilOf),
  needToKnowPupilAudit,
];
