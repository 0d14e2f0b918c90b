/**
 * The register's resolvers, merged into the education subgraph's. Every read of the register
 * notes itself in the request's audit trail (DT_REGISTER, once per request), so the gateway
 * logs who read it when.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { connectionFrom, decodeCursor, pageSize } from '../../../lib/graphql/relay';
import type { DesignatedTeacherChange } from '../../../stores/designated-teachers/types';
import type { DesignatedTeacherShape } from '../mapping';
import type { EducationContext } from '../resolvers';
import { toChase } from './chase';
import type { RegisterEntryShape } from './entries';
import { matches, parseFilter, type DesignatedTeacherFilterArgs } from './filter';
import { updateDesignatedTeacher } from './update';

interface PageArgs {
  first?: number | null;
  after?: string | null;
  filter?: DesignatedTeacherFilterArgs | null;
}

/** The history keeps the details; the graph shows them as a DesignatedTeacher. */
function asTeacher(details: DesignatedTeacherChange['after']): DesignatedTeacherShape {
  return {
    name: [details.title, details.forename, details.surname]
      .filter((part) => part && part.trim() !== '')
      .join(' '),
    title: details.title,
    forename: details.forename,
    surname: details.surname,
    jobTitle: details.jobTitle,
    workEmail: details.workEmail,
    workPhone: details.workPhone,
    confirmedOn: details.confirmedOn,
  };
}

export const registerResolvers = {
  Query: {
    designatedTeachers: async (_parent: unknown, args: PageArgs, context: EducationContext) => {
      // Checked before anything is read.
      const first = pageSize(args.first);
      const offset = decodeCursor(args.after);
      const filter = parseFilter(args.filter);
      const entries = (await context.register.entries()).filter(matches(filter));
      context.register.recordRead();
      return connectionFrom(entries.slice(offset, offset + first), offset, entries.length);
    },
    designatedTeachersToChase: async (
      _parent: unknown,
      args: { filter?: DesignatedTeacherFilterArgs | null },
      context: EducationContext,
    ) => {
      const filter = parseFilter(args.filter);
      const entries = (await context.register.entries()).filter(matches(filter));
      context.register.recordRead();
      return toChase(entries, context.register.deps.clock());
    },
  },
  Mutation: {
    updateDesignatedTeacher,
  },
  DesignatedTeacherEntry: {
    namedGovernor: (entry: RegisterEntryShape, _args: unknown, context: EducationContext) =>
      context.register.namedGovernor.load(entry.urn),
    history: (entry: RegisterEntryShape, _args: unknown, context: EducationContext) =>
      context.register.history.load(entry.urn),
    designatedTeacherSource: (entry: RegisterEntryShape) => entry.designatedTeacherSource ?? null,
  },
  DesignatedTeacherChange: {
    changedBy: (change: DesignatedTeacherChange) => change.actorSub,
    before: (change: DesignatedTeacherChange) =>
      change.before === null ? null : asTeacher(change.before),
    after: (change: DesignatedTeacherChange) => asTeacher(change.after),
  },
} satisfies GraphQLResolverMap<EducationContext>;
