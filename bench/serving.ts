import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContainer, createRuntime, TYPES } from '../src';
import { MemoryAlerter } from '../src/entries/testing';
import { median, printTable } from './table';

const BATCH = 1_000;
const ROUNDS = 15;
const BATCH_CALLS = 20;
const SINGLE_CALLS = 400;

import type * as OnnxRuntime from 'onnxruntime-node';

type Ort = typeof OnnxRuntime;

/**
 * Predictor overhead: one model TrainingJob wrote (ONNX, 7 float features) scored through
 * `runtime.predictor(uri).predict(...)` and through a bare onnxruntime-node `session.run` on the same
 * `model.onnx`. The bare session gets a ready Float32Array (the least work possible), and again built
 * from row objects (what an app holding rows must write). Rounds interleave the methods so drift on a
 * shared machine hits each alike; each figure is the median of its rounds. Goals (#17): a batch of 1,000
 * rows ≥ 0.9× the bare session's predictions/s; a single row ≤ 50 µs per call above it.
 */
export async function benchServing(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-serving-'));
  const config = { tracking: { uri: path.join(dir, 'mlruns') }, logging: { sink: path.join(dir, 'bench.log'), format: 'json' as const } };
  const container = createContainer({ config, overrides: { [TYPES.Alerter]: new MemoryAlerter() } });
  const runtime = createRuntime(container);
  await runtime.start();
  try {
    const { version } = await runtime.run({ KIND: 'TrainingJob', model: 'bench-serving', epochs: 30, rows: 2_000 });
    const predictor = runtime.predictor<Record<string, number>, number>(`models:/bench-serving/${version}`);
    await predictor.ready();

    const source = (await container.get(TYPES.ModelRegistry).getModelVersion('bench-serving', version!)).source;
    const modelDir = await container.get(TYPES.Tracker).downloadModel(source, path.join(dir, 'download'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the optional peer, as the library loads it
    const ort = require('onnxruntime-node') as Ort;
    const session = await ort.InferenceSession.create(readFileSync(path.join(modelDir, 'model.onnx')));
    const input = session.inputNames[0]!;

    const features = featureNames(modelDir);
    const rows = Array.from({ length: BATCH }, (_, i) => Object.fromEntries(features.map((name, j) => [name, ((i * 7 + j * 13) % 97) / 10])));
    const columns = Object.fromEntries(features.map((name) => [name, rows.map((row) => row[name]!)]));
    const tensorOf = (batch: Record<string, number>[]) => {
      const data = new Float32Array(batch.length * features.length);
      batch.forEach((row, i) => features.forEach((name, j) => (data[i * features.length + j] = row[name]!)));
      return new ort.Tensor('float32', data, [batch.length, features.length]);
    };
    const ready = tensorOf(rows);
    const readyOne = tensorOf(rows.slice(0, 1));

    const methods: [string, number, number, () => Promise<unknown>][] = [
      ['bare session.run, ready Float32Array', BATCH, BATCH_CALLS, () => session.run({ [input]: ready })],
      ['bare session.run, tensor built from rows', BATCH, BATCH_CALLS, () => session.run({ [input]: tensorOf(rows) })],
      ['predictor.predict(rows)', BATCH, BATCH_CALLS, () => predictor.predict(rows)],
      ['predictor.predict(columns)', BATCH, BATCH_CALLS, () => predictor.predict(columns)],
      ['bare session.run, 1 row', 1, SINGLE_CALLS, () => session.run({ [input]: readyOne })],
      ['predictor.predict(1 row)', 1, SINGLE_CALLS, () => predictor.predict(rows.slice(0, 1))],
    ];
    const samples = new Map<string, number[]>(methods.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, , calls, call] of methods) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < calls; i++) await call();
        samples.get(name)!.push(Number(process.hrtime.bigint() - start) / 1e3 / calls);
      }
    }
    const perCall = (name: string) => median(samples.get(name)!);
    const bareBatch = perCall(methods[0]![0]);
    const bareOne = perCall(methods[4]![0]);
    printTable(`Serving: ${features.length}-feature ONNX model from TrainingJob, median of ${ROUNDS} interleaved rounds (goals: batch ≥ 0.9× bare; one row ≤ +50 µs)`, [
      ...methods.map(([name, size]) => ({
        method: name,
        rows: size,
        'µs per call': perCall(name),
        'predictions/s': Math.round((size * 1e6) / perCall(name)),
        'vs bare': size === 1 ? `+${(perCall(name) - bareOne).toFixed(1)} µs` : `${(bareBatch / perCall(name)).toFixed(2)}×`,
      })),
    ]);
    await session.release();
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The feature columns in signature order, read from the model's input example (pandas split orient). */
function featureNames(modelDir: string): string[] {
  return (JSON.parse(readFileSync(path.join(modelDir, 'input_example.json'), 'utf8')) as { columns: string[] }).columns;
}
