/**
 * Every operation under examples/ runs against the seeded system as the persona its first
 * line names, with its variables file, and answers with data and no errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunningSystem } from '../system/start-system';
import { PERSONA_NAMES, type PersonaName } from '../simulators/seed/world';
import { graphql, startTestSystem } from './support/system';

const EXAMPLES = path.join(__dirname, '..', 'examples');
const operations = readdirSync(EXAMPLES).filter((file) => file.endsWith('.graphql'));

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

function personaOf(source: string): PersonaName {
  const match = /^# persona: ([a-z-]+)/.exec(source);
  const name = match?.[1] as PersonaName | undefined;
  if (!name || !PERSONA_NAMES.includes(name))
    throw new Error('the first line must be "# persona: <name>"');
  return name;
}

it('has examples to run', () => {
  expect(operations.length).toBeGreaterThanOrEqual(3);
});

it.each(operations)('%s answers with data and no errors', async (file) => {
  const source = readFileSync(path.join(EXAMPLES, file), 'utf8');
  const variablesFile = path.join(EXAMPLES, file.replace(/\.graphql$/, '.variables.json'));
  let variables: Record<string, unknown> | undefined;
  try {
    variables = JSON.parse(readFileSync(variablesFile, 'utf8')) as Record<string, unknown>;
  } catch {
    variables = undefined;
  }
  const result = await graphql(
    system.urls.gateway,
    await system.tokenFor(personaOf(source)),
    source,
    variables,
  );
  expect(result.errors).toBeUndefined();
  expect(result.status).toBe(200);
  const roots = Object.values(result.data ?? {});
  expect(roots.length).toBeGreaterThan(0);
  expect(roots.every((value) => value !== null)).toBe(true);
});
