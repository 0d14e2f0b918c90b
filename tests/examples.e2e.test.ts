/**
 * Every operation under examples/ runs against the seeded system as the persona its first
 * line names, with its variables file, and answers with data and no errors.
 */
import type { RunningSystem } from '../system/start-system';
import { EXAMPLE_OPERATIONS, expectAnsweredWithData, runExample } from './support/examples';
import { startTestSystem } from './support/system';

let system: RunningSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

it('has examples to run', () => {
  expect(EXAMPLE_OPERATIONS.length).toBeGreaterThanOrEqual(3);
});

it.each(EXAMPLE_OPERATIONS)('%s answers with data and no errors', async (file) => {
  expectAnsweredWithData(await runExample(file, system.urls.gateway, (p) => system.tokenFor(p)));
});
