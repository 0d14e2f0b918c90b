/**
 * A synchronous evaluation path for the rules of our library whose function answers
 * synchronously (a boolean from the token's roles or the request's scope map).
 *
 * graphql-shield's middleware for a field is an `async` function awaiting the `async`
 * `Rule.resolve` and then the resolver: every wrapped field costs three promises and four
 * microtask hops even when the rule and the resolver are synchronous, which on a page of 500
 * children (4,500 ruled fields) was most of the shield's cost (bench/notes/shield-overhead.md).
 * For a rule marked here when it is made (`synchronousRule` in rules.ts), `subgraphShield`
 * puts in place of graphql-shield's middleware one that decides exactly as graphql-shield
 * would (same function, same cache, same `fallbackError`, same handling of a thrown error)
 * without a promise, and hands back the resolver's own result (a value or a promise).
 *
 * Only rules marked here take this path: logic rules (`and`, `or`, ...), rules with another
 * cache, and rules made anywhere else keep graphql-shield's own middleware.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { IMiddlewareFunction, IMiddlewareTypeMap } from 'graphql-middleware';
import type { IRules } from 'graphql-shield';
import { ruleFor } from './rule-coverage';

/** The caches graphql-shield offers that this path reproduces. */
export type SynchronousCache = 'no_cache' | 'contextual';

/** What decides a synchronous rule: its name (the contextual cache key), cache and function. */
interface SynchronousRule {
  name: string;
  cache: SynchronousCache;
  decide: (parent: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo) => unknown;
}

/** The context graphql-shield keeps its per-request cache in (its `IShieldContext`). */
interface ShieldCacheContext {
  _shield?: { cache: Record<string, unknown> };
}

/** graphql-shield's `fallbackError` option (its `IFallbackErrorType`, not exported). */
export type FallbackError =
  | Error
  | ((
      error: unknown,
      parent: object,
      args: object,
      context: ShieldCacheContext,
      info: GraphQLResolveInfo,
    ) => Error | Promise<Error>);

/** The shield options this path supports: those `subgraphShield` passes. */
export interface SynchronousShieldOptions {
  allowExternalErrors: true;
  debug?: false;
  fallbackError: FallbackError;
}

const synchronous = new WeakMap<object, SynchronousRule>();

/**
 * Marks a graphql-shield rule as answering synchronously from `decide`, which must be the
 * function the rule was made with, under the cache it was made with.
 */
export function markSynchronous<TRule extends object>(made: TRule, rule: SynchronousRule): TRule {
  synchronous.set(made, rule);
  return made;
}

/** Whether a rule was marked synchronous where it was made. */
export function isSynchronousRule(rule: unknown): boolean {
  return typeof rule === 'object' && rule !== null && synchronous.has(rule);
}

/** A promise or any other thenable, as graphql-js and `await` take one. */
export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

/** With `allowExternalErrors`, graphql-shield returns a resolver's error, not throws it. */
const returnError = (error: unknown): unknown => error;

/** The value as is; a promise with its rejection returned as the value, as graphql-shield does. */
function passingErrors(result: unknown): unknown {
  return isThenable(result) ? result.then(undefined, returnError) : result;
}

/** `Rule.resolve`'s mapping of what a rule function answered: an Error, a message, or a boolean. */
function verdictOf(answer: unknown): true | false | Error {
  if (answer instanceof Error) return answer;
  if (typeof answer === 'string') return new Error(answer);
  return answer === true;
}

type Resolve = (
  parent: unknown,
  args: unknown,
  context: unknown,
  info: GraphQLResolveInfo,
) => unknown;

