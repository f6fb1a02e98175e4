import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { median, printTable } from './table';

/**
 * Import cost of the library (not the CLI): wall time of a Node process that only loads an entry,
 * median of `repetitions`, against `node -e 0`, and how many modules it loaded. Goal: the root
 * entry ≤ 0.15 s above Node's own start; adapters, inversify, zod and yaml load when first used.
 */
export function benchImportCost(repetitions = 10): void {
  const root = path.resolve('dist/index.js');
  const count = "console.log(Object.keys(require.cache).length)";
  const cases: [string, string[], string][] = [
    ['node -e 0 (baseline)', ['-e', '0'], ''],
    ["require('mlops-kit')", ['-e', `require(${JSON.stringify(root)})`], `require(${JSON.stringify(root)});${count}`],
    ["import 'mlops-kit' (ESM)", ['--input-type=module', '-e', `import ${JSON.stringify(root)}`], ''],
    ['… + createTestContainer() + createRuntime', ['-e', firstJob('testing')], `${firstJob('testing')};${count}`],
    ["require('mlops-kit/mlflow')", ['-e', `require(${JSON.stringify(path.resolve('dist/entries/mlflow.js'))})`], `require(${JSON.stringify(path.resolve('dist/entries/mlflow.js'))});${count}`],
  ];
  const time = (args: string[]): number => {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  let baseline = 0;
  const rows = cases.map(([name, args, counter]) => {
    time(args); // warm the file cache
    const m = median(Array.from({ length: repetitions }, () => time(args)));
    if (!baseline) baseline = m;
    const modules = counter ? Number(spawnSync(process.execPath, ['-e', counter], { encoding: 'utf8' }).stdout.trim()) : '';
    return { import: name, 'median s': m, 'above node s': m - baseline, 'ratio to node': `${(m / baseline).toFixed(2)}×`, modules, runs: repetitions };
  });
  printTable('Import cost (wall time of a process that only loads the entry; goal: root ≤ 0.15 s above node)', rows);
}

/** Loads the root and the testing entry, builds a test container and resolves a job (loads inversify and zod). */
function firstJob(entry: string): string {
  const root = JSON.stringify(path.resolve('dist/index.js'));
  const sub = JSON.stringify(path.resolve(`dist/entries/${entry}.js`));
  return `const k=require(${root});const t=require(${sub});k.createRuntime(t.createTestContainer())`;
}
