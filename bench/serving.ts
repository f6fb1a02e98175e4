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
 * `model.onnx`. The bare session gets a ready Float32Array (the least work possible), and again one built
 * from columns or from row objects (what an app holding its data that way must write first): the fair
 * baseline for `predict(columns)` and `predict(rows)`; the predictor also checks every cell. Rounds interleave the methods so drift on a
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

    const example = inputExample(modelDir);
    const features = example.columns;
    // the model's own input example rows, repeated: values of the types its signature declares
    const rows = Array.from({ length: BATCH }, (_, i) => Object.fromEntries(features.map((name, j) => [name, example.data[i % example.data.length]![j]!])));
    const columns = Object.fromEntries(features.map((name) => [name, rows.map((row) => row[name]!)]));
    const tensorOf = (batch: Record<string, number>[]) => {
      const data = new Float32Array(batch.length * features.length);
      batch.forEach((row, i) => features.forEach((name, j) => (data[i * features.length + j] = row[name]!)));
      return new ort.Tensor('float32', data, [batch.length, features.length]);
    };
    const fromColumns = () => {
      const data = new Float32Array(BATCH * features.length);
      features.forEach((name, j) => columns[name]!.forEach((value, i) => (data[i * features.length + j] = value)));
      return new ort.Tensor('float32', data, [BATCH, features.length]);
    };
    const ready = tensorOf(rows);
    const readyOne = tensorOf(rows.slice(0, 1));

    const READY = 'bare session.run, ready Float32Array';
    const FROM_COLUMNS = 'bare session.run, tensor built from columns';
    const FROM_ROWS = 'bare session.run, tensor built from rows';
    const ONE = 'bare session.run, 1 row';
    // [method, rows, calls per round, the call, the bare method with the same input]
    const methods: [string, number, number, () => Promise<unknown>, string][] = [
      [READY, BATCH, BATCH_CALLS, () => session.run({ [input]: ready }), READY],
      [FROM_COLUMNS, BATCH, BATCH_CALLS, () => session.run({ [input]: fromColumns() }), READY],
      [FROM_ROWS, BATCH, BATCH_CALLS, () => session.run({ [input]: tensorOf(rows) }), READY],
      ['predictor.predict(columns)', BATCH, BATCH_CALLS, () => predictor.predict(columns), FROM_COLUMNS],
      ['predictor.predict(rows)', BATCH, BATCH_CALLS, () => predictor.predict(rows), FROM_ROWS],
      [ONE, 1, SINGLE_CALLS, () => session.run({ [input]: readyOne }), ONE],
      ['predictor.predict(1 row)', 1, SINGLE_CALLS, () => predictor.predict(rows.slice(0, 1)), ONE],
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
    printTable(`Serving: ${features.length}-feature ONNX model from TrainingJob, median of ${ROUNDS} interleaved rounds (goals: batch ≥ 0.9× bare; one row ≤ +50 µs)`, [
      ...methods.map(([name, size, , , same]) => ({
        method: name,
        rows: size,
        'µs per call': perCall(name),
        'predictions/s': Math.round((size * 1e6) / perCall(name)),
        'vs ready tensor': size === 1 ? `+${(perCall(name) - perCall(ONE)).toFixed(1)} µs` : `${(perCall(READY) / perCall(name)).toFixed(2)}×`,
        'vs bare, same input': size === 1 ? '' : `${(perCall(same) / perCall(name)).toFixed(2)}×`,
      })),
    ]);
    await session.release();
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The model's input example (pandas split orient): its columns in signature order and a few rows. */
function inputExample(modelDir: string): { columns: string[]; data: number[][] } {
  return JSON.parse(readFileSync(path.join(modelDir, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
}
