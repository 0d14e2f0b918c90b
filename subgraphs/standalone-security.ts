/**
 * Security for a subgraph started on its own (its `main.ts`): it trusts the gateway's
 * published keys (GATEWAY_JWKS_URL; each token once, remembered in Redis when REDIS_URL is
 * set) and reads need-to-know grants from the shared PostgreSQL database. The
 * embedded database belongs to one process, so it serves only the all-in-one `npm start`;
 * a subgraph deployed on its own needs DATABASE_URL.
 */
import {
  remoteGatewayVerifier,
  type ScopeConfig,
  type SubgraphSecurity,
} from '../lib/authz/subgraph-security';
import type { SubgraphName } from '../schema/subgraphs';
import { databaseConfig } from '../stores/config';
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
  const stores = await openStores({ ...databaseConfig(env), databaseUrl, dataDir: '' });
  const gateway = await remoteGatewayVerifier(scope, audience);
  return {
    security: {
      verifyIdentity: gateway.verifyIdentity,
      needToKnow: stores.needToKnow,
    },
    stores,
    close: async () => {
      await gateway.close();
      await stores.close();
    },
  };
}
