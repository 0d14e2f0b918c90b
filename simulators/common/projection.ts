/**
 * `fields` of a bulk export (upstream/common/export-fields.ts): each record written holds its
 * key and the fields asked for, nothing else. A name is checked against the export's list
 * (`exportFieldsSchema`: an unknown name is a 400 naming where it is), and a part's field is
 * refused unless the part is included (asking for `episodes.DECOM` without `episodes` would
 * otherwise answer records silently without it).
 */
import { z } from 'zod';
import { topLevelOf } from '../../upstream/common/export-fields';
import { badRequest } from './errors';

/** A record as an export writes it. */
type Row = object;

/** The `fields` body member of an export whose records have these names (a clear 400 else). */
export function exportFieldsSchema<T extends string>(names: readonly [T, ...T[]]) {
  return z.array(
    z.enum(names, {
      errorMap: () => ({ message: 'is not a field of the exported records (see its `fields`)' }),
    }),
  );
}

/** What to keep of each record: a top-level field whole (null) or some of its part's fields. */
type Plan = Map<string, Set<string> | null>;

function pick(item: unknown, names: readonly string[]): unknown {
  if (typeof item !== 'object' || item === null) return item;
  const kept: Record<string, unknown> = {};
  for (const name of names) {
    if (name in item) kept[name] = (item as Record<string, unknown>)[name];
  }
  return kept;
}

/** A part cut down to `names` (every item of a list). Loops, not closures: it runs per record. */
function pickFrom(value: unknown, names: readonly string[]): unknown {
  if (!Array.isArray(value)) return pick(value, names);
  const items = new Array<unknown>(value.length);
  for (let i = 0; i < value.length; i += 1) items[i] = pick(value[i], names);
  return items;
}

/**
 * The function that cuts each record down to `fields` (and `key`), or the identity when no
 * `fields` were given. `parts`: the export's includable parts; `included`: those asked for.
 */
export function projectionFor(
  key: string,
  fields: readonly string[] | undefined,
  parts: readonly string[],
  included: ReadonlySet<string>,
): (record: Row) => Row {
  if (fields === undefined) return (record) => record;
  const plan: Plan = new Map([[key, null]]);
  for (const field of fields) {
    const top = topLevelOf(field);
    if (parts.includes(top) && !included.has(top)) {
      throw badRequest(
        `Invalid body: fields: ${field} is part of ${top}, which include does not ask for`,
        ['fields'],
      );
    }
    if (top === field) plan.set(top, null);
    else {
      const kept = plan.get(top);
      if (kept === null) continue;
      plan.set(top, (kept ?? new Set()).add(field.slice(top.length + 1)));
    }
  }
  const steps = [...plan].map(([name, names]) => ({ name, names: names && [...names] }));
  return (record) => {
    const kept: Record<string, unknown> = {};
    for (const { name, names } of steps) {
      if (!(name in record)) continue;
      const value = (record as Record<string, unknown>)[name];
      kept[name] = names === null ? value : pickFrom(value, names);
    }
    return kept;
  };
}
