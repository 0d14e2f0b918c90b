/**
 * The Pupil Premium Plus sums of one financial year from the finance system's client record:
 * what was allocated, what was spent from the child's PP+ (spend and corrections, never the
 * Virtual School Head's top-slices), what is committed (approved PP+ requests the finance system
 * holds as open commitments, less what it has paid of them), and what is unspent once the
 * committed amount and the child's share of the year's top-slices are taken off (shared/spec/domain.md, "Pupil Premium Plus and finance"), with the
 * allocations and spend lines behind them. This is the single place the rule lives: the finance
 * subgraph uses it for a child's `PupilPremiumPlus` and the reporting subgraph for its PP+
 * measures, so a report and a child's record always agree. Pure functions: no I/O, no clock.
 */
import type {
  FinAllocation,
  FinClient,
  FinCommitment,
  FinLedgerLine,
  FinTopSlices,
} from '../../upstream/finance/contract';
import { money, type Money } from '../money';

export interface SchoolReference {
  urn: string;
  /** The school's name, when the finance system gave it (`include=school_names`). */
  name?: string;
}

export interface PupilPremiumPlusAllocation {
  financialYear: string;
  rate: Money;
  amount: Money;
  status: FinAllocation['status'];
}

export interface PupilPremiumPlusSpend {
  id: string;
  postedOn: string;
  school: SchoolReference | null;
  item: string;
  amount: Money;
  pepTargetId: string | null;
}

export interface PupilPremiumPlus {
  financialYear: string;
  allocated: Money;
  /** The spend lines shown, added up (spend and corrections; never top-slices). */
  spent: Money;
  /**
   * Allocated less spent, before the child's share of the top-slices: NOT the unspent PP+
   * (that is `unspentFor`). Kept because a designated teacher, who sees only their own
   * school's spend, gets this and no unspent figure.
   */
  balance: Money;
  /**
   * Approved and not yet paid: the open commitments of the year (of the schools shown, for a
   * designated teacher) less what has been paid of them. A payment is a spend line, so a
   * penny is never both committed and spent.
   */
  committed: Money;
  /**
   * True when `spend` holds every spend line of the child's year; false when it is limited to
   * some schools' lines (a designated teacher's view), so `spent` is not the child's whole
   * spend and no unspent figure can be given.
   */
  allSpendShown: boolean;
  allocations: PupilPremiumPlusAllocation[];
  spend: PupilPremiumPlusSpend[];
}

/** One financial year's top-slices, and what they are shared over. */
export interface TopSliceYear {
  financialYear: string;
  /** Every child's PP+ allocations of the year added up, in pence. */
  allocatedPence: number;
  /** The year's top-slices added up, in pence (corrections to them included). */
  topSlicedPence: number;
}

/** The unspent PP+ of a child's year, with the share of top-slices it takes off. */
export interface UnspentPupilPremiumPlus {
  /** The child's share of the year's top-slices (see UNSPENT_RULE). */
  topSliceShare: Money;
  /** Allocated minus spent minus committed minus the child's share of the year's top-slices. */
  unspent: Money;
  /** The rule the figure follows, in words (UNSPENT_RULE). */
  rule: string;
}

/**
 * How unspent PP+ is worked out, said with every unspent figure. The share is pro rata to the
 * child's allocation, so a child allocated part of a year carries part of a share, and a child
 * with no allocation none; the shares of all children add up to the top-slices to within a
 * penny each.
 */
export const UNSPENT_RULE =
  'Unspent = allocated minus spent minus committed (approved PP+ requests not yet paid) ' +
  'minus the child’s share of the year’s top-slices. ' +
  'The share = the year’s top-slices × the child’s allocation ÷ every child’s PP+ ' +
  'allocations that year, rounded to the nearest penny (halves away from zero).';

/**
 * Lines spent from the child's PP+: spend and corrections (which may be negative). Top-slices
 * are kept centrally by the Virtual School Head and are not the child's spend.
 */
function isChildSpend(line: FinLedgerLine): boolean {
  return line.type === 'SPEND' || line.type === 'ADJUST';
}

/** Newest first; lines posted the same day by id, so the order is stable. */
function newestFirst(a: FinLedgerLine, b: FinLedgerLine): number {
  if (a.posted_on !== b.posted_on) return a.posted_on < b.posted_on ? 1 : -1;
  if (a.line_id === b.line_id) return 0;
  return a.line_id < b.line_id ? 1 : -1;
}

const sumPence = (items: readonly { amount_pence: number }[]): number =>
  items.reduce((total, item) => total + item.amount_pence, 0);

/** What is still to pay of a commitment (never below nothing). */
export const unpaidPence = (commitment: FinCommitment): number =>
  Math.max(0, commitment.amount_pence - commitment.paid_pence);

export function allocationFrom(allocation: FinAllocation): PupilPremiumPlusAllocation {
  return {
    financialYear: allocation.fy,
    rate: money(allocation.rate_pence),
    amount: money(allocation.amount_pence),
    status: allocation.status,
  };
}

/**
 * The school a line names. Read with its name (`school_names`), a school the finance system
 * has no name for is none: the education system knows no such school either (its reference
 * would resolve to null), and a school shown without its name would break the name the
 * finance subgraph `@provides`.
 */
