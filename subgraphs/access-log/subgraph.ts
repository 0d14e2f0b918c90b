/** Composition root of the access-log subgraph: the audit store behind the gateway's token and AUDIT rules. */
import { applyPermissions } from '../../lib/authz/rules';
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import type { SubgraphDepsWith } from '../descriptor';
import { createScopedSubgraph } from '../scoped-subgraph';
import type { AccessLogConfig } from './config';
import { accessLogPermissions } from './permissions';
import { accessLogResolvers, type AccessLogContext } from './resolvers';

/** `deps.stores.audit`: the access log the gateway writes. */
export async function createAccessLogSubgraph(
  config: AccessLogConfig,
  deps: SubgraphDepsWith<'audit'>,
): Promise<SubgraphApp> {
  return createScopedSubgraph<AccessLogContext>({
    name: 'access-log',
    config,
    deps,
    resolvers: accessLogResolvers,
    permissions: applyPermissions(accessLogPermissions),
    context: () => ({ store: deps.stores.audit }),
  });
}
