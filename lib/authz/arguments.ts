/**
 * "Arguments are reads" (`shared/spec/access.md`, last section): selecting, sorting or searching
 * children by a value tells the caller that value, so an argument needs the category of the
 * value it selects by. Each filter input declares, next to its own definition, which of its
 * fields reads which category; this module turns that table into the shield rule that refuses
 * the whole operation (FORBIDDEN naming the argument, nothing run) when none of the caller's
 * roles may read the category, and into the list of categories the resolver must require for
 * every child it returns (roles pair with their own scope, see scope.ts) and the audit records.
 */
import { rule } from 'graphql-shield';
import { forbidden } from '../errors';
import type { Category } from '../../domain/categories';
import { mayReadCategory } from './categories';
import type { AuthzContext } from './rules';

/** For one input object: which field reads which category, and when a value counts as used. */
export type ArgumentCategories = Readonly<
  Record<string, { category: Category; used?: (value: unknown) => boolean }>
>;

/** Any value but null or undefined selects by the field. */
const present = (value: unknown) => value !== null && value !== undefined;

export interface UsedArgument {
  /** The argument's path as the caller wrote it, e.g. `filter.legalStatus`. */
  argument: string;
  category: Category;
}

/** The fields of `input` that select by a category, in the table's order. */
export function argumentsUsed(
  argumentName: string,
  table: ArgumentCategories,
  input: unknown,
): UsedArgument[] {
  if (!input || typeof input !== 'object') return [];
  const values = input as Record<string, unknown>;
  return Object.entries(table)
    .filter(([field, entry]) => (entry.used ?? present)(values[field]))
    .map(([field, entry]) => ({ argument: `${argumentName}.${field}`, category: entry.category }));
}

/** The distinct categories the used arguments read. */
export function categoriesUsed(used: readonly UsedArgument[]): Category[] {
  return [...new Set(used.map((entry) => entry.category))];
}

/** The value at a dotted argument path (`filter.worklist`), undefined where any step is missing. */
export function argumentAt(args: Record<string, unknown>, argumentPath: string): unknown {
  let value: unknown = args;
  for (const step of argumentPath.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/**
 * The shield rule for a field taking `argumentName` (or an input nested in it, as a dotted
 * path such as `filter.worklist`): refused, naming every argument the caller may not select
 * by, when no role of theirs reads its category.
 */
export const argumentsReadable = (argumentName: string, table: ArgumentCategories) =>
  rule(`argumentsReadable:${argumentName}:${Object.keys(table).join(',')}`, {
    cache: 'no_cache',
  })((_parent, args: Record<string, unknown>, context: AuthzContext) => {
    const refused = argumentsUsed(argumentName, table, argumentAt(args, argumentName)).filter(
      (entry) => !mayReadCategory(context.caller, entry.category),
    );
    if (refused.length === 0) return true;
    return forbidden(
      `Not authorised to select children by ${refused
        .map((entry) => `\`${entry.argument}\``)
        .join(', ')}: it needs access to data you may not read.`,
    );
  });
