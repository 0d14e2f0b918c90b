/** The finance system's data, indexed once at start. */
import type {
  FinAllocation,
  FinClient,
  FinCommitment,
  FinSearchInclude,
  FinLedgerLine,
  FinTopSlices,
} from '../../upstream/finance/contract';
import type { World } from '../seed/world';
import { schoolNamer } from './school-names';

interface ClientEntry {
  client_ref: string;
  cost_centre: string;
  allocations: FinAllocation[];
  ledger: FinLedgerLine[];
}

export interface FinanceStore {
  /** Allocations by financial year, then client reference. */
  allocations: readonly FinAllocation[];
  /** Ledger lines by posting date, then line id. */
  ledger: readonly FinLedgerLine[];
  /** Every client reference found in allocations or the ledger, in order. */
  clientRefs: readonly string[];
  hasClient(ref: string): boolean;
  /** The client with the parts `include` asks for, limited to `fy` when given. */
  client(ref: string, include: ReadonlySet<FinSearchInclude>, fy?: string): FinClient | undefined;
  /** The year's top-slice lines and the total of every allocation of the year. */
  topSlices(fy: string): FinTopSlices;
  /**
   * `topSlices` of each financial year these clients hold an allocation of (only `fy`, when
   * given), once per year, oldest year first: a search's `included.fund_years`.
   */
  fundYears(refs: readonly string[], fy?: string): FinTopSlices[];
  /** A client's commitments (of `fy` when given), in the order made. */
  commitments(ref: string, fy?: string): FinCommitment[];
  commitment(id: string): FinCommitment | undefined;
  /** Records a new commitment, or replaces the one with its id (a payment against it). */
  putCommitment(commitment: FinCommitment): void;
  /** Books a ledger line (in posting-date order) to its client. */
  addLine(line: FinLedgerLine): void;
}

const collator = new Intl.Collator('en', { numeric: true });

export function buildFinanceStore(world: World): FinanceStore {
  const allocations = [...world.finance.allocations].sort(
    (a, b) => a.fy.localeCompare(b.fy) || collator.compare(a.client_ref, b.client_ref),
  );
  const ledger = [...world.finance.ledger].sort(
    (a, b) => a.posted_on.localeCompare(b.posted_on) || collator.compare(a.line_id, b.line_id),
  );

  const clients = new Map<string, ClientEntry>();
  const entry = (ref: string, costCentre: string): ClientEntry => {
    let found = clients.get(ref);
    if (!found) {
      found = { client_ref: ref, cost_centre: costCentre, allocations: [], ledger: [] };
      clients.set(ref, found);
    }
    return found;
  };
  // A client's cost centre is its allocations' if it has any, else its first ledger line's.
  for (const a of allocations) entry(a.client_ref, a.cost_centre).allocations.push(a);
  for (const line of ledger) {
    if (line.client_ref !== null) entry(line.client_ref, line.cost_centre).ledger.push(line);
  }
  const withSchoolName = schoolNamer(world);
  const clientRefs = [...clients.keys()].sort((a, b) => collator.compare(a, b));
  const commitmentsByRef = new Map<string, FinCommitment[]>();
  const commitmentsById = new Map<string, FinCommitment>();
  const byPosting = (a: FinLedgerLine, b: FinLedgerLine) =>
    a.posted_on.localeCompare(b.posted_on) || collator.compare(a.line_id, b.line_id);
  /** Puts a line into a list kept in posting order. */
  const insertLine = (list: FinLedgerLine[], line: FinLedgerLine) => {
    const at = list.findIndex((other) => byPosting(line, other) < 0);
    if (at === -1) list.push(line);
    else list.splice(at, 0, line);
  };

  const topSlices = (fy: string): FinTopSlices => {
    const lines = ledger.filter((line) => line.fy === fy && line.type === 'TOPSLICE');
    const sum = (items: readonly { amount_pence: number }[]) =>
      items.reduce((total, item) => total + item.amount_pence, 0);
    return {
      data: lines,
      meta: {
        fy,
        allocated_pence: sum(allocations.filter((a) => a.fy === fy)),
        top_sliced_pence: sum(lines),
      },
    };
  };

  return {
    allocations,
    ledger,
    clientRefs,
    hasClient: (ref) => clients.has(ref),
    client(ref, include, fy) {
      const found = clients.get(ref);
      if (!found) return undefined;
      const inYear = <T extends { fy: string }>(items: T[]) =>
        fy === undefined ? items : items.filter((item) => item.fy === fy);
      const client: FinClient = { client_ref: found.client_ref, cost_centre: found.cost_centre };
      if (include.has('allocations')) client.allocations = inYear(found.allocations);
      if (include.has('ledger')) {
        const lines = inYear(found.ledger);
        client.ledger = include.has('school_names') ? lines.map(withSchoolName) : lines;
      }
      if (include.has('commitments')) client.commitments = inYear(commitmentsByRef.get(ref) ?? []);
      return client;
    },
    commitments(ref, fy) {
      const list = commitmentsByRef.get(ref) ?? [];
      return fy === undefined ? [...list] : list.filter((c) => c.fy === fy);
    },
    commitment: (id) => commitmentsById.get(id),
    putCommitment(commitment) {
      const list = commitmentsByRef.get(commitment.client_ref) ?? [];
      const at = list.findIndex((c) => c.commitment_id === commitment.commitment_id);
      if (at === -1) list.push(commitment);
      else list[at] = commitment;
      commitmentsByRef.set(commitment.client_ref, list);
      commitmentsById.set(commitment.commitment_id, commitment);
    },
    addLine(line) {
      insertLine(ledger, line);
      if (line.client_ref !== null)
        insertLine(entry(line.client_ref, line.cost_centre).ledger, line);
    },
    fundYears(refs, fy) {
      const years = new Set<string>();
      for (const ref of refs) {
        for (const a of clients.get(ref)?.allocations ?? []) {
          if (fy === undefined || a.fy === fy) years.add(a.fy);
        }
      }
      return [...years].sort().map((year) => topSlices(year));
    },
    topSlices,
  };
}
