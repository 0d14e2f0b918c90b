/**
 * The whole of disclosure control for one report, in order:
 * 1. primary: a figure breaking a primary rule (policy.ts) is withheld;
 * 2. differencing: a figure that a wider group's figure would difference down to 1 to 5
 *    children is withheld; if that is the cell's number of children, the whole cell is;
 *    change: with the previous snapshot's universe, a figure that differs from the same
 *    figure then by 1 to 5 children is withheld the same way;
 * 3. siblings: a figure chosen as the complement of a small sibling (or of one that 1 to 5
 *    children came into or left since the previous snapshot), along any attribute the box has
 *    a condition on, is withheld (the same choice in every report);
 * 4. a cohort whose total is withheld returns only the suppressed total;
 * 5. a cell whose number of children is withheld has every figure withheld;
 * 6. secondary: complementary cells are withheld until no row or column of this table gives
 *    one away, and until no row or column whose withheld cells and zeros would show that all
 *    of its children share one value is left with one withheld cell (the children counts
 *    first, then each figure).
 */
import { breaksPrimaryRule, publish } from './figures';
import { isSmallCount } from './policy';
import { differencingRisks } from './differencing';
import { completeSuppression, linesOf, oneValueLines } from './secondary';
import { siblingWithheld, type Partition } from './siblings';
import { tabulate, type BoxKey, type Tabulation } from './tabulate';
import type {
  ProtectedCell,
  ProtectedTable,
  SdcRecord,
  SuppressionReason,
  TableRequest,
} from './types';

/**
 * `previous` is the universe at the previous snapshot date (the same attributes, the same
 * figures), when the report is a published snapshot: each figure is then also checked against
 * the same figure at that date. Every band a record of either universe has must be listed.
 */
export function protectTable(
  records: readonly SdcRecord[],
  request: TableRequest,
  previous: readonly SdcRecord[] | null = null,
): ProtectedTable {
  const { figures } = request;
  if (figures.length === 0 || figures[0]!.kind !== 'COUNT') {
    throw new RangeError('figure 0 must be the count of children');
  }
  const tabulation = tabulate(records, request);
  const before = previous === null ? null : tabulate(previous, request);
  const { boxes, tallies, guards } = tabulation;
  const totalIndex = boxes.length - 1;
  const reasons: Array<Array<SuppressionReason | null>> = boxes.map(() => figures.map(() => null));
  const withhold = (box: number, figure: number, reason: SuppressionReason) => {
    const row = reasons[box]!;
    if (row[figure] === null && figures[figure]!.available) row[figure] = reason;
  };
  const withholdCell = (box: number, reason: SuppressionReason) => {
    figures.forEach((_spec, figure) => withhold(box, figure, reason));
  };

  // A breakdown's partitions are shared by every cell of a row or column: decide each once.
  const decisions = new Map<string, Array<Set<string>>>();
  boxes.forEach((_box, index) => {
    figures.forEach((spec, figure) => {
      if (breaksPrimaryRule(spec, tallies[index]![figure]!)) withhold(index, figure, 'PRIMARY');
    });
    // The guarded part's share is published by difference (box minus the rest, which other
    // reports show): 1 to 5 children in it, or in its numerator or denominator, is small too.
    for (const q of partPrimaryRisks(tabulation, index)) {
      const figure = guards[q]!.figure;
      if (figure === 0) withholdCell(index, 'PRIMARY');
      else withhold(index, figure, 'PRIMARY');
    }
    for (const q of differencingRisks(tabulation, index)) {
      const figure = guards[q]!.figure;
      if (figure === 0) withholdCell(index, 'DIFFERENCING');
      else withhold(index, figure, 'DIFFERENCING');
    }
    if (before) {
      for (const q of changeRisks(tabulation, before, index)) {
        const figure = guards[q]!.figure;
        if (figure === 0) withholdCell(index, 'CHANGE');
        else withhold(index, figure, 'CHANGE');
      }
    }
    const earlier = before ? partitionsOf(before, request, index) : null;
    for (const [p, { key, partition, value }] of partitionsOf(
      tabulation,
      request,
      index,
    ).entries()) {
      let decided = key === null ? undefined : decisions.get(key);
      if (!decided) {
        const now = partition();
        const change = earlier ? changeOf(now, earlier[p]!.partition(), guards.length) : null;
        decided = siblingWithheld(now, guards, figures.length, change);
        if (key !== null) decisions.set(key, decided);
      }
      decided.forEach((withheld, figure) => {
        if (!withheld.has(value)) return;
        if (figure === 0) withholdCell(index, 'SIBLING');
        else withhold(index, figure, 'SIBLING');
      });
    }
    if (reasons[index]![0] !== null) withholdCell(index, 'CELL');
  });

  const cell = (index: number): ProtectedCell => ({
    bands: boxes[index]!.map((band, d) =>
      band === null ? null : (request.dimensions[d]!.bands[band] ?? null),
    ),
    figures: figures.map((spec, figure) =>
      publish(spec, tallies[index]![figure]!, reasons[index]![figure] !== null),
    ),
    reasons: reasons[index]!,
    members: tabulation.members[index]!,
  });

  if (reasons[totalIndex]![0] !== null) {
    const total = cell(totalIndex);
    total.figures = figures.map((spec, figure) =>
      publish(spec, tallies[totalIndex]![figure]!, true),
    );
    return { total, cells: [], suppressedTotalOnly: true };
  }

  const lines = linesOf(tabulation.layout);
  const isTotal = (index: number) => boxes[index]!.some((band) => band === null);
  const secondary = (figure: number) => {
    const spec = figures[figure]!;
    if (!spec.available) return [];
    const withheld = reasons.map((row) => row[figure] !== null);
    return completeSuppression(lines, withheld, (index) => {
      const basis = tallies[index]![figure]!.basis;
      // Prefer a cell with children to one with none, and a cell to a total.
      return (basis === 0 ? 2e12 : 0) + (isTotal(index) ? 1e12 : 0) + basis + index / 1e6;
    });
  };
  // Children counts: complements, and a further cell wherever a line's withheld cell and zeros
  // would say that all of its children share one value (`c, 0, 0, 0`), until neither adds one.
  for (let added = true; added;) {
    added = false;
    for (const index of secondary(0)) {
      withholdCell(index, 'SECONDARY');
      added = true;
    }
    const withheld = reasons.map((row) => row[0] !== null);
    const empty = tallies.map((tally) => tally[0]!.basis === 0);
    for (const index of oneValueLines(lines, withheld, empty)) {
      withholdCell(index, 'ONE_VALUE');
      added = true;
    }
  }
  for (let figure = 1; figure < figures.length; figure++) {
    for (const index of secondary(figure)) withhold(index, figure, 'SECONDARY');
  }

  const cells = boxes.map((_box, index) => index).filter((index) => index !== totalIndex);
  return { total: cell(totalIndex), cells: cells.map(cell), suppressedTotalOnly: false };
}

