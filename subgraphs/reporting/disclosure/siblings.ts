/**
 * Sibling suppression: complementary suppression decided from the data alone, so that every
 * report makes the same decision.
 *
 * A box with the condition "attribute = v" has siblings: the same box with v replaced by each
 * other value. Together they make up the parent (the box without that condition), which some
 * other report may publish, and each sibling may be published by yet another report (as a
 * cell, or as its own total). So whatever is withheld among the siblings can be worked out as
 * parent minus the rest, unless what is withheld adds up to 6 children or more. Secondary
 * suppression inside one table (secondary.ts) cannot see the other reports; this rule can,
 * because it depends only on the partition: if a small sibling makes the next smallest sibling
 * its complement, that complement is withheld in every report that would show it, including a
 * report asking for it alone.
 */
import { isSmallCount } from './policy';
import type { Guard } from './tabulate';

/** Guarded sums per value of the attribute (the siblings, the box's own value among them). */
export type Partition = Map<string, Float64Array>;

/**
 * For each figure, the values whose figure is withheld: the small ones (a guarded quantity of
 * 1 to 5 children, or 1 to 5 children in all), then their complements, the siblings with the
 * fewest children the figure is computed from, until the withheld siblings add up to 0 or 6
 * or more on every guarded quantity.
 *
 * With `change` (per value, this snapshot's guarded sums minus the previous snapshot's), a
 * sibling that 1 to 5 children came into or left is small too, and complements are added
 * until the withheld siblings' change also adds up to 0 or 6 or more: parent minus the shown
 * siblings, at both dates, gives the withheld siblings' change as one sum.
 */
export function siblingWithheld(
  partition: Partition,
  guards: readonly Guard[],
  figures: number,
  change: Partition | null = null,
): Array<Set<string>> {
  const values = [...partition.keys()].sort();
  const childrenGuard = guards.findIndex((g) => g.figure === 0 && g.slot === 2);
  const moved = (value: string, q: number) =>
    change !== null && isSmallCount(Math.abs(change.get(value)?.[q] ?? 0));
  return Array.from({ length: figures }, (_, figure) => {
    const own = guards.flatMap((guard, q) => (guard.figure === figure ? [q] : []));
    const basis = guards.findIndex((g) => g.figure === figure && g.slot === 2);
    const withheld = new Set(
      values.filter((value) => {
        const counts = partition.get(value)!;
        return (
          isSmallCount(counts[childrenGuard]!) ||
          own.some((q) => isSmallCount(counts[q]!)) ||
          moved(value, childrenGuard) ||
          own.some((q) => moved(value, q))
        );
      }),
    );
    const exposed = () =>
      own.some((q) => {
        let sum = 0;
        let changed = 0;
        for (const value of withheld) {
          sum += partition.get(value)![q]!;
          changed += change?.get(value)?.[q] ?? 0;
        }
        return isSmallCount(sum) || isSmallCount(Math.abs(changed));
      });
    while (withheld.size > 0 && exposed()) {
      let next: string | null = null;
      for (const value of values) {
        if (withheld.has(value)) continue;
        const size = partition.get(value)![basis]!;
        if (size > 0 && (next === null || size < partition.get(next)![basis]!)) next = value;
      }
      if (next === null) break;
      withheld.add(next);
    }
    return withheld;
  });
}
