import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A local store written by hand, byte for byte in MLflow's file-store layout (the files MLflow 2.x
 * writes), so the reader and the sync are tested independently of LocalTracker. Every value the tests
 * assert on is spelled out here.
 */
export const RUN_A = '4f1c2b3a4d5e4f708192a3b4c5d6e7f8'; // "baseline", FINISHED, parent of B
export const RUN_B = '9a8b7c6d5e4f40312a2b3c4d5e6f7a8b'; // "child", FAILED, nested under A
export const RUN_E = 'e0e1e2e3e4e54e6e8e9eaebecedeeef0'; // "live", still RUNNING
export const RUN_DELETED = 'd0d1d2d3d4d54d6d8d9dadbdcdddded0';
export const RUN_HALF = 'c0c1c2c3c4c54c6c8c9cacbcccdcecf0'; // directory without meta.yaml
export const EXPERIMENT = { id: '1', name: 'churn' };

export const MODEL_BYTES = Buffer.from([0, 1, 2, 3, 254, 255, 10, 13, 0]);

/** The metric lines as written, and what they mean. */
export const METRICS_A = {
  rmse: {
    text: '1700000001000 0.9 0\n1700000002000 0.7 1\n1700000003000 0.55 2\n1700000003000 0.55 2\n',
    values: [
      { key: 'rmse', value: 0.9, timestamp: 1700000001000, step: 0 },
      { key: 'rmse', value: 0.7, timestamp: 1700000002000, step: 1 },
      { key: 'rmse', value: 0.55, timestamp: 1700000003000, step: 2 },
      // the same value logged twice: a file store keeps both, so the target must get both
      { key: 'rmse', value: 0.55, timestamp: 1700000003000, step: 2 },
    ],
  },
  'loss/train': {
    // a key with "/" is a nested directory; a legacy line without step means step 0
    text: '1700000001000 1e-07 0\n1700000002000 2.5\n',
    values: [
      { key: 'loss/train', value: 1e-7, timestamp: 1700000001000, step: 0 },
      { key: 'loss/train', value: 2.5, timestamp: 1700000002000, step: 0 },
    ],
  },
  odd: {
    text: '1700000001000 nan 0\n1700000002000 inf 1\n1700000003000 -inf 2\n',
    values: [
      { key: 'odd', value: NaN, timestamp: 1700000001000, step: 0 },
      { key: 'odd', value: Infinity, timestamp: 1700000002000, step: 1 },
      { key: 'odd', value: -Infinity, timestamp: 1700000003000, step: 2 },
    ],
  },
};

export const PARAMS_A = { alpha: '0.1', 'opt/lr': '0.001', note: 'a value with spaces: and "quotes"' };
export const TAGS_A = { 'mlflow.runName': 'baseline', 'mlflow.user': 'ana', team: 'risk', 'mlflow.note.content': 'first line\nsecond line' };

export interface GoldenStore {
  root: string;
  /** Where version 1's source says the store used to live (it was moved since). */
  oldRoot: string;
}

