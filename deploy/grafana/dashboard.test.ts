/**
 * The committed Grafana dashboard queries only metrics the README documents (and so the code
 * serves: tests/observability.e2e.test.ts scrapes every documented name), and shows each of them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readmeMetricNames } from '../../tests/support/readme-metrics';

interface Panel {
  title?: string;
  type: string;
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}

const dashboard = JSON.parse(
  readFileSync(path.join(__dirname, 'cla-graph-dashboard.json'), 'utf8'),
) as { uid: string; panels: Panel[]; templating: { list: Array<{ definition?: string }> } };

function queries(): string[] {
  const all: string[] = [];
  const visit = (panels: Panel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) if (target.expr) all.push(target.expr);
      visit(panel.panels ?? []);
    }
  };
  visit(dashboard.panels);
  for (const variable of dashboard.templating.list)
    if (variable.definition) all.push(variable.definition);
  return all;
}

/** A histogram's series are its name with `_bucket`, `_count` or `_sum`. */
function metricOf(series: string, documented: Set<string>): string {
  if (documented.has(series)) return series;
  const base = series.replace(/_(bucket|count|sum)$/, '');
  return documented.has(base) ? base : series;
}

describe('the Grafana dashboard', () => {
  const documented = new Set(readmeMetricNames());
  const used = new Set(
    queries().flatMap((expr) =>
      [...expr.matchAll(/\bcla_graph_[a-z0-9_]+/g)].map((match) => metricOf(match[0], documented)),
    ),
  );

  it('has queries, and the README documents metrics', () => {
    expect(queries().length).toBeGreaterThan(5);
    expect(documented.size).toBeGreaterThan(5);
  });

  it('uses only metrics the README documents', () => {
    expect([...used].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('shows every metric the README documents', () => {
    expect([...documented].filter((name) => !used.has(name))).toEqual([]);
  });
});
