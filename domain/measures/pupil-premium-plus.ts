/**
 * The Pupil Premium Plus sums of one financial year from the finance system's client record:
 * what was allocated, what was spent from the child's PP+ (spend and corrections, never the
 * Virtual School Head's top-slices), and the balance, with the allocations and spend lines
 * behind them. This is the single place the rule lives: the finance subgraph uses it for a
 * child's `PupilPremiumPlus` and the reporting subgraph for its PP+ measures, so a report and a
 * child's record always agree. Pure functions: no I/O, no clock.
 */
import type { FinAllocation, FinClient, FinLedgerLine } from '../../upstream/finance/contract';
import { money, type Money } from '../money';

export interface SchoolReference {
  urn: string;
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
  spent: Money;
  balance: Money;
  allocations: PupilPremiumPlusAllocation[];
  spend: PupilPremiumPlusSpend[];
}

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

export function allocationFrom(allocation: FinAllocation): PupilPremiumPlusAllocation {
  return {
    financialYear: allocation.fy,
    rate: money(allocation.rate_pence),
    amount: money(allocation.amount_pence),
    status: allocation.status,
  };
}

export function spendFrom(line: FinLedgerLine): PupilPremiumPlusSpend {
  return {
    id: line.line_id,
    postedOn: line.posted_on,
    school: line.urn ? { urn: line.urn } : null,
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
 * those lines only.
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
  if (allocations.length === 0 && spendLines.length === 0) return null;

  const allocatedPence = sumPence(allocations);
  const spentPence = sumPence(spendLines);
  return {
    financialYear,
    allocated: money(allocatedPence),
    spent: money(spentPence),
    balance: money(allocatedPence - spentPence),
    allocations: allocations.map(allocationFrom),
    spend: spendLines.map(spendFrom),
  };
}
