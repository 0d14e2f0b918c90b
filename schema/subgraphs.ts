/**
 * Where the schema files are: each subgraph's SDL in its own folder
 * (`subgraphs/<name>/<name>.graphql`, as Apollo's supergraph demo lays them out) and the
 * composed supergraph here. Which subgraphs there are is `subgraphs/registry.ts`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';

export type { SubgraphName } from '../subgraphs/registry';

export const SCHEMA_DIR = __dirname;
export const SUPERGRAPH_FILE = path.join(SCHEMA_DIR, 'supergraph.graphql');
export const SUBGRAPHS_DIR = path.join(SCHEMA_DIR, '..', 'subgraphs');

/** A subgraph's SDL: in its folder, named after it. */
export function subgraphSdlFile(name: string): string {
  return path.join(SUBGRAPHS_DIR, name, `${name}.graphql`);
}

export function loadSdlFile(file: string): DocumentNode {
  return parse(readFileSync(file, 'utf8'));
}

export function loadSubgraphSdl(name: string): DocumentNode {
  return loadSdlFile(subgraphSdlFile(name));
}
