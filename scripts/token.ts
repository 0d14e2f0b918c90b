/**
 * `npm run -s token -- <persona>` prints a development bearer token for a seeded persona;
 * `npm run -s token -- --list` lists them. Uses the same seed, size and data directory as
 * `npm start` (SEED, CHILDREN, AS_OF, DATA_DIR), and the issuer key kept there.
 */
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_AUDIENCE, DEV_ISSUER_URL } from '../gateway/config';
import { mintPersonaToken } from '../identity/dev-issuer/tokens';
import { loadOrCreateDevIssuerKey } from '../identity/dev-issuer/signing-key';
import { systemClock } from '../lib/clock';
import { isoDate, parseEnv } from '../lib/config';
import { seededWorld } from '../system/world';

const env = parseEnv(
  z.object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    SEED: z.coerce.number().int().min(0).default(1),
    CHILDREN: z.coerce.number().int().min(50).max(100_000).default(600),
    AS_OF: isoDate().optional(),
    DATA_DIR: z.string().default(path.join(process.cwd(), 'data')),
  }),
);

async function main(): Promise<void> {
  if (env.NODE_ENV === 'production')
    throw new Error('There is no development issuer in production.');
  const world = seededWorld({
    seed: env.SEED,
    children: env.CHILDREN,
    asOf: env.AS_OF ?? systemClock(),
  });
  const argument = process.argv[2];
  if (!argument || argument === '--list') {
    const rows = world.personas.map(
      (p) =>
        `${p.name.padEnd(20)} sub=${p.sub.padEnd(30)} roles=${p.roles.join(',')} la=${p.la}` +
        `${p.urns.length > 0 ? ` urn=${p.urns.join(',')}` : ''}\n${' '.repeat(21)}${p.description}`,
    );
    process.stdout.write(`${rows.join('\n')}\n`);
    if (!argument) process.exitCode = 1;
    return;
  }
  const persona = world.personas.find((candidate) => candidate.name === argument);
  if (!persona) {
    process.stderr.write(`No persona named "${argument}". Try --list.\n`);
    process.exit(2);
  }
  const key = await loadOrCreateDevIssuerKey(env.DATA_DIR);
  const token = await mintPersonaToken(key, persona, {
    issuer: DEV_ISSUER_URL,
    audience: DEFAULT_AUDIENCE,
    expiresIn: '8h',
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
