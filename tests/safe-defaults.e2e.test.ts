/**
 * Issue 9, point 10: every service refuses to start without explicit identity settings, and
 * nothing trusts the development issuer on this machine or keys over plain HTTP unless
 * explicitly in development. Each entry point is started as a deployment would start it (its
 * own process, only the environment given), and must stop at once: exit 1, one clear message
 * naming the missing variables, no stack trace. `npm start` passes its settings explicitly.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
/** Long enough for tsx to start on a busy machine; a service that listens instead is killed. */
const DEADLINE_MS = 45_000;

interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Runs an entry point with exactly `env` (plus PATH), until it exits or the deadline. */
function run(entry: string, env: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function expectRefusedToStart(exit: Exit, ...named: RegExp[]): void {
  expect(exit.code).toBe(1);
  for (const name of named) expect(exit.stderr).toMatch(name);
  // A message, not a crash: no stack frames.
  expect(exit.stderr).not.toMatch(/^\s+at /m);
  expect(exit.stdout).not.toMatch(/listening/);
}

/** What a subgraph needs besides its identity settings (so only those are missing). */
const UPSTREAM = {
  PORT: '0',
  SOCIAL_CARE_API_KEY: 'social-care-key-for-tests-only',
  EDUCATION_API_KEY: 'education-key-for-tests-only',
  FINANCE_API_KEY: 'finance-key-for-tests-only',
  DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
};

const SUBGRAPHS = [
  'social-care',
  'education',
  'finance',
  'need-to-know',
  'access-log',
  'reporting',
];

describe('the gateway, started on its own', () => {
  it('refuses to start with NODE_ENV unset and no identity settings, naming them', async () => {
    expectRefusedToStart(
      await run('gateway/main.ts', { PORT: '0', DATABASE_URL: UPSTREAM.DATABASE_URL }),
      /OIDC_ISSUER: required/,
      /OIDC_AUDIENCE: required/,
      /OIDC_JWKS_URL: required/,
    );
  });

  it('does not trust the development issuer on this machine unless explicitly in development', async () => {
    expectRefusedToStart(
      await run('gateway/main.ts', {
        PORT: '0',
        DATABASE_URL: UPSTREAM.DATABASE_URL,
        OIDC_ISSUER: 'http://127.0.0.1:4010',
        OIDC_AUDIENCE: 'api://cla-graph',
        OIDC_JWKS_URL: 'http://127.0.0.1:4010/.well-known/jwks.json',
      }),
      /OIDC_ISSUER: must be https/,
      /OIDC_JWKS_URL: must be https/,
    );
  });
});

describe('each subgraph, started on its own', () => {
  it.each(SUBGRAPHS)(
    '%s refuses to start without GATEWAY_JWKS_URL and LA_CODE, naming both',
    async (name) => {
      expectRefusedToStart(
        await run(`subgraphs/${name}/main.ts`, UPSTREAM),
        /failed to start: Missing required settings: GATEWAY_JWKS_URL .*, LA_CODE/,
      );
    },
  );

  it('does not fetch the gateway keys over plain HTTP unless explicitly in development', async () => {
    expectRefusedToStart(
      await run('subgraphs/reporting/main.ts', {
        ...UPSTREAM,
        LA_CODE: '359',
        GATEWAY_JWKS_URL: 'http://127.0.0.1:4000/.well-known/jwks.json',
      }),
      /GATEWAY_JWKS_URL: must be https/,
    );
  });
});
