/**
 * Cohort reports as files for a spreadsheet or Power BI: `GET /reports/cohort.csv` and
 * `GET /reports/cohort.json`, one row per cell (the total first), the filter and breakdown as
 * query parameters (`academicYear` or `from` and `to`, `basis`, `ageBand`, `yearGroup`,
 * `keyStage`, `placementType`, `legalStatus`, `location`, `schoolUrn`, `gender`, `uasc`,
 * `senStatus`; `breakdown` comma-separated or repeated). Answered through the graph's
 * `cohortReport` as the caller, so the same roles, the same disclosure control and the same
 * audit entry apply. A withheld figure is written as the DfE writes it: c, z, k or x.
 */
import type express from 'express';
import { toCsv, type CsvCell } from '../../lib/csv';
import { ErrorCode } from '../../lib/errors';
import type { RestDependencies } from './index';
import { sendGraphQLErrors } from './respond';

const FIGURE = /* GraphQL */ `
  fragment ExportFigure on Figure {
    status
    marker
    value
    numerator
    denominator
  }
`;

const REPORT = /* GraphQL */ `
  query CohortReportExport($filter: CohortFilter!, $breakdown: [CohortDimension!]) {
    cohortReport(filter: $filter, breakdown: $breakdown) {
      academicYear
      from
      to
      measuredTo
      referenceDate
      basis
      financialYear
      breakdown
      suppressedTotalOnly
      generatedAt
      total {
        ...ExportCell
      }
      cells {
        ...ExportCell
      }
      disclosureControl {
        threshold
        version
        rules
      }
      nationalComparison {
        version
        source
        figures {
          measure
          academicYear
          cohortRule
          value
          unit
          release
        }
      }
    }
  }
  fragment ExportCell on CohortCell {
    bands {
      dimension
      code
      label
    }
    children {
      ...ExportFigure
    }
    measures {
      measure
      lookedAfter {
        ...ExportFigure
      }
      peers {
        ...ExportFigure
      }
      gap {
        ...ExportFigure
      }
      coverage {
        ...ExportFigure
      }
      national {
        lookedAfter {
          ...ExportNational
        }
        allPupils {
          ...ExportNational
        }
      }
    }
  }
  fragment ExportNational on NationalValue {
    value
    academicYear
  }
  ${FIGURE}
`;

interface Figure {
  status: string;
  marker: string | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

interface NationalValue {
  value: number;
  academicYear: string;
}

interface Cell {
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

export interface CohortReportData {
  cohortReport: {
    academicYear: string;
    from: string;
    to: string;
    measuredTo: string;
    referenceDate: string;
    basis: string;
    financialYear: string;
    breakdown: string[];
    suppressedTotalOnly: boolean;
    generatedAt: string;
    total: Cell;
    cells: Cell[];
    disclosureControl: unknown;
    nationalComparison: unknown;
  };
}

const ENUM_PARAMS = [
  'basis',
  'ageBand',
  'yearGroup',
  'keyStage',
  'placementType',
  'legalStatus',
  'location',
  'gender',
  'senStatus',
] as const;
const KNOWN_PARAMS = new Set<string>([
  'academicYear',
  'from',
  'to',
  'schoolUrn',
  'uasc',
  'breakdown',
  ...ENUM_PARAMS,
]);

class BadQuery extends Error {}

function single(query: express.Request['query'], name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadQuery(`\`${name}\` is given once.`);
  return value;
}

/** The GraphQL variables from the query string (unknown parameters are refused, not ignored). */
export function variablesFromQuery(query: express.Request['query']): {
  filter: Record<string, unknown>;
  breakdown: string[];
} {
  const unknown = Object.keys(query).filter((key) => !KNOWN_PARAMS.has(key));
  if (unknown.length > 0) {
    throw new BadQuery(
      `Unknown query parameter; use ${[...KNOWN_PARAMS].map((p) => `\`${p}\``).join(', ')}.`,
    );
  }
  const filter: Record<string, unknown> = {};
  const academicYear = single(query, 'academicYear');
  if (academicYear !== undefined) filter.academicYear = academicYear;
  const from = single(query, 'from');
  const to = single(query, 'to');
  if (from !== undefined || to !== undefined) {
    if (from === undefined || to === undefined) throw new BadQuery('Give both `from` and `to`.');
    filter.dateRange = { from, to };
  }
  for (const name of ENUM_PARAMS) {
    const value = single(query, name);
    if (value !== undefined) filter[name] = value;
  }
  const schoolUrn = single(query, 'schoolUrn');
  if (schoolUrn !== undefined) filter.schoolUrn = schoolUrn;
  const uasc = single(query, 'uasc');
  if (uasc !== undefined) {
    if (uasc !== 'true' && uasc !== 'false') throw new BadQuery('`uasc` is true or false.');
    filter.uasc = uasc === 'true';
  }
  const raw = query.breakdown;
  const parts = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(parts) || !parts.every((part) => typeof part === 'string')) {
    throw new BadQuery('`breakdown` is a comma-separated list.');
  }
  const breakdown = (parts as string[])
    .flatMap((part) => part.split(','))
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  return { filter, breakdown };
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
export function reportTable(data: CohortReportData['cohortReport']): {
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

type Format = 'csv' | 'json';

function handler(format: Format, { execute }: RestDependencies): express.RequestHandler {
  return async (req, res, next) => {
    try {
      const identity = res.locals.identity;
      if (!identity) return next(new Error('unauthenticated request reached an export'));
      let variables: ReturnType<typeof variablesFromQuery>;
      try {
        variables = variablesFromQuery(req.query);
      } catch (error) {
        if (!(error instanceof BadQuery)) throw error;
        res
          .status(400)
          .set('Cache-Control', 'no-store')
          .json({
            errors: [{ message: error.message, extensions: { code: ErrorCode.BAD_USER_INPUT } }],
          });
        return;
      }
      const result = await execute<CohortReportData>(identity, REPORT, variables);
      if (result.errors.length > 0 || !result.data) return sendGraphQLErrors(res, result.errors);
      const report = result.data.cohortReport;
      const { header, rows } = reportTable(report);
      const name = `cohort-report-${report.academicYear.replace('/', '-')}.${format}`;
      res
        .status(200)
        .set('Content-Disposition', `attachment; filename="${name}"`)
        .set('Cache-Control', 'no-store');
      if (format === 'csv') {
        res.type('text/csv; charset=utf-8').send(toCsv(header, rows));
        return;
      }
      const { total: _total, cells: _cells, ...about } = report;
      res.type('application/json').send(
        `${JSON.stringify({
          report: about,
          columns: header,
          rows: rows.map((values) => Object.fromEntries(header.map((h, i) => [h, values[i]]))),
        })}\n`,
      );
    } catch (error) {
      next(error);
    }
  };
}

export function registerReportExports(router: express.Router, deps: RestDependencies): void {
  router.get('/reports/cohort.csv', handler('csv', deps));
  router.get('/reports/cohort.json', handler('json', deps));
}
