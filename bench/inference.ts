import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createContainer, createRuntime, TYPES } from '../src';
import { MemoryAlerter } from '../src/entries/testing';
import { printTable } from './table';

const ROWS = 1_000_000;
const HEADER = ['hour', 'temperature', 'humidity', 'windspeed', 'workingday', 'holiday', 'rush_hour'];

/**
 * InferenceJob on 1,000,000 rows: a model TrainingJob wrote scores a 1M-row CSV (written here first) in a
 * child process of its own, so its peak RSS (`process.resourceUsage().maxRSS`, the whole process with
 * onnxruntime loaded) is the job's alone. Goal (#17): peak RSS ≤ 200 MiB, i.e. the rows are streamed,
 * never all held.
 */
export async function benchInference(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-inference-'));
  const store = path.join(dir, 'mlruns');
  try {
    const runtime = createRuntime(createContainer({ config: config(store, dir), overrides: { [TYPES.Alerter]: new MemoryAlerter() } }));
    await runtime.start();
    const { version } = await runtime.run({ KIND: 'TrainingJob', model: 'bench-inference', epochs: 30, rows: 2_000 });
    await runtime.close();
    const input = path.join(dir, 'input.csv');
    await writeRows(input);
    const child = execFileSync(process.execPath, [process.argv[1]!, '--child', 'inference', '--store', store, '--input', input, '--model', `models:/bench-inference/${version}`], {
      encoding: 'utf8',
    });
    const { rows, seconds, maxRssMiB, flavor } = JSON.parse(child.trim().split('\n').at(-1)!) as { rows: number; seconds: number; maxRssMiB: number; flavor: string };
    printTable(`InferenceJob, ${ROWS.toLocaleString('en-US')} rows × ${HEADER.length} features, one child process (goal: peak RSS ≤ 200 MiB)`, [
      { rows, flavor, seconds, 'rows/s': Math.round(rows / seconds), 'peak RSS MiB': maxRssMiB },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The child's side: runs the one InferenceJob and prints what it measured as a JSON line. */
export async function inferenceChild(store: string, input: string, modelUri: string): Promise<void> {
  const dir = path.dirname(input);
  const runtime = createRuntime(createContainer({ config: config(store, dir), overrides: { [TYPES.Alerter]: new MemoryAlerter() } }));
  await runtime.start();
  const started = process.hrtime.bigint();
  const result = await runtime.run({ KIND: 'InferenceJob', modelUri, inputPath: input, outputPath: path.join(dir, 'predictions.csv') });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await runtime.close();
  const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ rows: result.rows, seconds, maxRssMiB, flavor: (result as { flavor?: string }).flavor ?? '' })}\n`);
}

function config(store: string, dir: string) {
  return { tracking: { uri: store }, logging: { sink: path.join(dir, 'bench.log'), format: 'json' as const } };
}

async function writeRows(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${HEADER.join(',')}\n`);
  for (let i = 0; i < ROWS; i++) {
    const line = `${i % 24},${(i % 35) + 0.5},${(i % 100) / 100},${i % 30},${i % 2},${i % 7 === 0 ? 1 : 0},${i % 24 === 8 ? 1 : 0}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
