import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, printTable } from './table';

/**
 * Start-up cost: wall time of `mlops-kit run examples/example.yaml` (all services started: logger,
 * alerter, local-store tracker and registry; one run, one metric, one alert), against bare `node -e 0`.
 * Goal: median ≤ 0.35 s on the 2-core CI machines.
 */
export function benchStartup(repetitions = 15): void {
  const store = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-startup-'));
  const env = { ...process.env, MLFLOW_TRACKING_URI: store };
  const time = (args: string[]): number => {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  const cases: [string, string[]][] = [
    ['node -e 0 (baseline)', ['-e', '0']],
    ['mlops-kit --version', ['dist/cli.js', '--version']],
    ['mlops-kit run example.yaml', ['dist/cli.js', 'run', 'examples/example.yaml', '--set', 'alerts.enabled=false']],
  ];
  const rows = cases.map(([name, args]) => {
    time(args); // warm the file cache
    const samples = Array.from({ length: repetitions }, () => time(args));
    return { command: name, 'median s': median(samples), 'min s': Math.min(...samples), runs: repetitions };
  });
  rmSync(store, { recursive: true, force: true });
  printTable('Start-up (wall time of one CLI process; goal: run ≤ 0.35 s)', rows);
}
