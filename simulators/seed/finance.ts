/**
 * Pupil Premium Plus: allocations for each child looked after in Reception to Year 11 in the
 * previous and current financial years (pro rata for part-years), spend lines against
 * children (to their school, often for a PEP target), top-slices the VSH keeps centrally, and
 * a few corrections.
 */
import type { FinAllocation, FinLedgerLine } from '../../upstream/finance/contract';
import { clientRefFor } from '../../upstream/finance/contract';
import type { ScPep } from '../../upstream/social-care/contract';
import {
  addDays,
  dayNumberToIso,
  financialYearBounds,
  financialYearOf,
  isoToDayNumber,
  yearGroupFor,
  yearGroupIndex,
} from '../../domain/school-calendar';
import { mainUrnOn } from './attendance';
import type { ChildDraft } from './children';
import { PP_PLUS_COST_CENTRE, PP_PLUS_RATES_PENCE } from './codes';
import { maxDate, minDate, randomWeekday, type SeedContext } from './context';
import { currentEnrolment } from './ntk';
import { Weighted, weighted, type Rng } from './random';
import type { FinanceData } from './world';

/** The PP+ rate for a financial year: published, or the latest published one, provisionally. */
export function ppPlusRate(fy: string): { rate: number; status: FinAllocation['status'] } {
  const published = PP_PLUS_RATES_PENCE[fy];
  if (published !== undefined) return { rate: published, status: 'CONFIRMED' };
  const latest = Object.keys(PP_PLUS_RATES_PENCE).sort().pop()!;
  return { rate: PP_PLUS_RATES_PENCE[latest]!, status: 'PROVISIONAL' };
}

const SPEND_ITEMS: ReadonlyArray<readonly [string, number, number, number]> = [
  // item, weight, min pence, max pence
  ['1:1 tuition', 30, 30_000, 150_000],
  ['Mentoring', 15, 20_000, 90_000],
  ['Laptop', 10, 35_000, 80_000],
  ['Speech and language sessions', 8, 40_000, 120_000],
  ['Educational psychologist assessment', 5, 60_000, 120_000],
  ['Therapeutic play sessions', 6, 30_000, 100_000],
  ['Reading intervention programme', 8, 15_000, 50_000],
  ['Music lessons', 5, 10_000, 40_000],
  ['School uniform and equipment', 6, 5_000, 20_000],
  ['After-school club fees', 4, 5_000, 30_000],
  ['Revision guides and exam resources', 4, 2_000, 8_000],
  ['Residential trip contribution', 4, 10_000, 40_000],
];
const SPEND = new Weighted(SPEND_ITEMS.map((item) => [item, item[1]] as const));
const TOPSLICE_ITEMS = [
  'Designated teacher training programme',
  'Trauma-informed practice training for schools',
  'Educational psychology service (central)',
  'Letterbox Club book parcels',
  'Tuition framework contract',
  'PEP system licence',
  'Careers guidance for looked-after young people',
];

function pounds100(rng: Rng, min: number, max: number): number {
  return 100 * rng.int(Math.ceil(min / 100), Math.floor(max / 100));
}

interface Window {
  fy: string;
  from: string;
  to: string;
}

