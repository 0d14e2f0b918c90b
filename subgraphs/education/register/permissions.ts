/**
 * Who reads and changes the designated teacher register (access.md), as shield rules merged
 * into the education subgraph's (deny by default: a register field with no rule is refused).
 */
import { or, rule } from 'graphql-shield';
import { allow, hasRole, type AuthzContext } from '../../../lib/authz/rules';
import type { RegisterEntryShape } from './entries';

/**
 * Who reads the register: the people and systems that need to reach a school's designated
 * teacher. Placing authorities (another authority's system: the register and the virtual
 * school's contacts, and nothing else in the graph), school staff (the designated teacher,
 * teachers, governors), the virtual school (head and officers) and social workers.
 * Refused: analysts (authority-wide, disclosure-controlled aggregates only: they have no
 * business contacting one school's staff), auditors (the access log only) and finance
 * officers (funding: a school is a cost line to them, not a contact). None of their jobs
 * needs a named member of staff's work contacts, and access.md grants them none.
 */
export const readsRegister = hasRole(
  'placing-authority',
  'designated-teacher',
  'teacher',
  'governor',
  'virtual-school-head',
  'virtual-school-officer',
  'social-worker',
);

/** The head keeps the register: the list to chase is theirs. */
const isHead = hasRole('virtual-school-head');

/**
 * A designated teacher asking about their own school's entry. It depends on the parent, so
 * it is not cached (a contextual cache would reuse the first entry's answer for every other).
 */
const isDesignatedTeacherOfEntry = rule('isDesignatedTeacherOfEntry', { cache: 'no_cache' })(
  (entry: RegisterEntryShape, _args, context: AuthzContext) =>
    context.caller !== null &&
    context.caller.roles.includes('designated-teacher') &&
    context.caller.urns.includes(entry.urn),
);

export const registerQueryRules = {
  designatedTeachers: readsRegister,
  designatedTeachersToChase: isHead,
};

export const registerMutationRules = {
  // Which school a designated teacher may change is checked where the write happens.
  updateDesignatedTeacher: hasRole('virtual-school-head', 'designated-teacher'),
};

export const registerTypeRules = {
  DesignatedTeacherConnection: allow,
  DesignatedTeacherEdge: allow,
  PageInfo: allow,
  DesignatedTeacherEntry: {
    urn: allow,
    schoolName: allow,
    phase: allow,
    localAuthority: allow,
    inAuthority: allow,
    designatedTeacher: allow,
    namedGovernor: allow,
    virtualSchoolContact: allow,
    updatedAt: allow,
    designatedTeacherSource: allow,
    // Who changed what: the head, and the school's own designated teacher.
    history: or(isHead, isDesignatedTeacherOfEntry),
  },
  NamedGovernor: allow,
  VirtualSchoolContact: allow,
  RegisterSource: allow,
  DesignatedTeacherChange: allow,
  DesignatedTeacherUpdate: allow,
  DesignatedTeacherToChase: allow,
};
