/** `npm run compose`: writes schema/supergraph.graphql, or prints composition errors and fails. */
import { writeFileSync } from 'node:fs';
import { composeSupergraph } from '../schema/compose';
import { SUPERGRAPH_FILE } from '../schema/subgraphs';

const outcome = composeSupergraph();
if (!outcome.supergraphSdl) {
  process.stderr.write(
    `Composition failed:\n${outcome.errors.map((e) => `  - ${e}`).join('\n')}\n`,
  );
  process.exit(1);
}
writeFileSync(SUPERGRAPH_FILE, outcome.supergraphSdl);
process.stdout.write(`Wrote ${SUPERGRAPH_FILE}\n`);
