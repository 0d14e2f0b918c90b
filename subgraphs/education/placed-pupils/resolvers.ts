/**
 * What placing authorities share with our schools about the children they look after there
 * (issue 15, point 2), merged into the education subgraph's resolvers: the record on each
 * looked-after pupil of another authority on a roll, and the designated teacher's write.
 *
 * access.md lets a designated teacher change "NTK for those children; their school's DT
 * register entry", and read ID CARE PLACEMENT PR EDU PEP of every looked-after pupil on their
 * roll, whichever authority placed them. For another authority's child our social care system
 * holds none of that, so the placing authority tells the school, and what the designated
 * teacher records here is their own record of a pupil on their roll: the CARE, PR and PEP
 * data they already read for our children. So the change is theirs alone
 * (`PLACED_PUPIL_INFORMATION` in lib/authz/changes.ts), for pupils on their own school's roll.
 *
 * Order of the write, as the register's: check who may record at all, check the input, check
 * the school and the pupil (on that roll, looked after by another authority, in the caller's
 * scope), then write the record and its history in one transaction. Reads and writes go into
 * the request's audit trail under the pupil's UPN, as the categories the record holds.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { LEGAL_STATUS, codedValue } from '../../../domain/codes/ssda903';
import type { Category } from '../../../domain/categories';
import { mayChange, rolesMayChange } from '../../../lib/authz/changes';
import { ErrorCode, PublicError, forbidden } from '../../../lib/errors';
import type {
  PlacedPupilChange,
  PlacedPupilDetails,
  PlacedPupilRecord,
  PlacedPupilRecordResult,
} from '../../../stores/placed-pupils/placed-pupil-store';
import { toPupil, type PupilOnRollShape } from '../mapping';
import type { EducationContext } from '../resolvers';
import { pupilsInScope } from '../scoped-pupils';
import { parsePlacedPupilInput, type RawPlacedPupilInput } from './input';
import { receivePlacedPupilInformation } from './receive';

/** What the record holds: legal status and the social worker (CARE), PR, the PEP dates. */
export const PLACED_PUPIL_CATEGORIES: readonly Category[] = ['CARE', 'PR', 'PEP'];

function recordInTrail(context: EducationContext, upn: string): void {
  for (const category of PLACED_PUPIL_CATEGORIES) {
    context.auth.auditTrail.recordPupil(upn, category);
  }
}

const notOnRoll = () =>
  new PublicError(
    ErrorCode.NOT_FOUND,
    'No pupil looked after by another authority has this UPN on this school’s roll.',
  );

async function recordPlacedPupilInformation(
  _parent: unknown,
  args: { input: RawPlacedPupilInput },
  context: EducationContext,
): Promise<PlacedPupilRecordResult> {
  const caller = context.auth.caller;
  // The shield lets only designated teachers through; checked again here, before the input.
  if (!caller || !mayChange(caller, 'PLACED_PUPIL_INFORMATION')) throw forbidden();
  const input = parsePlacedPupilInput(args.input ?? {});
  if (!caller.urns.includes(input.urn)) {
    throw forbidden(
      'A designated teacher records what placing authorities share only for pupils on their own school’s roll.',
    );
  }
  const roll = (await context.loaders.lookedAfterPupils.load(input.urn)) ?? [];
  const found = roll.find((record) => record.upn === input.upn);
  const pupil = found ? toPupil(found, input.urn) : null;
  // Our own children are not recorded here: social care holds their record.
  if (!pupil || pupil.lookedAfterBy.code === context.laCode) throw notOnRoll();
  const [inScope] = await pupilsInScope(
    [{ ...pupil, rollUrn: input.urn }],
    context.auth,
    context.laCode,
  );
  if (
    !inScope ||
    !rolesMayChange(context.auth.scope.rolesOf({ upn: input.upn }), 'PLACED_PUPIL_INFORMATION')
  ) {
    throw forbidden();
  }
  const result = await context.placedPupils.store.record({
    ...input,
    placingLa: pupil.lookedAfterBy.code,
    source: 'RECORDED_BY_SCHOOL',
    actorSub: caller.sub,
    actorRoles: caller.roles,
    requestId: context.auth.requestId,
  });
  recordInTrail(context, input.upn);
  return result;
}

const detailResolvers = {
  legalStatus: (details: PlacedPupilDetails) => codedValue(LEGAL_STATUS, details.legalStatus),
  socialWorker: (details: PlacedPupilDetails) => ({
    name: details.socialWorkerName,
    workEmail: details.socialWorkerEmail,
    workPhone: details.socialWorkerPhone,
  }),
};

export const placedPupilResolvers = {
  Mutation: { recordPlacedPupilInformation, receivePlacedPupilInformation },
  PupilOnRoll: {
    /**
     * Null for our own children (social care holds their record) and when nothing is
     * recorded. Whether it may be read at all is the field's rule (permissions.ts).
     */
    placedPupilInformation: async (
      pupil: PupilOnRollShape,
      _args: unknown,
      context: EducationContext,
    ): Promise<PlacedPupilRecord | null> => {
      if (pupil.child !== null || pupil.lookedAfterBy.code === context.laCode) return null;
      const record = await context.placedPupils.record.load({
        urn: pupil.rollUrn,
        upn: pupil.upn,
      });
      if (record) recordInTrail(context, pupil.upn);
      return record;
    },
  },
  PlacedPupilInformation: {
    ...detailResolvers,
    history: (record: PlacedPupilRecord, _args: unknown, context: EducationContext) =>
      context.placedPupils.history.load({ urn: record.urn, upn: record.upn }),
  },
  PlacedPupilInformationDetails: detailResolvers,
  PlacedPupilInformationChange: {
    changedBy: (change: PlacedPupilChange) => change.actorSub,
  },
  PlacedPupilInformationUpdate: {
    information: (result: PlacedPupilRecordResult) => result.record,
  },
} satisfies GraphQLResolverMap<EducationContext>;