/**
 * The partitions box `index` is one part of: along each breakdown dimension it has a band on
 * (the other bands, same position on the other dimension; `key` names it, since every box of
 * that row or column shares it) and along each filter condition (the records that fail only
 * that condition, by the value they have instead).
 */
function partitionsOf(
  tabulation: Tabulation,
  request: TableRequest,
  index: number,
): Array<{ key: string | null; partition: () => Partition; value: string }> {
  const box = tabulation.boxes[index]!;
  const cohort = tabulation.byMask.get(0);
  const out: Array<{ key: string | null; partition: () => Partition; value: string }> = [];
  box.forEach((band, d) => {
    if (band === null) return;
    const bands = request.dimensions[d]!.bands;
    out.push({
      key: `${d}:${box[1 - d]}`,
      value: bands[band]!,
      partition: () =>
        new Map(
          bands.map((name, i) => {
            const at: BoxKey = d === 0 ? [i, box[1]] : [box[0], i];
            return [name, cohort?.at(at) ?? new Float64Array(tabulation.guards.length)];
          }),
        ),
    });
  });
  request.filter.forEach((condition, m) => {
    out.push({
      key: null,
      value: condition.value,
      partition: () => {
        const partition: Partition = new Map();
        for (const [value, sums] of tabulation.siblings[m]!) partition.set(value, sums.at(box));
        if (cohort) partition.set(condition.value, cohort.at(box));
        return partition;
      },
    });
  });
  return out;
}

/**
 * Indices (into `tabulation.guards`) of the quantities of box `index` that differ from the same
 * box in the previous snapshot's universe by 1 to 5 children: a small group came into it or
 * left it, and the two snapshots side by side would single them out. A cell at risk is
 * withheld; so is a total, which then returns only the suppressed total.
 */
function changeRisks(tabulation: Tabulation, before: Tabulation, index: number): number[] {
  const box = tabulation.boxes[index]!;
  // The whole universe, with no condition at all, says how many children the authority looks
  // after and nothing about any of them; every narrower box is checked. A guarded part of it
  // is checked even then: it is a box of its own (the same report conditioned on the part).
  const whole = tabulation.filterBits === 0 && box.every((band) => band === null);
  const now = tabulation.byMask.get(0)?.at(box);
  const then = before.byMask.get(0)?.at(box);
  return tabulation.guards.flatMap((guard, q) =>
    (!whole || guard.part) && isSmallCount(Math.abs((now?.[q] ?? 0) - (then?.[q] ?? 0))) ? [q] : [],
  );
}

/**
 * Indices of box `index`'s guarded-part quantities that count 1 to 5 children: the part's
 * share of the box is worked out as box minus the rest, so it is held to the primary rules.
 */
function partPrimaryRisks(tabulation: Tabulation, index: number): number[] {
  const own = tabulation.byMask.get(0)?.at(tabulation.boxes[index]!);
  if (!own) return [];
  return tabulation.guards.flatMap((guard, q) => (guard.part && isSmallCount(own[q]!) ? [q] : []));
}

/** Per value, this snapshot's sums minus the previous one's (values of either, the other zero). */
function changeOf(now: Partition, then: Partition, width: number): Partition {
  const change: Partition = new Map();
  for (const value of new Set([...now.keys(), ...then.keys()])) {
    const difference = new Float64Array(width);
    const a = now.get(value);
    const b = then.get(value);
    for (let q = 0; q < width; q++) difference[q] = (a?.[q] ?? 0) - (b?.[q] ?? 0);
    change.set(value, difference);
    if (!a) now.set(value, new Float64Array(width));
  }
  return change;
}
