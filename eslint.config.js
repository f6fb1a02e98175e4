// Lint keeps the onion's arrows pointing inward: domain imports only domain, application imports
// only domain (and Node built-ins), nobody but the composition root names adapters.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

// The tracking adapter folders: each is used by the others only through its index.ts.
const TRACKING_ADAPTERS = ['artifacts', 'local', 'memory', 'mlflow', 'noop', 'spill'];

const outerRings = (...rings) => rings.flatMap((ring) => [`**/${ring}`, `**/${ring}/**`]);

/**
 * `local/no-import-cycle`: no import cycle in src/, type-only imports INCLUDED. import-x/no-cycle skips
 * `import type` (no runtime effect), but a type-only circle is still two files that cannot be understood
 * apart, and each one found so far came from a type declared in the wrong file. Edges are the static
 * imports and re-exports of each file (read with TypeScript's preProcessFile, so comments and examples in
 * doc comments do not count); a lazy `require()` is not an edge (it is how the composition root defers
 * loading adapters). Every import of the linted file whose target lies on a circle back to it is reported,
 * with the circle. The graph is read once per lint process; the linted file's own imports come from its
 * current text.
 */
const ts = require('typescript');
const fs = require('node:fs');
const path = require('node:path');

const importGraphs = new Map();

function resolveImport(fromFile, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), specifier.replace(/\.js$/, ''));
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((file) => file.endsWith('.ts') && fs.existsSync(file));
}

function importsOf(file, text) {
  return ts.preProcessFile(text, true, false).importedFiles.map((ref) => resolveImport(file, ref.fileName)).filter(Boolean);
}

function importGraph(root) {
  let graph = importGraphs.get(root);
  if (graph) return graph;
  graph = new Map();
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (file.endsWith('.ts') && !file.endsWith('.d.ts')) graph.set(file, importsOf(file, fs.readFileSync(file, 'utf8')));
    }
  };
  visit(root);
  importGraphs.set(root, graph);
  return graph;
}

/** The shortest path of imports from `from` back to `to`, or undefined. */
function pathBack(graph, from, to) {
  const previous = new Map([[from, undefined]]);
  const queue = [from];
  while (queue.length > 0) {
    const file = queue.shift();
    if (file === to) {
      const route = [];
      for (let at = file; at !== undefined; at = previous.get(at)) route.unshift(at);
      return route;
    }
    for (const next of graph.get(file) ?? []) {
      if (!previous.has(next)) {
        previous.set(next, file);
        queue.push(next);
      }
    }
  }
  return undefined;
}

const noImportCycle = {
  meta: { type: 'problem', messages: { cycle: 'Import cycle (type-only imports count): {{cycle}}. Move what both sides need into a file of its own.' }, schema: [] },
  create(context) {
    const file = context.physicalFilename;
    const root = path.join(context.cwd, 'src');
    if (!file.startsWith(root + path.sep)) return {};
    const graph = new Map(importGraph(root));
    graph.set(file, importsOf(file, context.sourceCode.text));
    const check = (node) => {
      if (!node.source || typeof node.source.value !== 'string') return;
      const target = resolveImport(file, node.source.value);
      if (!target || target === file) return;
      const route = pathBack(graph, target, file);
      if (route) context.report({ node, messageId: 'cycle', data: { cycle: [file, ...route].map((f) => path.relative(root, f)).join(' → ') } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

module.exports = tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'docs/api/**', 'temp/**', 'node_modules/**', 'coverage/**', 'mlruns*/**', 'tests/fixtures/lint/**', 'examples/backend/.build/**', 'examples/nest/.build/**'] },
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
          // zod is allowed: a job definition's schema is its config contract (pure, no I/O); so is csv-parse:
          // a pure parser like zod (it reads no file of its own: the jobs hand it a stream), the one CSV rule of every job
          { regex: '^(?!\\.{1,2}/|node:|zod$|csv-parse$)', message: 'application imports domain, Node built-ins, zod and csv-parse only; adapters come through ports.' },
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
    // no import cycles in the library, type-only ones included: each one so far came from a type declared in the wrong file
    files: ['src/**/*.ts'],
    plugins: { local: { rules: { 'no-import-cycle': noImportCycle } } },
    rules: { 'local/no-import-cycle': 'error' },
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