/** What graphql-shield's middleware does once the rule has answered. */
function afterVerdict(
  verdict: true | false | Error,
  options: SynchronousShieldOptions,
  resolve: Resolve,
  parent: unknown,
  args: unknown,
  context: ShieldCacheContext,
  info: GraphQLResolveInfo,
): unknown {
  if (verdict instanceof Error) return verdict;
  try {
    if (verdict) return passingErrors(resolve(parent, args, context, info));
    const { fallbackError } = options;
    if (typeof fallbackError !== 'function') return fallbackError;
    return passingErrors(fallbackError(null, parent as object, args as object, context, info));
  } catch (error) {
    return returnError(error);
  }
}

/** The rule's own answer through the cache it was made with, as graphql-shield's `executeRule`. */
function answerOf(
  rule: SynchronousRule,
  parent: unknown,
  args: unknown,
  context: ShieldCacheContext & { _shield: { cache: Record<string, unknown> } },
  info: GraphQLResolveInfo,
): unknown {
  if (rule.cache === 'no_cache') return rule.decide(parent, args, context, info);
  const cache = context._shield.cache;
  // graphql-shield's writeToCache: a falsy answer is not kept, so it is asked again.
  if (!cache[rule.name]) cache[rule.name] = rule.decide(parent, args, context, info);
  return cache[rule.name];
}

/**
 * A field's middleware for a synchronous rule, equivalent to graphql-shield's (generator.js
 * `generateFieldMiddlewareFromRule`, with `Rule.resolve` and `executeRule`) for the options
 * given: `true` calls the resolver, `false` answers `fallbackError`, an Error (or message)
 * from the rule is the field's error, a rule that throws refuses (as `Rule.resolve` does
 * without `debug`), and an error from the resolver or `fallbackError` is returned as the
 * field's value (as `allowExternalErrors` does), which graphql-js reports as the field's error.
 */
function synchronousMiddleware(
  rule: SynchronousRule,
  options: SynchronousShieldOptions,
): IMiddlewareFunction {
  const middleware = (
    resolve: Resolve,
    parent: unknown,
    args: unknown,
    givenContext: unknown,
    info: GraphQLResolveInfo,
  ): unknown => {
    const context = (givenContext ?? {}) as ShieldCacheContext;
    if (!context._shield) context._shield = { cache: {} };
    let answer: unknown;
    try {
      answer = answerOf(rule, parent, args, context as Required<ShieldCacheContext>, info);
    } catch {
      answer = false;
    }
    if (isThenable(answer)) {
      // Not what a rule marked synchronous does; decided as graphql-shield would, asynchronously.
      return Promise.resolve(answer).then(
        (settled) =>
          afterVerdict(verdictOf(settled), options, resolve, parent, args, context, info),
        () => afterVerdict(false, options, resolve, parent, args, context, info),
      );
    }
    return afterVerdict(verdictOf(answer), options, resolve, parent, args, context, info);
  };
  // graphql-middleware hands the middleware's result to graphql-js as the field's, which
  // takes a value or a promise; its type says Promise only because its examples are async.
  return middleware as unknown as IMiddlewareFunction;
}

/**
 * graphql-shield's middleware map with each field whose rule is marked synchronous given the
 * synchronous middleware in its place. A field graphql-shield gave an object (a rule with a
 * fragment) keeps its own.
 */
export function withSynchronousRules(
  middleware: IMiddlewareTypeMap,
  tree: IRules,
  options: SynchronousShieldOptions,
): IMiddlewareTypeMap {
  if (options.allowExternalErrors !== true || options.debug) return middleware;
  const result: IMiddlewareTypeMap = {};
  for (const [typeName, fields] of Object.entries(middleware)) {
    if (typeof fields !== 'object' || fields === null) {
      result[typeName] = fields;
      continue;
    }
    result[typeName] = Object.fromEntries(
      Object.entries(fields).map(([field, generated]) => {
        const found = ruleFor(tree, typeName, field);
        const rule = found === undefined ? undefined : synchronous.get(found);
        return [
          field,
          rule && typeof generated === 'function'
            ? synchronousMiddleware(rule, options)
            : generated,
        ];
      }),
    );
  }
  return result;
}