/** Writes the golden store into a fresh temp dir and returns its root (`<tmp>/mlruns`). */
export async function writeGoldenStore(): Promise<GoldenStore> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'sync-golden-'));
  const root = path.join(base, 'mlruns');
  const oldRoot = '/home/ana/old-place/mlruns';
  const file = async (relative: string, content: string | Buffer): Promise<void> => {
    const target = path.join(root, ...relative.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  };
  const uri = (relative: string): string => pathToFileURL(path.join(root, relative)).href;

  await mkdir(path.join(root, '.trash'), { recursive: true });
  await file('0/meta.yaml', [`artifact_location: ${uri('0')}`, 'creation_time: 1700000000000', "experiment_id: '0'", 'last_update_time: 1700000000000', 'lifecycle_stage: active', 'name: Default', ''].join('\n'));
  await file('1/meta.yaml', [`artifact_location: ${uri('1')}`, 'creation_time: 1700000000000', "experiment_id: '1'", 'last_update_time: 1700000000000', 'lifecycle_stage: active', 'name: churn', ''].join('\n'));
  await file('1/tags/owner', 'ana');

  await file(`1/${RUN_A}/meta.yaml`, runMeta(RUN_A, 'baseline', 3, 1700000000000, 1700000060000, uri(`1/${RUN_A}/artifacts`)));
  for (const [key, metric] of Object.entries(METRICS_A)) await file(`1/${RUN_A}/metrics/${key}`, metric.text);
  for (const [key, value] of Object.entries(PARAMS_A)) await file(`1/${RUN_A}/params/${key}`, value);
  for (const [key, value] of Object.entries(TAGS_A)) await file(`1/${RUN_A}/tags/${key}`, value);
  await file(`1/${RUN_A}/artifacts/model/model.bin`, MODEL_BYTES);
  await file(`1/${RUN_A}/artifacts/model/MLmodel`, 'flavors: {}\n');
  await file(`1/${RUN_A}/artifacts/report.txt`, 'all good\n');

  await file(`1/${RUN_B}/meta.yaml`, runMeta(RUN_B, 'child', 4, 1700000010000, 1700000020000, uri(`1/${RUN_B}/artifacts`)));
  await file(`1/${RUN_B}/metrics/acc`, '1700000011000 0.5 0\n1700000012000 0.75 1\n');
  await file(`1/${RUN_B}/tags/mlflow.parentRunId`, RUN_A);
  await file(`1/${RUN_B}/tags/mlflow.runName`, 'child');
  await file(`1/${RUN_B}/artifacts/outputs/weights.txt`, 'w=1\n');

  await file(`1/${RUN_E}/meta.yaml`, runMeta(RUN_E, 'live', 1, 1700000030000, null, uri(`1/${RUN_E}/artifacts`)));
  await file(`1/${RUN_E}/metrics/progress`, '1700000031000 0.25 0\n');
  await mkdir(path.join(root, '1', RUN_E, 'artifacts'), { recursive: true });

  await file(`1/${RUN_DELETED}/meta.yaml`, runMeta(RUN_DELETED, 'gone', 3, 1700000040000, 1700000041000, uri(`1/${RUN_DELETED}/artifacts`), 'deleted'));
  await file(`1/${RUN_DELETED}/metrics/rmse`, '1700000040500 9.0 0\n');
  await mkdir(path.join(root, '1', RUN_HALF, 'metrics'), { recursive: true });

  await file('models/churn-model/meta.yaml', ['creation_timestamp: 1700000100000', 'description: Churn classifier', 'last_updated_timestamp: 1700000100000', 'name: churn-model', ''].join('\n'));
  await file('models/churn-model/tags/domain', 'retention');
  // version 1: a file: URI from before the store was moved; version 2: runs:/ URI; version 3: remote; version 4: a local path in no run
  await file('models/churn-model/version-1/meta.yaml', versionMeta(1, `file://${oldRoot}/1/${RUN_A}/artifacts/model`, RUN_A));
  await file('models/churn-model/version-1/tags/stage', 'validated');
  await file('models/churn-model/version-2/meta.yaml', versionMeta(2, `runs:/${RUN_B}/outputs`, RUN_B));
  await file('models/churn-model/version-3/meta.yaml', versionMeta(3, 's3://models-bucket/churn/3', ''));
  await file('models/churn-model/version-4/meta.yaml', versionMeta(4, '/srv/somewhere/else/model', ''));
  await file('models/churn-model/aliases/Champion', '1');
  await file('models/churn-model/aliases/Challenger', '3');
  await file('models/churn-model/aliases/Stale', '4');
  return { root, oldRoot };
}

function runMeta(id: string, name: string, status: number, start: number, end: number | null, artifactUri: string, stage = 'active'): string {
  return [
    `artifact_uri: ${artifactUri}`,
    `end_time: ${end === null ? 'null' : end}`,
    "entry_point_name: ''",
    "experiment_id: '1'",
    `lifecycle_stage: ${stage}`,
    `run_id: ${id}`,
    `run_name: ${name}`,
    `run_uuid: ${id}`,
    "source_name: ''",
    'source_type: 4',
    "source_version: ''",
    `start_time: ${start}`,
    `status: ${status}`,
    'tags: []',
    'user_id: ana',
    '',
  ].join('\n');
}

function versionMeta(version: number, source: string, runId: string): string {
  return [
    'creation_timestamp: 1700000100000',
    'current_stage: None',
    "description: ''",
    'last_updated_timestamp: 1700000100000',
    'name: churn-model',
    `run_id: ${runId === '' ? "''" : runId}`,
    "run_link: ''",
    `source: ${source}`,
    'status: READY',
    "status_message: ''",
    "user_id: ''",
    `version: ${version}`,
    '',
  ].join('\n');
}