export function generateFinance(
  ctx: SeedContext,
  drafts: readonly ChildDraft[],
  pepsByChild: Map<string, ScPep[]>,
): FinanceData {
  const rng = ctx.rng.fork('finance');
  const current = financialYearBounds(ctx.asOf);
  const previous = financialYearBounds(addDays(current.start, -1));
  const years = [previous, current];
  const allocations: FinAllocation[] = [];
  const lines: Array<Omit<FinLedgerLine, 'line_id'>> = [];
  const allocatedByFy = new Map<string, number>();

  for (const d of drafts) {
    const r = rng.fork(`child:${d.child.CHILD}`);
    const ref = clientRefFor(d.child.CHILD);
    const careEnd = d.ceased ?? '9999-12-31';
    const windows: Window[] = [];
    for (const y of years) {
      const from = maxDate(y.start, d.careStart);
      const to = minDate(y.end, careEnd);
      if (from > to) continue;
      const mid = dayNumberToIso(Math.floor((isoToDayNumber(from) + isoToDayNumber(to)) / 2));
      const yg = yearGroupFor(d.child.DOB, mid);
      if (
        yg === null ||
        yearGroupIndex(yg) < yearGroupIndex('R') ||
        yearGroupIndex(yg) > yearGroupIndex('11')
      )
        continue;
      const fy = financialYearOf(y.start);
      const { rate, status } = ppPlusRate(fy);
      const days = isoToDayNumber(to) - isoToDayNumber(from) + 1;
      const yearDays = isoToDayNumber(y.end) - isoToDayNumber(y.start) + 1;
      const amount = Math.round((rate * days) / yearDays);
      allocations.push({
        client_ref: ref,
        fy,
        rate_pence: rate,
        amount_pence: amount,
        status,
        cost_centre: PP_PLUS_COST_CENTRE,
      });
      allocatedByFy.set(fy, (allocatedByFy.get(fy) ?? 0) + amount);
      // Spend can only have happened up to asOf.
      const spendTo = minDate(to, ctx.asOf);
      if (from <= spendTo) windows.push({ fy, from, to: spendTo });
    }
    if (windows.length === 0 || !d.student) continue;

    const targets = (pepsByChild.get(d.child.CHILD) ?? []).flatMap((p) =>
      p.TARGETS.filter((t) => t.PP_PLUS_REQUEST_PENCE > 0).map((t) => ({
        id: t.TARGET_ID,
        date: p.MEETING_DATE,
      })),
    );
    const n = weighted(r, [
      [0, 20],
      [1, 25],
      [2, 22],
      [3, 15],
      [4, 10],
      [5, 8],
    ]);
    const spent: Array<Omit<FinLedgerLine, 'line_id'>> = [];
    for (let i = 0; i < n; i++) {
      const w = r.pick(windows);
      const posted = randomWeekday(r, w.from, w.to);
      const urn =
        mainUrnOn(d.student.enrolments, posted) ??
        currentEnrolment(d.student.enrolments)?.urn ??
        null;
      if (!urn) continue;
      const [item, , min, max] = SPEND.draw(r);
      const eligible = targets.filter((t) => t.date <= posted);
      const target = eligible.length > 0 && r.chance(0.75) ? r.pick(eligible).id : null;
      spent.push({
        client_ref: ref,
        fy: w.fy,
        posted_on: posted,
        type: 'SPEND',
        urn,
        item,
        amount_pence: pounds100(r, min, max),
        pep_target_id: target,
        cost_centre: PP_PLUS_COST_CENTRE,
      });
    }
    lines.push(...spent);
    // Now and then a spend line is reversed (a duplicate invoice) or topped up.
    if (spent.length > 0 && r.chance(0.03)) {
      const line = r.pick(spent);
      const posted = randomWeekday(
        r,
        line.posted_on,
        minDate(financialYearBounds(line.posted_on).end, ctx.asOf),
      );
      const reverse = r.chance(0.7);
      lines.push({
        ...line,
        fy: financialYearOf(posted),
        posted_on: posted,
        type: 'ADJUST',
        item: reverse ? 'Correction: duplicate invoice reversed' : 'Correction: invoice underpaid',
        amount_pence: reverse ? -line.amount_pence : pounds100(r, 500, 5_000),
      });
    }
  }

  // Top-slices: about a quarter of each year's allocations, kept centrally.
  for (const y of years) {
    const fy = financialYearOf(y.start);
    const allocated = allocatedByFy.get(fy) ?? 0;
    const to = minDate(y.end, ctx.asOf);
    if (allocated === 0 || to < y.start) continue;
    const r = rng.fork(`topslice:${fy}`);
    const count = Math.min(40, 4 + Math.floor(drafts.length / 150));
    const share = (allocated * r.real(0.2, 0.3)) / count;
    for (let i = 0; i < count; i++) {
      lines.push({
        client_ref: null,
        fy,
        posted_on: randomWeekday(r, y.start, to),
        type: 'TOPSLICE',
        urn: null,
        item: TOPSLICE_ITEMS[i % TOPSLICE_ITEMS.length]!,
        amount_pence: 100 * Math.round((share * r.real(0.5, 1.5)) / 100),
        pep_target_id: null,
        cost_centre: PP_PLUS_COST_CENTRE,
      });
    }
  }

  const cmp = (a: string | null, b: string | null): number =>
    (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
  lines.sort(
    (a, b) =>
      cmp(a.posted_on, b.posted_on) ||
      cmp(a.client_ref, b.client_ref) ||
      cmp(a.type, b.type) ||
      cmp(a.item, b.item) ||
      a.amount_pence - b.amount_pence,
  );
  const ledger: FinLedgerLine[] = lines.map((l, i) => ({
    line_id: `PPL${String(i + 1).padStart(8, '0')}`,
    ...l,
  }));
  allocations.sort((a, b) => cmp(a.client_ref, b.client_ref) || cmp(a.fy, b.fy));
  return { allocations, ledger };
}
