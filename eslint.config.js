// Lint keeps the onion's arrows pointing inward: domain imports only domain, application imports
// only domain (and Node built-ins), nobody but the composition root names adapters.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const importX = require('eslint-plugin-import-x');
const { createTypeScriptImportResolver } = require('eslint-import-resolver-typescript');

// The tracking adapter folders: each is used by the others only through its index.ts.
const TRACKING_ADAPTERS = ['artifacts', 'local', 'memory', 'mlflow', 'noop', 'spill'];

const outerRings = (...rings) => rings.flatMap((ring) => [`**/${ring}`, `**/${ring}/**`]);

module.exports = tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'docs/api/**', 'temp/**', 'node_modules/**', 'coverage/**', 'mlruns*/**', 'tests/fixtures/lint/**', 'examples/backend/.build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(?!\\.{1,2}/)', message: 'domain imports nothing outside domain: no packages, no Node built-ins.' },
          { group: outerRings('application', 'infrastructure', 'cli'), message: 'domain must not import outer rings.' },
        ],
      }],
    },
  },
  {
    files: ['src/application/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          // zod is allowed: a job definition's schema is its config contract (pure, no I/O)
          { regex: '^(?!\\.{1,2}/|node:|zod$)', message: 'application imports domain, Node built-ins and zod only; adapters come through ports.' },
          { group: outerRings('infrastructure', 'cli'), message: 'application must not import infrastructure or the CLI: depend on a domain port.' },
        ],
      }],
    },
  },
  {
    files: ['src/infrastructure/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: outerRings('cli'), message: 'infrastructure must not import the CLI.' }],
      }],
    },
  },
  {
    // no import cycles in the library: each one so far came from a type declared in the wrong file
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/infrastructure/tracking/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: outerRings('cli'), message: 'infrastructure must not import the CLI.' },
          {
            regex: `^\\.\\./(${TRACKING_ADAPTERS.join('|')})/`,
            message: "an adapter folder uses another only through its index ('../mlflow', not '../mlflow/rest-client'); shared pieces live in tracking/shared.",
          },
        ],
      }],
    },
  },
  {
    // the artifact stores sit below the MLflow adapter: mlflow may use them, never the other way round
    files: ['src/infrastructure/tracking/artifacts/**/*.ts', 'src/infrastructure/tracking/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: outerRings('cli'), message: 'infrastructure must not import the CLI.' },
          { regex: `^\\.\\./(${TRACKING_ADAPTERS.join('|')})(/|$)`, message: 'artifact stores and shared tracking pieces import no adapter folder (mlflow uses them, not the reverse).' },
        ],
      }],
    },
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
