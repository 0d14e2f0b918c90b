/** The static supergraph the gateway serves: composed ahead of time, never introspected at run time. */
import { readFileSync } from 'node:fs';
import { SUPERGRAPH_FILE } from '../schema/subgraphs';

export function loadSupergraphSdl(): string {
  return readFileSync(SUPERGRAPH_FILE, 'utf8');
}
