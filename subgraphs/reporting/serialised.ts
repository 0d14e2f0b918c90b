/**
 * A report's serialised forms, each made once per report object and kept (a report served
 * from the cache is the same object, so they are made the first time anyone asks and not
 * again while they are kept; see Kept):
 *
 * - `CohortReport.csv`: the report as the CSV export writes it (lib/report-table.ts).
 * - `CohortReport.cellsJson`: the cells as `cells` would answer them with every field
 *   selected, walked from the schema's own CohortCell type (its fields, in order, each value
 *   through its scalar's or enum's `serialize`), so the text holds what the schema exposes
 *   and nothing else the report object may carry.
 * The cells' types have no resolvers of
 * their own (each field is the property of its name; the permission layer's wrappers only
 * allow), which is what makes a walk equal to executing them: the e2e test
 * (tests/reporting-cells-json.e2e.test.ts) compares the forms.
 */
import {
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { reportCsv } from '../../lib/report-table';
import type { CohortReportShape } from './report';

/**
 * The texts of the reports asked for most recently, at most `limit` of them: a published
 * snapshot stays in the report cache for a month (500 reports), and keeping every report's
 * text that long would double what the cache holds. A report pushed out is serialised again if
 * asked for again.
 */
class Kept {
  private readonly texts = new Map<CohortReportShape, string>();

  constructor(private readonly limit: number) {}

  get(report: CohortReportShape, make: () => string): string {
    let text = this.texts.get(report);
    if (text === undefined) text = make();
    else this.texts.delete(report);
    this.texts.set(report, text);
    while (this.texts.size > this.limit) {
      this.texts.delete(this.texts.keys().next().value!);
    }
    return text;
  }
}

// A CSV is about 530 bytes a cell (2.7 MB at REPORT_MAX_CELLS' default 5,000); `cellsJson`
// about 12.8 KB a cell (64 MB at 5,000).
const csvs = new Kept(50);
const cellTexts = new Kept(4);

/** The report as `GET /reports/cohort.csv` writes it (made on first use, then kept). */
export function csvOf(report: CohortReportShape): string {
  return csvs.get(report, () => reportCsv(report));
}

/** `value` as graphql-js would answer it for `type` with every field selected (no aliases). */
function answerOf(type: GraphQLOutputType, value: unknown): unknown {
  if (isNonNullType(type)) return answerOf(type.ofType, value);
  if (value === null || value === undefined) return null;
  if (isListType(type)) {
    if (!Array.isArray(value)) throw new Error('a list field holds no list');
    return value.map((item: unknown) => answerOf(type.ofType, item));
  }
  if (isLeafType(type)) return type.serialize(value);
  if (isObjectType(type)) {
    const answer: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(type.getFields())) {
      answer[name] = answerOf(field.type, (value as Record<string, unknown>)[name]);
    }
    return answer;
  }
  throw new Error('cells hold no interface or union');
}

/** The report's cells as one JSON array (made on first use, then kept). */
export function cellsJson(report: CohortReportShape, schema: GraphQLSchema): string {
  return cellTexts.get(report, () => {
    const cell = schema.getType('CohortCell');
    if (!cell || !isObjectType(cell)) throw new Error('the schema has no CohortCell');
    return JSON.stringify(report.cells.map((item) => answerOf(cell, item)));
  });
}
