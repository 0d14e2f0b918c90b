/**
 * The subgraphs that make up the CLA supergraph: their names and SDL files. The composition
 * script, the drift check and the gateway's tests read this list, so it is the one place a
 * new subgraph is added.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';

export const SUBGRAPH_NAMES = [
  'social-care',
  'education',
  'finance',
  'need-to-know',
  'access-log',
  'reporting',
] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export const SCHEMA_DIR = __dirname;
export const SUPERGRAPH_FILE = path.join(SCHEMA_DIR, 'supergraph.graphql');

export function subgraphSdlFile(name: SubgraphName): string {
  return path.join(SCHEMA_DIR, `${name}.graphql`);
}

export function loadSubgraphSdl(name: SubgraphName): DocumentNode {
  return parse(readFileSync(subgraphSdlFile(name), 'utf8'));
}
