/**
 * A cohort report from start to finish: the period, the universe read from the council
 * systems, the table protected by disclosure control, then peers, gaps and labels added to
 * what disclosure control let through. Everything published passes through `protectTable`;
 * peers and gaps are shown only beside a figure that is itself shown.
 */
import type { EdYearGroupAggregate } from '../../upstream/education/contract';
import { UpstreamUnavailableError, badUserInput } from '../../lib/errors';
import { logger } from '../../lib/logger';
import {
  BANDS,
  CARE_ATTRIBUTES,
  EDUCATION_ATTRIBUTES,
  NOT_ON_ROLL,
  PLACED_BY_OTHERS,
  PLACED_BY_US,
  attributeIndex,
  bandLabel,
  keyStageOf,
  type Attribute,
  type Dimension,
} from './bands';
import type { ReportingUpstream } from './client';
import { checkCellCap, checkFixedCellCap, DEFAULT_MAX_CELLS } from './cell-cap';
import { readCohort, readOtherAuthorities, yearToDate, type SnapshotDates } from './cohort-source';
import {
  POLICY_RULES,
  POLICY_VERSION,
  THRESHOLD,
  protectTable,
  publish,
  withheld,
  type Constraint,
  type FigureSpec,
  type ProtectedCell,
  type PublishedFigure,
} from './disclosure';
import type { ChildFacts } from './facts';
import { includesOtherAuthorities, type ReportRequest } from './input';
import {
  AGGREGATE_FIELDS,
  COVERAGES,
  MEASURES,
  coverageIndex,
  emptySums,
  type AggregateSums,
  type MeasureDefinition,
  type MeasureSource,
} from './measures';
import {
  NATIONAL_COMPARISON,
  nationalFor,
  type NationalCohortRule,
  type NationalComparisonOfMeasure,
} from './national';
import { resolvePeriod, type CohortBasis, type ReportPeriod } from './period';
import { addDays } from '../../domain/school-calendar';
import { lastMonthEnd, type Snapshot } from './snapshot';

export type FigureUnit =
  'CHILDREN' | 'PERCENT' | 'POINTS' | 'POUNDS' | 'PERCENTAGE_POINTS' | 'PER_100_PUPILS';

export interface FigureShape extends PublishedFigure {
  unit: FigureUnit;
}

export interface CellShape {
  bands: Array<{ dimension: Dimension; code: string | null; label: string }>;
  children: FigureShape;
  measures: Array<{
    measure: string;
    label: string;
    lookedAfter: FigureShape;
    peers: FigureShape;
    gap: FigureShape;
    coverage: FigureShape | null;
    national: NationalComparisonOfMeasure | null;
  }>;
}

export interface CohortReportShape {
  academicYear: string;
  from: string;
  to: string;
  measuredTo: string;
  referenceDate: string;
  basis: CohortBasis;
  financialYear: string;
  breakdown: Dimension[];
  suppressedTotalOnly: boolean;
  total: CellShape;
  cells: CellShape[];
  disclosureControl: { threshold: number; version: string; rules: readonly string[] };
  nationalComparison: {
    version: string;
    source: string;
    figures: Array<{
      measure: string;
      academicYear: string;
      cohortRule: NationalCohortRule;
      value: number;
      unit: FigureUnit;
      release: string;
    }>;
  };
  generatedAt: string;
}

export interface ReportOutcome {
  report: CohortReportShape;
  /** A source failed while the report was made (some figures are `x`): do not cache it. */
  degraded: boolean;
}

const CHILDREN: FigureSpec = {
  kind: 'COUNT',
  numeratorCountsChildren: true,
  denominatorCountsChildren: true,
  available: true,
};

function unitOf(measure: MeasureDefinition): FigureUnit {
  if (measure.unit) return measure.unit;
  switch (measure.kind) {
    case 'PERCENT':
      return 'PERCENT';
    case 'MEAN':
      return 'POINTS';
    case 'MONEY':
      return 'POUNDS';
    case 'COUNT':
      return 'CHILDREN';
  }
}

