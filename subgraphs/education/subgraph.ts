/**
 * Composition root of the education subgraph: the upstream client, per-request loaders, the
 * caller's scope and the resolvers, wired into the shared subgraph server behind the
 * gateway's token and this subgraph's permissions. Nothing starts until a caller asks.
 */
import { clockFor } from '../../lib/clock';
import { applyPermissions } from '../../lib/authz/rules';
import type { SubgraphApp } from '../../lib/graphql/subgraph-server';
import type { SubgraphDepsWith } from '../descriptor';
import { createScopedSubgraph } from '../scoped-subgraph';
import { EducationClient } from '../../upstream/education/client';
import type { EducationConfig } from './config';
import { createEducationLoaders } from './loaders';
import { educationAudit, educationPermissions } from './permissions';
import { createRegisterContext } from './register/context';
import { educationResolvers, type EducationContext } from './resolvers';
import { createPlacedPupilContext } from './placed-pupils/context';
import { createDirectoryContext } from './virtual-schools/context';

/**
 * `deps.stores.designatedTeacherHistory`: CLA Graph's store of changes to the designated
 * teacher register (the register itself lives in the education system).
 * `deps.stores.virtualSchoolDirectory`: CLA Graph's directory of local authorities' Virtual
 * Schools and its history.
 * `deps.stores.placedPupils`: what placing authorities share about their children on our
 * schools' rolls, recorded by the designated teacher, and its history.
 * `deps.stores.partnerRegisters` (optional): other authorities' registers as the exchange read
 * them, for the designated teachers of schools outside the authority.
 */
export async function createEducationSubgraph(
  config: EducationConfig,
  deps: SubgraphDepsWith<
    'designatedTeacherHistory' | 'virtualSchoolDirectory' | 'placedPupils' | 'partnerRegisters'
  >,
): Promise<SubgraphApp> {
  const client = EducationClient.fromConfig(config.education);
  const register = {
    client,
    history: deps.stores.designatedTeacherHistory,
    partnerRegisters: deps.stores.partnerRegisters,
    laCode: config.laCode,
    clock: deps.clock ?? clockFor(config.asOf),
  };
  return createScopedSubgraph<EducationContext>({
    name: 'education',
    config,
    deps,
    resolvers: educationResolvers,
    permissions: applyPermissions(educationPermissions, ...educationAudit),
    upstream: client,
    // Fresh loaders and scope per request: nothing cached outlives the request that fetched it.
    context: ({ caller, auth }) => {
      const loaders = createEducationLoaders(client);
      return {
        loaders,
        laCode: config.laCode,
        register: createRegisterContext(register, caller, loaders, auth.auditTrail),
        directory: createDirectoryContext(deps.stores.virtualSchoolDirectory, auth.auditTrail),
        placedPupils: createPlacedPupilContext(deps.stores.placedPupils),
      };
    },
  });
}
