/**
 * The Virtual School directory's resolvers, merged into the education subgraph's: the
 * directory itself (every read noted in the audit trail as VS_DIRECTORY, once per request),
 * the head's update, and the placing authority's entry on each looked-after pupil on a roll
 * and on our own children. Whether a pupil's entry may be read at all is the pupil's field
 * rule (the placing authority is CARE); these resolvers only look it up.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { localAuthority } from '../../../domain/codes/local-authorities';
import { mayChange } from '../../../lib/authz/changes';
import { forbidden } from '../../../lib/errors';
import { connectionFrom, decodeCursor, pageSize } from '../../../lib/graphql/relay';
import type {
  VirtualSchoolChange,
  VirtualSchoolEntry,
  VirtualSchoolUpdateResult,
} from '../../../stores/virtual-school-directory/types';
import type { PupilOnRollShape } from '../mapping';
import type { ChildParent, EducationContext } from '../resolvers';
import { parseVirtualSchoolInput, type RawVirtualSchoolInput } from './input';

interface PageArgs {
  first?: number | null;
  after?: string | null;
}

async function updateVirtualSchoolContact(
  _parent: unknown,
  args: { input: RawVirtualSchoolInput },
  context: EducationContext,
): Promise<VirtualSchoolUpdateResult> {
  const caller = context.auth.caller;
  // The shield lets only the head through; checked again here, before the input is read.
  if (!caller || !mayChange(caller, 'VS_DIRECTORY')) throw forbidden();
  const input = parseVirtualSchoolInput(args.input ?? {});
  const result = await context.directory.store.update({
    ...input,
    actorSub: caller.sub,
    actorRoles: caller.roles,
    requestId: context.auth.requestId,
  });
  context.directory.recordRead();
  return result;
}

export const virtualSchoolResolvers = {
  Query: {
    virtualSchools: async (_parent: unknown, args: PageArgs, context: EducationContext) => {
      // Checked before anything is read.
      const first = pageSize(args.first);
      const offset = decodeCursor(args.after);
      const entries = await context.directory.store.all();
      context.directory.recordRead();
      return connectionFrom(entries.slice(offset, offset + first), offset, entries.length);
    },
  },
  Mutation: { updateVirtualSchoolContact },
  VirtualSchool: {
    localAuthority: (entry: VirtualSchoolEntry) => localAuthority(entry.laCode),
    history: (entry: VirtualSchoolEntry, _args: unknown, context: EducationContext) =>
      context.directory.history.load(entry.laCode),
  },
  VirtualSchoolChange: {
    changedBy: (change: VirtualSchoolChange) => change.actorSub,
  },
  PupilOnRoll: {
    virtualSchoolContact: (pupil: PupilOnRollShape, _args: unknown, context: EducationContext) =>
      context.directory.entry.load(pupil.lookedAfterBy.code),
  },
} satisfies GraphQLResolverMap<EducationContext>;

/** `Child.virtualSchoolContact`: a `Child` here is always one this authority looks after. */
export const childVirtualSchoolContact = (
  _child: ChildParent,
  _args: unknown,
  context: EducationContext,
): Promise<VirtualSchoolEntry | null> => context.directory.entry.load(context.laCode);
