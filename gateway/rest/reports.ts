/**
 * Cohort reports as files for a spreadsheet or Power BI: `GET /reports/cohort.csv` and
 * `GET /reports/cohort.json`, one row per cell (the total first), the filter and breakdown as
 * query parameters (`academicYear` or `from` and `to`, `basis`, `ageBand`, `yearGroup`,
 * `keyStage`, `placementType`, `legalStatus`, `location`, `schoolUrn`, `gender`, `uasc`,
 * `senStatus`; `breakdown` comma-separated or repeated). Answered through the graph's
 * `cohortReport` as the caller, so the same roles, the same disclosure control and the same
 * audit entry apply. A withheld figure is written as the DfE writes it: c, z, k or x.
 * Neither executes the cells field by field (a breakdown by school has thousands of cells):
 * the CSV is the reporting subgraph's `csv`, written once per report and kept in its cache;
 * the JSON is built from `cellsJson`, the cells serialised once the same way.
 */
import type express from 'express';
import { reportTable, type Cell, type ReportTableInput } from '../../lib/report-table';
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
      cellsJson
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

/** What the export asks the graph: the cells as `cellsJson` (parsed into `cells` after). */
interface CohortReportAnswer {
  cohortReport: Omit<CohortReportData['cohortReport'], 'cells'> & { cellsJson: string };
}

export interface CohortReportData {
  cohortReport: ReportTableInput & {
    suppressedTotalOnly: boolean;
    generatedAt: string;
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

/** The CSV export: the subgraph writes it once per report (`CohortReport.csv`). */
const REPORT_CSV = /* GraphQL */ `
  query CohortReportCsvExport($filter: CohortFilter!, $breakdown: [CohortDimension!]) {
    cohortReport(filter: $filter, breakdown: $breakdown) {
      academicYear
      csv
    }
  }
`;

interface CohortReportCsv {
  cohortReport: { academicYear: string; csv: string };
}

/** The file's name, and headers that keep it out of caches on the way. */
function attachment(res: express.Response, academicYear: string, format: Format): void {
  const name = `cohort-report-${academicYear.replace('/', '-')}.${format}`;
  res
    .status(200)
    .set('Content-Disposition', `attachment; filename="${name}"`)
    .set('Cache-Control', 'no-store');
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
      if (format === 'csv') {
        const made = await execute<CohortReportCsv>(identity, REPORT_CSV, variables);
        if (made.errors.length > 0 || !made.data) return sendGraphQLErrors(res, made.errors);
        attachment(res, made.data.cohortReport.academicYear, format);
        res.type('text/csv; charset=utf-8').send(made.data.cohortReport.csv);
        return;
      }
      const result = await execute<CohortReportAnswer>(identity, REPORT, variables);
      if (result.errors.length > 0 || !result.data) return sendGraphQLErrors(res, result.errors);
      const { cellsJson, ...answered } = result.data.cohortReport;
      // Every field of each cell (a superset of Cell): the table reads the ones it writes.
      const report = { ...answered, cells: JSON.parse(cellsJson) as Cell[] };
      const { header, rows } = reportTable(report);
      attachment(res, report.academicYear, format);
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
