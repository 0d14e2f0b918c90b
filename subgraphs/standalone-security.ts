/**
 * What a subgraph started on its own (its `main.ts`) is given: it trusts the gateway's
 * published keys (GATEWAY_JWKS_URL; each token once, remembered in Redis when REDIS_URL is
 * set) and, when its descriptor says it needs one, reads CLA Graph's shared PostgreSQL
 * database (need-to-know grants, its own tables). The embedded database belongs to one
 * process, so it serves only the all-in-one `npm start`; a subgraph deployed on its own that
 * needs the database needs DATABASE_URL.
 */
import { remoteGatewayVerifier } from '../lib/authz/subgraph-security';
import { databaseConfig } from '../stores/config';
import { openStores } from '../stores/open-stores';
import type { SubgraphConfig, SubgraphDeps, SubgraphDescriptor } from './descriptor';

export async function standaloneDeps(
  descriptor: Pick<SubgraphDescriptor, 'name' | 'database'>,
  config: SubgraphConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ deps: SubgraphDeps; close(): Promise<void> }> {
  const databaseUrl = env.DATABASE_URL;
  if (descriptor.database && !databaseUrl) {
    throw new Error(
      'DATABASE_URL is required to run a subgraph on its own (the need-to-know store is shared); ' +
        'use `npm start` for the all-in-one system on the embedded database.',
    );
  }
  const stores =
    databaseUrl && descriptor.database
      ? await openStores({ ...databaseConfig(env), databaseUrl, dataDir: '' })
      : null;
  const gateway = await remoteGatewayVerifier(config.scope, descriptor.name);
  const close = async () => {
    await gateway.close();
    await stores?.close();
  };
  if (!stores) {
    return {
      deps: {
        verifyIdentity: gateway.verifyIdentity,
        needToKnow: withoutDatabase(descriptor.name),
        stores: withoutDatabase(descriptor.name),
      },
      close,
    };
  }
  return {
    deps: { verifyIdentity: gateway.verifyIdentity, needToKnow: stores.needToKnow, stores },
    close,
  };
}

/** Stores for a subgraph that runs without the database: reaching for one is a bug, said at once. */
function withoutDatabase<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      throw new Error(
        `The ${name} subgraph runs without CLA Graph's database, but reached for ${String(property)}.`,
      );
    },
  });
}
