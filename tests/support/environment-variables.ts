/**
 * The environment variables CLA Graph's code reads, found in its source (zod environment
 * schemas and `process.env` reads), and the ones the README's configuration table documents
 * (an entry may be a pattern such as `<SYSTEM>_TIMEOUT_MS`, `MAX_*` or `*_TIMEOUT_MS`). Shared
 * by the configuration-docs test and the deployment files' test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
/** Where the services, the start scripts and their shared modules live (not tests or benches). */
export const SOURCE_DIRS = [
  'gateway',
  'subgraphs',
  'lib',
  'stores',
  'identity',
  'scripts',
  'system',
  'upstream',
  'domain',
  'simulators',
  'events',
  'exchange',
];

export function sourceFiles(dir: string): string[] {
  const full = path.join(ROOT, dir);
  let entries: string[];
  try {
    entries = readdirSync(full);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const relative = path.join(dir, entry);
    if (statSync(path.join(ROOT, relative)).isDirectory()) {
      return entry === 'testing' || entry === 'fixtures' ? [] : sourceFiles(relative);
    }
    return entry.endsWith('.ts') && !entry.endsWith('.test.ts') ? [relative] : [];
  });
}

/** Variable names a file reads from the environment. */
export function variablesIn(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g)) names.add(match[1]!);
  for (const match of text.matchAll(/process\.env\[['"]([A-Z][A-Z0-9_]+)['"]\]/g))
    names.add(match[1]!);
  for (const match of text.matchAll(/\benv\.([A-Z][A-Z0-9_]{2,})\b/g)) names.add(match[1]!);
  // Keys of a zod environment schema: UPPER_SNAKE keys of `z.object({ ... })`.
  if (/parseEnv|EnvSchema|envSchema/.test(text)) {
    for (const match of text.matchAll(/^\s+([A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{3,}):/gm))
      names.add(match[1]!);
  }
  return [...names];
}

/** What the README documents: backticked names, with `*` and `<…>` standing for any part. */
export function documented(readme: string): RegExp[] {
  const table = readme.slice(readme.indexOf('## Configuration'));
  const tokens = [...table.matchAll(/`([A-Z*<][A-Za-z0-9_*<>]*)`/g)]
    .map((match) => match[1]!)
    // Only names and name patterns (`<SYSTEM>_TIMEOUT_MS`, `MAX_*`) with a literal part: a
    // backticked word or a bare placeholder such as `<style>` would match every variable.
    .filter(
      (token) =>
        /^(?:[A-Z0-9_]|\*|<[A-Z]+>)+$/.test(token) &&
        token.replace(/\*|<[A-Z]+>/g, '').replace(/_/g, '').length >= 3,
    );
  return tokens.map(
    (token) =>
      new RegExp(
        `^${token
          .split(/(\*|<[^>]+>)/)
          .map((part) => (part === '*' || part.startsWith('<') ? '[A-Z0-9_]+' : part))
          .join('')}$`,
      ),
  );
}

/** Every variable the services' source reads. */
export function variablesReadBySource(): Set<string> {
  return new Set(
    SOURCE_DIRS.flatMap(sourceFiles).flatMap((file) =>
      variablesIn(readFileSync(path.join(ROOT, file), 'utf8')),
    ),
  );
}
