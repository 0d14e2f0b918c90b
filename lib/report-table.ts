/**
 * A cohort report as a table (what `GET /reports/cohort.csv` and `.json` write): a header and
 * one row per cell, the total first, every value as published (a withheld figure as the DfE's
 * marker: c, z, k or x). Pure; shared by the gateway's report exports and the reporting
 * subgraph, which writes the CSV once per report and keeps it in its cache
 * (`CohortReport.csv`), so both write the same table from the same cells.
 */
import { toCsv, type CsvCell } from './csv';

export interface Figure {
  status: string;
  marker: string | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

export interface NationalValue {
  value: number;
  academicYear: string;
}

export interface Cell {
  bands: Array<{ dimension: string; code: string | null; label: string }>;
  children: Figure;
  measures: Array<{
    measure: string;
    lookedAfter: Figure;
    peers: Figure;
    gap: Figure;
    coverage: Figure | null;
    national: { lookedAfter: NationalValue | null; allPupils: NationalValue | null } | null;
  }>;
}

/** What the table is made of: the report's period, its breakdown, its total and cells. */
export interface ReportTableInput {
  academicYear: string;
  from: string;
  to: string;
  measuredTo: string;
  referenceDate: string;
  basis: string;
  financialYear: string;
  breakdown: string[];
  total: Cell;
  cells: Cell[];
}

const MEASURE_COLUMNS = (measure: string): string[] => {
  const name = measure.toLowerCase();
  return [
    name,
    `${name}_numerator`,
    `${name}_denominator`,
    `${name}_peers`,
    `${name}_gap`,
    // Children the figure is about / children in the group; empty where held for every child.
    `${name}_coverage`,
    `${name}_coverage_numerator`,
    `${name}_coverage_denominator`,
    `${name}_national_looked_after`,
    `${name}_national_looked_after_year`,
    `${name}_national_all_pupils`,
    `${name}_national_all_pupils_year`,
  ];
};

/** As published: the value, or the DfE marker in its place. */
const shown = (figure: Figure): CsvCell =>
  figure.status === 'VALUE' ? figure.value : figure.marker;
const part = (figure: Figure, value: number | null): CsvCell => value ?? figure.marker;

/** The report as a header and one row per cell (the total first), every value as published. */
export function reportTable(data: ReportTableInput): {
  header: string[];
  rows: CsvCell[][];
} {
  const measures = data.total.measures.map((m) => m.measure);
  const header = [
    'academic_year',
    'period_from',
    'period_to',
    'measured_to',
    'reference_date',
    'basis',
    'financial_year',
    'dimension_1',
    'band_1',
    'band_1_label',
    'dimension_2',
    'band_2',
    'band_2_label',
    'children',
    ...measures.flatMap(MEASURE_COLUMNS),
  ];
  const row = (cell: Cell): CsvCell[] => {
    const band = (d: number): CsvCell[] => {
      const b = cell.bands[d];
      return b ? [b.dimension, b.code ?? 'Total', b.label] : [null, null, null];
    };
    return [
      data.academicYear,
      data.from,
      data.to,
      data.measuredTo,
      data.referenceDate,
      data.basis,
      data.financialYear,
      ...band(0),
      ...band(1),
      shown(cell.children),
      ...cell.measures.flatMap((m) => [
        shown(m.lookedAfter),
        part(m.lookedAfter, m.lookedAfter.numerator),
        part(m.lookedAfter, m.lookedAfter.denominator),
        shown(m.peers),
        shown(m.gap),
        m.coverage ? shown(m.coverage) : null,
        m.coverage ? part(m.coverage, m.coverage.numerator) : null,
        m.coverage ? part(m.coverage, m.coverage.denominator) : null,
        m.national?.lookedAfter?.value ?? null,
        m.national?.lookedAfter?.academicYear ?? null,
        m.national?.allPupils?.value ?? null,
        m.national?.allPupils?.academicYear ?? null,
      ]),
    ];
  };
  const totalRow = row({
    ...data.total,
    bands: data.breakdown.map((dimension) => ({ dimension, code: null, label: 'Total' })),
  });
  return { header, rows: [totalRow, ...data.cells.map(row)] };
}

/** The table as CSV text (RFC 4180, CRLF). */
export function reportCsv(data: ReportTableInput): string {
  const { header, rows } = reportTable(data);
  return toCsv(header, rows);
}
