/**
 * Who reads and records what placing authorities share about their children on our schools'
 * rolls, as shield rules merged into the education subgraph's (deny by default).
 */
import { rule } from 'graphql-shield';
import { allow, hasRole, mayChange, type AuthzContext } from '../../../lib/authz/rules';
import type { PupilOnRollShape } from '../mapping';

/**
 * The designated teacher of the school whose roll the pupil was read from, with the pupil
 * admitted to this request under that role's scope (roles pair with their own scope: a
 * designated teacher who is also the head reads it as the designated teacher, for pupils on
 * their own roll only). Nobody else: not the head or officers (these are not our children),
 * not a teacher, not another school's designated teacher. Per pupil, so not cached.
 */
export const isDesignatedTeacherOfPupil = rule('isDesignatedTeacherOfPupil', {
  cache: 'no_cache',
})(
  (pupil: PupilOnRollShape, _args, context: AuthzContext) =>
    context.caller !== null &&
    context.caller.roles.includes('designated-teacher') &&
    context.caller.urns.includes(pupil.rollUrn) &&
    context.auth !== undefined &&
    context.auth.scope
      .rolesOf(pupil.child ? { childId: pupil.child.id } : { upn: pupil.upn })
      .includes('designated-teacher'),
);

export const placedPupilMutationRules = {
  // The designated teacher (lib/authz/changes.ts: PLACED_PUPIL_INFORMATION). Which school and
  // pupil is checked where the write happens.
  recordPlacedPupilInformation: mayChange('PLACED_PUPIL_INFORMATION'),
  // Another authority's system (a token whose `la` is not ours has placing-authority rights
  // and no others: lib/authz/authority.ts); that it is not ours and places the pupil is
  // checked where the write happens.
  receivePlacedPupilInformation: hasRole('placing-authority'),
};

export const placedPupilTypeRules = {
  // Reachable only through `PupilOnRoll.placedPupilInformation` and the mutation, both guarded.
  PlacedPupilInformation: allow,
  PlacedPupilInformationDetails: allow,
  PlacedPupilSocialWorker: allow,
  PlacedPupilInformationChange: allow,
  PlacedPupilInformationUpdate: allow,
  PlacedPupilInformationReceipt: allow,
};
