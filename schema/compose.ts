/**
 * Composes the subgraph SDL files into the supergraph SDL the gateway serves.
 * The URLs baked into the supergraph are placeholders: the gateway always overrides them
 * from configuration, so the committed file does not depend on where services run.
 */
import { composeServices } from '@apollo/composition';
import { SUBGRAPH_NAMES, loadSubgraphSdl } from './subgraphs';

export interface CompositionOutcome {
  supergraphSdl?: string;
  errors: string[];
}

export function placeholderUrl(name: string): string {
  return `http://${name}.subgraph.invalid/graphql`;
}

export function composeSupergraph(): CompositionOutcome {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({
      name,
      url: placeholderUrl(name),
      typeDefs: loadSubgraphSdl(name),
    })),
  );
  if (result.errors) return { errors: result.errors.map((error) => error.message) };
  return { supergraphSdl: result.supergraphSdl, errors: [] };
}
