/**
 * The metric names the README documents (its metrics table, between the `<!-- metrics -->`
 * markers): the one list the metrics test and the dashboard test check against.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function readmeMetricNames(): string[] {
  const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const section = /<!-- metrics:[^>]*-->([\s\S]*?)<!-- \/metrics -->/.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/^\| `(cla_graph_[a-z0-9_]+)`/gm)].map((match) => match[1] ?? '');
}
