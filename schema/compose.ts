/**
 * Composes the registry's subgraphs (each one's SDL file) into the supergraph SDL the gateway
 * serves.
 * The URLs baked into the supergraph are placeholders: the gateway always overrides them
 * from configuration, so the committed file does not depend on where services run.
 */
import { composeServices } from '@apollo/composition';
import { SUBGRAPHS } from '../subgraphs/registry';
import { loadSdlFile } from './subgraphs';

export interface CompositionOutcome {
  supergraphSdl?: string;
  errors: string[];
}

export function placeholderUrl(name: string): string {
  return `http://${name}.subgraph.invalid/graphql`;
}

export function composeSupergraph(): CompositionOutcome {
  const result = composeServices(
    SUBGRAPHS.map(({ name, sdlFile }) => ({
      name,
      url: placeholderUrl(name),
      typeDefs: loadSdlFile(sdlFile),
    })),
  );
  if (result.errors) return { errors: result.errors.map((error) => error.message) };
  return { supergraphSdl: result.supergraphSdl, errors: [] };
}
