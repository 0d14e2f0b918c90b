/**
 * `npm run compose`: writes schema/supergraph.graphql and the README's table of subgraphs
 * from the registry, or prints composition errors and fails.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import prettier from 'prettier';
import { composeSupergraph } from '../schema/compose';
import { SUPERGRAPH_FILE } from '../schema/subgraphs';
import { README_FILE, withSubgraphTable } from '../subgraphs/readme-table';

async function main(): Promise<void> {
  const outcome = composeSupergraph();
  if (!outcome.supergraphSdl) {
    process.stderr.write(
      `Composition failed:\n${outcome.errors.map((e) => `  - ${e}`).join('\n')}\n`,
    );
    process.exit(1);
  }
  writeFileSync(SUPERGRAPH_FILE, outcome.supergraphSdl);
  process.stdout.write(`Wrote ${SUPERGRAPH_FILE}\n`);

  const readme = withSubgraphTable(readFileSync(README_FILE, 'utf8'));
  const options = (await prettier.resolveConfig(README_FILE)) ?? {};
  writeFileSync(README_FILE, await prettier.format(readme, { ...options, filepath: README_FILE }));
  process.stdout.write(`Wrote the table of subgraphs in ${README_FILE}\n`);
}

void main();
