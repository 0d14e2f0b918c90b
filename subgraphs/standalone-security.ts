/**
 * Security for a subgraph started on its own (its `main.ts`): it trusts the gateway's
 * published keys and reads need-to-know grants from the shared PostgreSQL database. The
 * embedded database belongs to one process, so it serves only the all-in-one `npm start`;
 * a subgraph deployed on its own needs DATABASE_URL.
 */
import {
  remoteGatewayVerifier,
  type ScopeConfig,
  type SubgraphSecurity,
} from '../lib/authz/subgraph-security';
import type { SubgraphName } from '../schema/subgraphs';
import { openStores, type Stores } from '../stores/open-stores';

export async function standaloneSecurity(
  scope: ScopeConfig,
  audience: SubgraphName,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ security: SubgraphSecurity; stores: Stores; close(): Promise<void> }> {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error(
      'DATABASE_URL is required to run a subgraph on its own (the need-to-know store is shared); ' +
        'use `npm start` for the all-in-one system on the embedded database.',
    );
  }
  const stores = await openStores({ databaseUrl, dataDir: '' });
  return {
    security: {
      verifyIdentity: remoteGatewayVerifier(scope, audience),
      needToKnow: stores.needToKnow,
    },
    stores,
    close: () => stores.close(),
  };
}
