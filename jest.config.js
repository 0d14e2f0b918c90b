/**
 * Jest: TypeScript through ts-jest (type checking is `npm run typecheck`, so transpile only here).
 * Two projects, so every test file is in exactly one: `e2e` (the whole system in-process:
 * `*.e2e.test.ts` and the adversarial suite's `*.adversarial.test.ts`) and `unit` (everything
 * else: unit tests, subgraph tests against their simulators, store tests). `npm test` runs
 * both; `npm run test:unit` and `npm run test:e2e` one each.
 */
const { availableParallelism } = require('node:os');

const E2E = '\\.(e2e|adversarial)\\.test\\.ts$';
const IGNORED = ['/node_modules/', '/data/'];

const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
};

module.exports = {
  testTimeout: 60000,
  // Jest's default (cores - 1) runs everything in one process on a 2-core machine, where a
  // test file spends about a third of its time waiting (on PGlite's thread, child processes,
  // timers). Two workers keep both cores busy: about 30% less wall time there. Test files
  // share nothing that could collide: free ports, a fresh PostgreSQL schema and Redis key
  // prefix each. More cores: Jest's default.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: [...IGNORED, E2E],
    },
    { ...shared, displayName: 'e2e', testRegex: E2E, testPathIgnorePatterns: IGNORED },
  ],
};
