/**
 * Every subgraph of the CLA supergraph, once. Composition, the gateway's configuration
 * (`<NAME>_SUBGRAPH_URL`), the all-in-one system (`system/start-system.ts`) and the README's
 * table of subgraphs iterate this list: adding a subgraph is its folder (an `index.ts`
 * descriptor, its SDL `<name>.graphql`, its code) and one line here. The order is the
 * composition's.
 */
import { accessLogSubgraph } from './access-log';
import { alertsSubgraph } from './alerts';
import type { SubgraphDescriptor } from './descriptor';
import { educationSubgraph } from './education';
import { financeSubgraph } from './finance';
import { needToKnowSubgraph } from './need-to-know';
import { reportingSubgraph } from './reporting';
import { socialCareSubgraph } from './social-care';

const REGISTRY = [
  socialCareSubgraph,
  educationSubgraph,
  financeSubgraph,
  needToKnowSubgraph,
  accessLogSubgraph,
  reportingSubgraph,
  alertsSubgraph,
] as const;

export type SubgraphName = (typeof REGISTRY)[number]['name'];

export type RegisteredSubgraph = SubgraphDescriptor & { readonly name: SubgraphName };

export const SUBGRAPHS: readonly RegisteredSubgraph[] = REGISTRY;

export const SUBGRAPH_NAMES: readonly SubgraphName[] = SUBGRAPHS.map((subgraph) => subgraph.name);

/** One value per subgraph, by name. */
export function perSubgraph<T>(
  value: (subgraph: RegisteredSubgraph) => T,
): Record<SubgraphName, T> {
  return Object.fromEntries(
    SUBGRAPHS.map((subgraph) => [subgraph.name, value(subgraph)]),
  ) as Record<SubgraphName, T>;
}

/** `social-care` -> `SOCIAL_CARE`: how the gateway's variables name a subgraph. */
export const subgraphEnvPrefix = (name: string): string => name.toUpperCase().replace(/-/g, '_');

/** The gateway's variable for where a subgraph is. */
export const subgraphUrlVariable = (name: string): string =>
  `${subgraphEnvPrefix(name)}_SUBGRAPH_URL`;

/** The gateway's variable for a subgraph's own deadline (`gatewayTimeoutMs`). */
export const subgraphTimeoutVariable = (name: string): string =>
  `${subgraphEnvPrefix(name)}_SUBGRAPH_TIMEOUT_MS`;

/** Where the gateway looks for a subgraph by default: this machine, its default port. */
export const defaultSubgraphUrl = (subgraph: SubgraphDescriptor): string =>
  `http://127.0.0.1:${subgraph.defaultPort}/graphql`;
