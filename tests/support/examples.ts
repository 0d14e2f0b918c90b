/**
 * The runnable operations under examples/: each names its persona on its first line
 * (`# persona: <name>`) and may have a variables file beside it. Shared by the tests that run
 * every example against a system (in one process, or as the production topology).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PERSONA_NAMES, type PersonaName } from '../../simulators/seed/world';
import { graphql, type GraphQLResult } from '../../system/system-client';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** The example files, e.g. "child-profile.graphql". */
export const EXAMPLE_OPERATIONS: readonly string[] = readdirSync(EXAMPLES).filter((file) =>
  file.endsWith('.graphql'),
);

export function personaOf(source: string): PersonaName {
  const name = /^# persona: ([a-z-]+)/.exec(source)?.[1] as PersonaName | undefined;
  if (!name || !PERSONA_NAMES.includes(name))
    throw new Error('the first line must be "# persona: <name>"');
  return name;
}

/** Runs one example against a gateway as its persona, with its variables (if any). */
export async function runExample(
  file: string,
  gatewayUrl: string,
  tokenFor: (persona: PersonaName) => Promise<string>,
): Promise<GraphQLResult> {
  const source = readFileSync(path.join(EXAMPLES, file), 'utf8');
  const variablesFile = path.join(EXAMPLES, file.replace(/\.graphql$/, '.variables.json'));
  let variables: Record<string, unknown> | undefined;
  try {
    variables = JSON.parse(readFileSync(variablesFile, 'utf8')) as Record<string, unknown>;
  } catch {
    variables = undefined;
  }
  return graphql(gatewayUrl, await tokenFor(personaOf(source)), source, variables);
}

/** An example's answer: data under every root field, no error. */
export function expectAnsweredWithData(result: GraphQLResult): void {
  expect(result.errors).toBeUndefined();
  expect(result.status).toBe(200);
  const roots = Object.values(result.data ?? {});
  expect(roots.length).toBeGreaterThan(0);
  expect(roots.every((value) => value !== null)).toBe(true);
}
