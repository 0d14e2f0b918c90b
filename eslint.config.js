// ESLint: a small rule set where every rule has a reason.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const importPlugin = require('eslint-plugin-import');

module.exports = tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'schema/supergraph.graphql'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    rules: {
      // Type-only imports vanish at compile time: no accidental import side effects.
      '@typescript-eslint/consistent-type-imports': 'error',
      // Every import must be a declared dependency (dev ones only in tests, scripts and benches).
      'import/no-extraneous-dependencies': [
        'error',
        {
          devDependencies: [
            '**/*.test.ts',
            'tests/**',
            'bench/**',
            'scripts/**',
            'eslint.config.js',
            'jest.config.js',
          ],
        },
      ],
      // `any` hides the shapes our security rules depend on.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Logs go through lib/logger, which keeps personal data out.
      'no-console': 'error',
    },
  },
  {
    // The simulators are test doubles: production code reaches a council system through its
    // one client in upstream/, and the seeded world through system/.
    files: ['**/*.ts'],
    ignores: ['simulators/**', 'system/**', 'tests/**', 'bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/simulators/*', '**/simulators/**'],
              message: 'Use upstream/<system>/ (contracts, clients) or system/ (the seeded world).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
