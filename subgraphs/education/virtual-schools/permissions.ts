/**
 * Who reads and changes the Virtual School directory, as shield rules merged into the
 * education subgraph's (deny by default: a directory field with no rule is refused).
 */
import { allow, hasRole, mayChange } from '../../../lib/authz/rules';
import { readsRegister } from '../register/permissions';

/**
 * The history names who changed an entry (a directory id): for the Virtual School, which
 * keeps the directory, and designated teachers, who rely on it to call another authority
 * about a child on roll. Not for placing authorities (another authority's system has no
 * business with our staff ids), nor for the other roles that read the directory.
 */
const readsDirectoryHistory = hasRole(
  'virtual-school-head',
  'virtual-school-officer',
  'designated-teacher',
);

export const virtualSchoolQueryRules = {
  // access.md: placing authorities read "the DT register and virtual school contacts"; the
  // directory goes to every role that reads the register, for the same reason (whom to call).
  virtualSchools: readsRegister,
};

export const virtualSchoolMutationRules = {
  // The head only (lib/authz/changes.ts: VS_DIRECTORY, the same kind of reference data as the
  // DT register, which access.md lets the head change).
  updateVirtualSchoolContact: mayChange('VS_DIRECTORY'),
};

export const virtualSchoolTypeRules = {
  VirtualSchoolConnection: allow,
  VirtualSchoolEdge: allow,
  // Reachable only through the guarded fields: the directory, the update, and a pupil's (or
  // child's) `virtualSchoolContact`, which is guarded as the pupil's placing authority (CARE).
  VirtualSchool: {
    localAuthority: allow,
    headName: allow,
    email: allow,
    phone: allow,
    source: allow,
    updatedAt: allow,
    history: readsDirectoryHistory,
  },
  VirtualSchoolChange: allow,
  VirtualSchoolDetails: allow,
  VirtualSchoolUpdate: allow,
};