/** Money is counted in pence (exact sums) and published in pounds. */
function shaped(figure: PublishedFigure, unit: FigureUnit): FigureShape {
  if (unit !== 'POUNDS') return { ...figure, unit };
  const pounds = (pence: number | null) => (pence === null ? null : pence / 100);
  return { ...figure, value: pounds(figure.value), numerator: pounds(figure.numerator), unit };
}

/** The filter's conditions as disclosure control sees them, with the ones they imply. */
export function constraintsFor(request: ReportRequest): Array<[Attribute, string]> {
  const pairs: Array<[Attribute, string]> = request.conditions.map((c) => [c.attribute, c.value]);
  const has = (attribute: Attribute) => pairs.some(([a]) => a === attribute);
  if (request.basis === 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS')
    pairs.push(['OUTCOME_COHORT', 'YES']);
  // A year group lies inside a key stage: a report on the key stage is a wider group of it.
  const year = pairs.find(([a]) => a === 'YEAR_GROUP')?.[1];
  if (year !== undefined && !has('KEY_STAGE')) pairs.push(['KEY_STAGE', keyStageOf(year)]);
  // Whose pupils, only where the universe has other authorities' pupils in it (ANY: no condition).
  if (includesOtherAuthorities(request)) {
    if (request.placedBy === 'THIS_AUTHORITY') pairs.push(['PLACING_AUTHORITY', PLACED_BY_US]);
    if (request.placedBy === 'OTHER_AUTHORITIES') {
      pairs.push(['PLACING_AUTHORITY', PLACED_BY_OTHERS]);
    }
  }
  return pairs;
}

/**
 * Sources of the measures the council does not hold for another authority's pupil (PEP from
 * the care record, PP+ from the finance system): `z` in every cell that may count one.
 */
const HELD_FOR_OUR_CHILDREN_ONLY: ReadonlySet<MeasureSource> = new Set(['SOCIAL_CARE', 'FINANCE']);

/**
 * A report that counts other authorities' pupils cannot condition on, or break down by, what
 * only a care record holds (the council has none for them): BAD_USER_INPUT, before anything
 * is read.
 */
function refuseCareQuestions(request: ReportRequest): void {
  if (!includesOtherAuthorities(request)) return;
  const care = [...request.conditions.map((c) => c.attribute), ...request.breakdown].filter(
    (attribute) => CARE_ATTRIBUTES.has(attribute),
  );
  if (request.basis === 'CONTINUOUSLY_LOOKED_AFTER_12_MONTHS' || care.length > 0) {
    throw badUserInput(
      'A report that counts other authorities’ pupils cannot use placement type, legal ' +
        'status, location, UASC or the outcome cohort basis: the council holds no care ' +
        'record for those pupils. Leave `placedBy` unset (this authority’s children) to use them.',
    );
  }
}

/**
 * Bands of a dimension, the same whatever the filter (so the list itself says nothing about
 * the children the filter selects): fixed ones, or for SCHOOL every school where a child of
 * the caller's base cohort is on roll (the whole universe, at this snapshot and the previous
 * one; a governor's own school), with "not on roll" when any child of it is.
 */
function bandsOf(
  dimension: Dimension,
  base: ReadonlyArray<readonly ChildFacts[]>,
  scopeSchool: string | null,
): string[] {
  if (dimension !== 'SCHOOL') return BANDS[dimension].map(([code]) => code);
  if (scopeSchool !== null) return [scopeSchool];
  const column = attributeIndex('SCHOOL');
  const urns = new Set(base.flatMap((records) => records.map((record) => record.values[column]!)));
  const none = urns.delete(NOT_ON_ROLL);
  return [...[...urns].sort(), ...(none ? [NOT_ON_ROLL] : [])];
}

/**
 * The period as of a published snapshot: as if today were the snapshot date. A period that
 * starts after it has no published figures yet (BAD_USER_INPUT naming the dates); one that
 * runs past it is reported as of it (`referenceDate` and `measuredTo` say so).
 */
function snapshotPeriods(
  request: ReportRequest,
  today: string,
  snapshot: Snapshot,
): { period: ReportPeriod; dates: SnapshotDates } {
  const current = resolvePeriod(request, today);
  if (current.from > snapshot.date) {
    const first = lastMonthEnd(addDays(current.from, 31));
    throw badUserInput(
      `Reports for analysts and governors are as of the last completed month end ` +
        `(${snapshot.date}); this period starts after it, so its first figures are as of ${first}.`,
    );
  }
  const period = resolvePeriod(request, snapshot.date);
  let previous: ReportPeriod;
  try {
    previous = resolvePeriod(request, snapshot.previous);
  } catch {
    // The period had not started at the previous snapshot: compare with who was looked after then.
    const on = period.basis === 'LOOKED_AFTER_AT_DATE' ? snapshot.previous : period.referenceDate;
    previous = { ...period, measuredTo: snapshot.previous, referenceDate: on };
  }
  return {
    period,
    dates: {
      pepDate: snapshot.termDate,
      previous: { period: previous, pepDate: snapshot.previousTermDate },
    },
  };
}

function sumAggregates(rows: Iterable<EdYearGroupAggregate>): AggregateSums {
  const sums = emptySums();
  for (const row of rows) for (const field of AGGREGATE_FIELDS) sums[field] += row[field];
  return sums;
}

/** The gap (looked after minus peers), from the exact figures both were published from. */
function gapOf(
  measure: MeasureDefinition,
  own: PublishedFigure,
  peers: PublishedFigure,
): FigureShape {
  const unit: FigureUnit =
    measure.kind === 'MEAN' ? 'POINTS' : (measure.unit ?? 'PERCENTAGE_POINTS');
  if (measure.kind !== 'PERCENT' && measure.kind !== 'MEAN') {
    return { ...withheld('NOT_APPLICABLE'), unit };
  }
  const shown = (f: PublishedFigure) => f.status === 'VALUE' || f.status === 'ROUNDS_TO_ZERO';
  if (!shown(own) || !shown(peers)) {
    const statuses = [own.status, peers.status];
    const status = statuses.includes('SUPPRESSED')
      ? 'SUPPRESSED'
      : statuses.includes('NOT_AVAILABLE')
        ? 'NOT_AVAILABLE'
        : 'NOT_APPLICABLE';
    return { ...withheld(status), unit };
  }
  const exact = (f: PublishedFigure) =>
    (measure.kind === 'PERCENT' ? 100 : 1) * (f.numerator! / f.denominator!);
  const difference = exact(own) - exact(peers);
  const places = measure.kind === 'MEAN' ? 10 : 1;
  const value = (Math.sign(difference) * Math.round(Math.abs(difference) * places)) / places;
  return { status: 'VALUE', marker: null, value, numerator: null, denominator: null, unit };
}

export interface ReportOptions {
  homeLa: string;
  today: string;
  /** The published snapshot the caller sees (analysts, governors); null: current figures. */
  snapshot?: Snapshot | null;
  /** A governor's school: the one band of a SCHOOL breakdown. */
  scopeSchool?: string | null;
  now?: () => Date;
  /** Most cells a report may have (REPORT_MAX_CELLS; cell-cap.ts). */
  maxCells?: number;
}

export async function buildReport(
  upstream: ReportingUpstream,
  request: ReportRequest,
  options: ReportOptions,
): Promise<ReportOutcome> {
  refuseCareQuestions(request);
  const withOthers = includesOtherAuthorities(request);
  const maxCells = options.maxCells ?? DEFAULT_MAX_CELLS;
  checkFixedCellCap(request.breakdown, maxCells);
  const snapshot = options.snapshot ?? null;
  const dated = snapshot ? snapshotPeriods(request, options.today, snapshot) : null;
  const period: ReportPeriod = dated?.period ?? resolvePeriod(request, options.today);
  const aggregatesRead = upstream.aggregates(period.academicYear).catch((error: unknown) => {
    logger.warn('school figures unavailable', {
      kind: error instanceof Error ? error.constructor.name : typeof error,
    });
    return null;
  });
  const cohort = await readCohort(
    upstream,
    period,
    options.homeLa,
    options.today,
    dated?.dates ?? null,
  );
  const { available } = cohort;
  let { records, previous } = cohort;
  // Other authorities' pupils come from the education system alone: no report of them without it.
  if (withOthers) {
    if (!available.EDUCATION) throw new UpstreamUnavailableError('education');
    const others = await readOtherAuthorities(
      upstream,
      period,
      options.homeLa,
      available,
      dated?.dates ?? null,
    );
    records = [...records, ...others.records];
    if (previous) previous = [...previous, ...(others.previous ?? [])];
  }
  const aggregateRows = await aggregatesRead;

  const pairs = constraintsFor(request);
  const usesEducation =
    withOthers ||
    [...pairs.map(([a]) => a), ...request.breakdown].some((a) => EDUCATION_ATTRIBUTES.has(a));
  if (usesEducation && !available.EDUCATION) throw new UpstreamUnavailableError('education');

  const filter: Constraint[] = pairs.map(([attribute, value]) => ({
    attribute: attributeIndex(attribute),
    value,
  }));
  const base = previous ? [records, previous] : [records];
  const dimensions = request.breakdown.map((dimension) => ({
    attribute: attributeIndex(dimension),
    bands: bandsOf(dimension, base, options.scopeSchool ?? null),
  }));
  checkCellCap(
    dimensions.map((dimension) => dimension.bands.length),
    maxCells,
  );
  const specs: FigureSpec[] = [
    CHILDREN,
    ...MEASURES.map((m) => ({
      kind: m.kind,
      numeratorCountsChildren: m.numeratorCountsChildren,
      denominatorCountsChildren: m.denominatorCountsChildren,
      available: available[m.source],
    })),
    // Coverage: children the data is held for / children in the group (see COVERAGES).
    ...COVERAGES.map((c) => ({
      kind: 'PERCENT' as const,
      numeratorCountsChildren: true,
      denominatorCountsChildren: true,
      available: available[c.source],
    })),
  ];
  const coverageFigure = MEASURES.length + 1;
  // With other authorities' pupils in the universe, their share of every box is guarded too:
  // this authority's share may be published by its own reports, so box minus that is theirs.
  const guardedPart: Constraint | null = withOthers
    ? { attribute: attributeIndex('PLACING_AUTHORITY'), value: PLACED_BY_OTHERS }
    : null;
  const table = protectTable(
    records,
    { filter, dimensions, figures: specs, ...(guardedPart ? { guardedPart } : {}) },
    previous,
  );
  const placingBand = request.breakdown.indexOf('PLACING_AUTHORITY');
  /** The cell may count another authority's pupil (decided from the question, not the data). */
  const mayCountOthers = (cell: ProtectedCell): boolean =>
    withOthers &&
    request.placedBy !== 'THIS_AUTHORITY' &&
    (placingBand === -1 || cell.bands[placingBand] !== PLACED_BY_US);

  const schoolNames = await namesOfSchools(upstream, request.breakdown, dimensions);
  const aggregates = new Map<string, EdYearGroupAggregate>(
    (aggregateRows ?? []).map((row) => [`${row.urn}|${row.year_group}`, row]),
  );
  const peersAvailable = (source: MeasureSource): boolean => {
    if (aggregateRows === null || !available.EDUCATION) return false;
    if (source === 'ATTENDANCE') return available.ATTENDANCE;
    // School figures run from 1 September to today.
    if (source === 'EXCLUSIONS') return available.EXCLUSIONS && yearToDate(period, options.today);
    return true;
  };

  const cellShape = (cell: ProtectedCell): CellShape => {
    let peerSums: AggregateSums | null = null;
    const sums = () => {
      if (peerSums === null) {
        const keys = new Set(cell.members.map((i) => records[i]!.peerKey));
        const rows = [...keys].flatMap((key) => {
          const row = key === null ? undefined : aggregates.get(key);
          return row ? [row] : [];
        });
        peerSums = sumAggregates(rows);
      }
      return peerSums;
    };
    return {
      bands: request.breakdown.map((dimension, d) => {
        const code = cell.bands[d] ?? null;
        const label =
          code === null
            ? 'Total'
            : dimension === 'SCHOOL' && code !== NOT_ON_ROLL
              ? (schoolNames.get(code) ?? bandLabel(dimension, code))
              : bandLabel(dimension, code);
        return { dimension, code, label };
      }),
      children: shaped(cell.figures[0]!, 'CHILDREN'),
      measures: MEASURES.map((measure, i) => {
        const coverage = measure.coverage
          ? cell.figures[coverageFigure + coverageIndex(measure.coverage)]!
          : null;
        // Nothing held for anyone in a group that has children: not available, never zero.
        const nothingHeld =
          coverage !== null && coverage.status === 'VALUE' && coverage.numerator === 0;
        const notHeld = HELD_FOR_OUR_CHILDREN_ONLY.has(measure.source) && mayCountOthers(cell);
        const own = notHeld
          ? withheld('NOT_APPLICABLE')
          : nothingHeld
            ? withheld('NOT_AVAILABLE')
            : cell.figures[i + 1]!;
        const spec = specs[i + 1]!;
        let peers: PublishedFigure;
        if (!measure.peers) peers = withheld('NOT_APPLICABLE');
        else if (own.status !== 'VALUE' && own.status !== 'ROUNDS_TO_ZERO')
          peers = withheld(own.status);
        else if (!peersAvailable(measure.source)) peers = withheld('NOT_AVAILABLE');
        else peers = publish({ ...spec, available: true }, measure.peers(sums()));
        const asOf =
          snapshot && measure.key === 'PEP_IN_DATE' && snapshot.termDate !== period.referenceDate
            ? ` (at the end of the last completed term, ${snapshot.termDate})`
            : '';
        return {
          measure: measure.key,
          label: measure.label + asOf,
          lookedAfter: shaped(own, unitOf(measure)),
          peers: shaped(peers, unitOf(measure)),
          gap: gapOf(measure, own, peers),
          coverage: coverage && shaped(coverage, 'PERCENT'),
          national: nationalFor(measure.key, period.academicYear, period.basis),
        };
      }),
    };
  };

  const report: CohortReportShape = {
    academicYear: period.academicYear,
    from: period.from,
    to: period.to,
    measuredTo: period.measuredTo,
    referenceDate: period.referenceDate,
    basis: period.basis,
    financialYear: period.financialYear,
    breakdown: request.breakdown,
    suppressedTotalOnly: table.suppressedTotalOnly,
    total: cellShape(table.total),
    cells: table.cells.map(cellShape),
    disclosureControl: { threshold: THRESHOLD, version: POLICY_VERSION, rules: POLICY_RULES },
    nationalComparison: {
      version: NATIONAL_COMPARISON.version,
      source: NATIONAL_COMPARISON.source,
      figures: NATIONAL_COMPARISON.figures.map((figure) => ({
        measure: figure.measure,
        academicYear: figure.academicYear,
        cohortRule: figure.cohortRule,
        value: figure.value,
        unit: figure.measure === 'KS4_ATTAINMENT_8' ? 'POINTS' : 'PERCENT',
        release:
          NATIONAL_COMPARISON.releases.find((r) => r.id === figure.release)?.title ??
          figure.release,
      })),
    },
    generatedAt: (options.now?.() ?? new Date()).toISOString(),
  };
  return { report, degraded: cohort.degraded || aggregateRows === null };
}

/** "Name (URN)" for the schools a SCHOOL breakdown lists; URNs alone if the lookup fails. */
async function namesOfSchools(
  upstream: ReportingUpstream,
  breakdown: readonly Dimension[],
  dimensions: ReadonlyArray<{ bands: readonly string[] }>,
): Promise<Map<string, string>> {
  const d = breakdown.indexOf('SCHOOL');
  if (d === -1) return new Map();
  const urns = dimensions[d]!.bands.filter((band) => band !== NOT_ON_ROLL);
  try {
    const schools = await upstream.schools(urns);
    return new Map(schools.map((school) => [school.urn, `${school.name} (${school.urn})`]));
  } catch {
    return new Map();
  }
}
