/**
 * Starts the reporting subgraph from the environment. It needs no database: it trusts the
 * gateway's published keys and reads the council systems.
 */
import { remoteGatewayVerifier } from '../../lib/authz/subgraph-security';
import { runSubgraph } from '../run-subgraph';
import { loadReportingConfig } from './config';
import { createReportingSubgraph } from './subgraph';

runSubgraph('reporting', async () => {
  const config = loadReportingConfig(process.env);
  const gateway = await remoteGatewayVerifier(config.scope, 'reporting');
  return {
    port: config.port,
    subgraph: await createReportingSubgraph(config, { verifyIdentity: gateway.verifyIdentity }),
    close: gateway.close,
  };
});
