/**
 * What a placing authority's CLA Graph sends about its child on one of our schools' rolls
 * (issue 15, point 3): the same record the school's designated teacher keeps (point 2),
 * marked RECEIVED_FROM_PLACING_AUTHORITY, written by the authority's client.
 *
 * Kept only when all hold: the caller is another authority (a token whose `la` is not ours:
 * placing-authority rights only), the authority consented, the pupil is on that school's roll
 * and our education system records the caller's authority as looking after them. Whatever
 * became of it the answer is `accepted: true` after the same look-up, so a partner learns
 * nothing about who is on our rolls; the UPN goes into the request's audit trail either way
 * (the access log's events about another authority's pupils are for auditors only).
 */
import { forbidden } from '../../../lib/errors';
import type { EducationContext } from '../resolvers';
import { toPupil } from '../mapping';
import { parsePlacedPupilInput, type RawPlacedPupilInput } from './input';
import { PLACED_PUPIL_CATEGORIES } from './resolvers';

export interface PlacedPupilReceipt {
  accepted: true;
}

export async function receivePlacedPupilInformation(
  _parent: unknown,
  args: { input: RawPlacedPupilInput },
  context: EducationContext,
): Promise<PlacedPupilReceipt> {
  const caller = context.auth.caller;
  // Our own staff (a placing-authority persona of this authority included) record through
  // the designated teacher's mutation; only another authority's system sends.
  if (!caller || !caller.roles.includes('placing-authority') || caller.la === context.laCode) {
    throw forbidden();
  }
  const input = parsePlacedPupilInput(args.input ?? {});
  const roll = (await context.loaders.lookedAfterPupils.load(input.urn)) ?? [];
  const found = roll.find((record) => record.upn === input.upn);
  const pupil = found ? toPupil(found, input.urn) : null;
  if (pupil && pupil.lookedAfterBy.code === caller.la && input.placingAuthorityConsent) {
    await context.placedPupils.store.record({
      ...input,
      placingLa: caller.la,
      source: 'RECEIVED_FROM_PLACING_AUTHORITY',
      actorSub: caller.sub,
      actorRoles: caller.roles,
      requestId: context.auth.requestId,
    });
  }
  for (const category of PLACED_PUPIL_CATEGORIES) {
    context.auth.auditTrail.recordPupil(input.upn, category);
  }
  return { accepted: true };
}
