/**
 * The README's table of subgraphs, from the registry: `npm run compose` writes it between its
 * markers, and a test checks the README still says what the registry does.
 */
import path from 'node:path';
import {
  defaultSubgraphUrl,
  SUBGRAPHS,
  subgraphTimeoutVariable,
  subgraphUrlVariable,
  type RegisteredSubgraph,
} from './registry';

export const README_FILE = path.join(__dirname, '..', 'README.md');
export const TABLE_START =
  '<!-- subgraphs: written by `npm run compose` from subgraphs/registry.ts -->';
export const TABLE_END = '<!-- /subgraphs -->';

const HEADER = ['subgraph', 'SDL', 'port', 'gateway finds it at', 'database on its own'];

const code = (text: string) => `\`${text}\``;

/** One row per subgraph, as cells. */
export function subgraphTableCells(): string[][] {
  return SUBGRAPHS.map((subgraph: RegisteredSubgraph) => [
    code(`subgraphs/${subgraph.name}/`),
    code(path.basename(subgraph.sdlFile)),
    String(subgraph.defaultPort),
    `${code(subgraphUrlVariable(subgraph.name))} (${code(defaultSubgraphUrl(subgraph))})` +
      (subgraph.gatewayTimeoutMs === undefined
        ? ''
        : `; deadline ${code(subgraphTimeoutVariable(subgraph.name))} (${subgraph.gatewayTimeoutMs} ms)`),
    subgraph.database ? 'DATABASE_URL' : 'none',
  ]);
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

/** The table (unpadded: Prettier lines it up). */
export function renderSubgraphTable(): string {
  return [row(HEADER), row(HEADER.map(() => '---')), ...subgraphTableCells().map(row)].join('\n');
}

/** `readme` with the table between its markers replaced by the registry's. */
export function withSubgraphTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no ${TABLE_START} ... ${TABLE_END} markers`);
  }
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${renderSubgraphTable()}\n\n${readme.slice(end)}`;
}

/** The cells of the README's table as written (padding ignored), for the drift check. */
export function readmeSubgraphCells(readme: string): string[][] {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return [];
  return readme
    .slice(start + TABLE_START.length, end)
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}
