/**
 * Who may read which social care field, mapped onto the shared rule library. Deny by default:
 * a field not listed here is refused. Which children come back at all is decided by scope in
 * the resolvers (see scoped-children.ts and `inScope`); these rules decide which categories
 * of a visible child's record each role reads.
 */
import { allow, hasRole, mayRead, subgraphShield } from '../../lib/authz/rules';

/** Roles that read individual children's records at all (the rest get FORBIDDEN, not an empty answer). */
const readsIndividualRecords = hasRole(
  'virtual-school-head',
  'virtual-school-officer',
  'social-worker',
  'designated-teacher',
  'teacher',
  'finance-officer',
);

export const socialCarePermissions = subgraphShield({
  Query: {
    child: readsIndividualRecords,
    children: readsIndividualRecords,
  },
  Child: {
    id: mayRead('ID_BASIC'),
    name: mayRead('ID_BASIC'),
    upn: mayRead('ID'),
    dateOfBirth: mayRead('ID'),
    age: mayRead('ID'),
    gender: mayRead('ID'),
    careStatus: mayRead('CARE'),
    placement: mayRead('PLACEMENT'),
    socialWorker: mayRead('PR'),
    parentalResponsibility: mayRead('PR'),
    pep: mayRead('PEP'),
    sharedSupportStrategies: mayRead('CLASSROOM'),
  },
  // The address is the one confidential part of a placement: never for school staff.
  Placement: { '*': allow, address: mayRead('ADDRESS') },
  // Value types are reachable only through the guarded fields above.
  ChildConnection: allow,
  ChildEdge: allow,
  PageInfo: allow,
  PersonName: allow,
  CodedValue: allow,
  LocalAuthority: allow,
  Money: allow,
  CareStatus: allow,
  CareEpisode: allow,
  Carer: allow,
  PlacementAddress: allow,
  SocialWorker: allow,
  ParentalResponsibility: allow,
  PepRecord: allow,
  Pep: allow,
  PepTarget: allow,
});