function schoolOf(line: FinLedgerLine): SchoolReference | null {
  if (!line.urn) return null;
  if (line.school_name === undefined) return { urn: line.urn };
  return line.school_name === null ? null : { urn: line.urn, name: line.school_name };
}

export function spendFrom(line: FinLedgerLine): PupilPremiumPlusSpend {
  return {
    id: line.line_id,
    postedOn: line.posted_on,
    school: schoolOf(line),
    item: line.item,
    amount: money(line.amount_pence),
    pepTargetId: line.pep_target_id,
  };
}

/**
 * The child's PP+ for `financialYear` ("2025-26"), or null when the finance system holds
 * neither an allocation nor a spend line (that the caller may see) for the child that year.
 * `spendSchools`, when given, keeps only the spend lines booked to those schools (a designated
 * teacher's own, see subgraphs/finance/funding-scope.ts); `spent` and `balance` then count
 * those lines only, and `allSpendShown` is false. The unspent figure is `unspentFor`.
 */
export function pupilPremiumPlusFor(
  client: FinClient | null,
  financialYear: string,
  spendSchools: readonly string[] | null = null,
): PupilPremiumPlus | null {
  if (client === null) return null;
  // Lines are filtered by client reference too: the search answers by reference, but a
  // line booked to another client must never count against this child.
  const allocations = (client.allocations ?? []).filter(
    (allocation) => allocation.fy === financialYear && allocation.client_ref === client.client_ref,
  );
  const spendLines = (client.ledger ?? [])
    .filter(
      (line) =>
        line.fy === financialYear &&
        line.client_ref === client.client_ref &&
        isChildSpend(line) &&
        (spendSchools === null || (line.urn !== null && spendSchools.includes(line.urn))),
    )
    .sort(newestFirst);
  const commitments = (client.commitments ?? []).filter(
    (commitment) =>
      commitment.fy === financialYear &&
      commitment.client_ref === client.client_ref &&
      commitment.status === 'OPEN' &&
      (spendSchools === null || (commitment.urn !== null && spendSchools.includes(commitment.urn))),
  );
  if (allocations.length === 0 && spendLines.length === 0 && commitments.length === 0) {
    return null;
  }

  const allocatedPence = sumPence(allocations);
  const spentPence = sumPence(spendLines);
  return {
    financialYear,
    allocated: money(allocatedPence),
    spent: money(spentPence),
    balance: money(allocatedPence - spentPence),
    committed: money(commitments.reduce((total, c) => total + unpaidPence(c), 0)),
    allSpendShown: spendSchools === null,
    allocations: allocations.map(allocationFrom),
    spend: spendLines.map(spendFrom),
  };
}

/**
 * The finance system's answer for a year's top-slices, summed: the TOPSLICE lines of that year
 * (the lines are the facts; nothing else in the answer is trusted to add them up), over the
 * year's total of allocations.
 */
export function topSliceYearFrom(answer: FinTopSlices): TopSliceYear {
  const financialYear = answer.meta.fy;
  return {
    financialYear,
    allocatedPence: answer.meta.allocated_pence,
    topSlicedPence: sumPence(
      answer.data.filter((line) => line.type === 'TOPSLICE' && line.fy === financialYear),
    ),
  };
}

/** numerator / denominator (denominator > 0) to the nearest integer, halves away from zero. */
function roundedQuotient(numerator: bigint, denominator: bigint): bigint {
  const sign = numerator < 0n ? -1n : 1n;
  const magnitude = numerator < 0n ? -numerator : numerator;
  return sign * ((2n * magnitude + denominator) / (2n * denominator));
}

/**
 * The child's share of the year's top-slices, in pence: top-sliced × the child's allocation ÷
 * every allocation of the year, rounded to the nearest penny (halves away from zero). Exact
 * integer arithmetic (the product of two sums of pence can pass 2^53 for a large authority).
 * Nothing is shared over a year with no allocations.
 */
export function topSliceSharePence(childAllocatedPence: number, year: TopSliceYear): number {
  if (year.allocatedPence <= 0 || childAllocatedPence === 0) return 0;
  return Number(
    roundedQuotient(
      BigInt(year.topSlicedPence) * BigInt(childAllocatedPence),
      BigInt(year.allocatedPence),
    ),
  );
}

/**
 * Unspent PP+ of the child's year: allocated minus spent minus committed minus the child's
 * share of the year's top-slices (UNSPENT_RULE). It is also what a new PP+ request may ask for
 * at most. Null when `ppp` shows only some schools' spend (a designated
 * teacher's view): unspent needs every line, and would otherwise give away what other schools
 * and the Virtual School centrally spent.
 */
export function unspentFor(
  ppp: PupilPremiumPlus,
  year: TopSliceYear,
): UnspentPupilPremiumPlus | null {
  if (year.financialYear !== ppp.financialYear) {
    throw new Error(`top-slices of ${year.financialYear} asked for PP+ of ${ppp.financialYear}`);
  }
  if (!ppp.allSpendShown) return null;
  const share = topSliceSharePence(ppp.allocated.pence, year);
  return {
    topSliceShare: money(share),
    unspent: money(ppp.allocated.pence - ppp.spent.pence - ppp.committed.pence - share),
    rule: UNSPENT_RULE,
  };
}
