/**
 * The README's configuration table lists every environment variable every service reads. The
 * variables are found in the source (zod environment schemas and `process.env` reads); a
 * README entry may be a pattern such as `<SYSTEM>_TIMEOUT_MS`, `MAX_*` or `*_TIMEOUT_MS`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { documented, SOURCE_DIRS, sourceFiles, variablesIn } from './support/environment-variables';

const ROOT = path.join(__dirname, '..');

describe('the README configuration table', () => {
  it('lists every environment variable the services read', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const patterns = documented(readme);
    const missing = new Map<string, string>();
    for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
      for (const name of variablesIn(readFileSync(path.join(ROOT, file), 'utf8'))) {
        if (!patterns.some((pattern) => pattern.test(name))) missing.set(name, file);
      }
    }
    expect(Object.fromEntries(missing)).toEqual({});
  });

  it('documents names, not every name: an undocumented variable is missing', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const patterns = documented(readme);
    expect(patterns.some((pattern) => pattern.test('NO_SUCH_SETTING_ANYWHERE'))).toBe(false);
    expect(patterns.some((pattern) => pattern.test('SUBGRAPH_TIMEOUT_MS'))).toBe(true);
  });
});
