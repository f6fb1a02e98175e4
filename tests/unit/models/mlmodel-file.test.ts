import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { logModelJson, mlmodelYaml, pythonUtcTime, MLOPS_KIT_FLAVOR } from '../../../src/infrastructure/tracking/models/mlmodel-file';
import { inputExampleFiles, inputExampleJson } from '../../../src/infrastructure/tracking/models/input-example';
import { pyyamlDump } from '../../../src/infrastructure/tracking/models/pyyaml-dump';
import type { ModelSignature } from '../../../src/domain/model/logged-model';
import { ErrorCodes, ValidationError } from '../../../src/domain/errors';

// The golden files are written by golden/make-golden.py with PyYAML's safe_dump and Python's json module,
// from the dict MLflow 3's Model.to_dict() builds (mlflow/models/model.py) — the same calls MLflow makes.
const golden = (name: string) => fs.readFile(join(__dirname, 'golden', name), 'utf8');

const bikeSignature: ModelSignature = {
  inputs: [
    { name: 'hour', type: 'long' },
    { name: 'temperature', type: 'double' },
    { name: 'humidity', type: 'double' },
    { name: 'windspeed', type: 'double' },
    { name: 'workingday', type: 'long' },
    { name: 'holiday', type: 'long' },
    { name: 'rush_hour', type: 'long' },
  ],
  outputs: [{ type: 'double' }],
};

describe('mlmodelYaml', () => {
  it('writes a logged model (MLflow 3) byte for byte as Model.to_yaml does, long signature folded at PyYAML width', async () => {
    const modelId = 'm-7d6c5b4a39281706f5e4d3c2b1a09f8e';
    const text = mlmodelYaml({
      artifactPath: `mlflow-artifacts:/1/models/${modelId}/artifacts`,
      modelId,
      runId: '4f1e2d3c4b5a69788796a5b4c3d2e1f0',
      modelUuid: modelId,
      createdAt: Date.UTC(2026, 0, 12, 5, 17, 31, 634),
      flavors: { [MLOPS_KIT_FLAVOR]: { loader: 'linear-regression', mlops_kit_version: '0.1.0', data: 'model.json' } },
      signature: bikeSignature,
      inputExample: inputExampleFiles([{ hour: 8 }]).info,
      sizeBytes: 2048,
    });
    expect(text).toBe(await golden('MLmodel.logged-model'));
  });

  it('writes run-artifact models (2.x servers): model_id null, no signature keys, whole-second time without a fraction', async () => {
    const text = mlmodelYaml({
      artifactPath: 'model',
      runId: '0123456789abcdef0123456789abcdef',
      modelUuid: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      createdAt: new Date('2026-03-01T00:00:00Z'),
      flavors: { mlops_kit: { loader: 'ridge-regression', mlops_kit_version: '0.1.0' } },
    });
    expect(text).toBe(await golden('MLmodel.run-artifacts'));
    expect(text).not.toMatch(/signature|mlflow_version|saved_input_example_info/);
  });

  it('leaves out run_id and artifact_path when unknown, as MLflow does for None', () => {
    const text = mlmodelYaml({ modelUuid: 'u1', createdAt: 0, flavors: { mlops_kit: { loader: 'x', mlops_kit_version: '1' } } });
    expect(text).not.toMatch(/run_id|artifact_path/);
    expect(text).toContain("utc_time_created: '1970-01-01 00:00:00'\n");
  });

  it('writes mlflow_version only when given, and quotes strings YAML 1.1 would read as something else', () => {
    const text = mlmodelYaml({
      modelUuid: '123',
      createdAt: 0,
      mlflowVersion: '3.1.0',
      flavors: { mlops_kit: { loader: 'yes', mlops_kit_version: '1.0', note: "it's", quote: "'q", exp: '1e10', hex: '1234e5' } },
    });
    expect(text).toContain('mlflow_version: 3.1.0\n');
    expect(text).toContain("model_uuid: '123'\n");
    expect(text).toContain("loader: 'yes'\n");
    expect(text).toContain("mlops_kit_version: '1.0'\n");
    expect(text).toContain("note: it's\n");
    expect(text).toContain("quote: '''q'\n");
    // PyYAML reads 1e10 as a string (its floats need a dot), so it writes it plain
    expect(text).toContain('exp: 1e10\n');
    expect(text).toContain('hex: 1234e5\n');
  });
});

describe('logModelJson', () => {
  it("writes Model.get_tags_dict() as json.dumps does, flavors without their config", async () => {
    const text = logModelJson({
      artifactPath: 'model',
      runId: '0123456789abcdef0123456789abcdef',
      modelUuid: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      createdAt: new Date('2026-03-01T00:00:00Z'),
      flavors: { mlops_kit: { loader: 'ridge-regression', mlops_kit_version: '0.1.0', config: { secret: 'no' } } },
      signature: { inputs: [{ name: 'a', type: 'long' }] },
    });
    expect(text).toBe(await golden('log-model.json'));
  });
});

describe('pyyamlDump', () => {
  it('sorts keys at every level, keeps sequences unindented under their key and y/n plain, as PyYAML does', () => {
    expect(pyyamlDump({ b: ['x', 'y'], a: { n: 'n', m: {}, l: [] } })).toBe('a:\n  l: []\n  m: {}\n  n: n\nb:\n- x\n- y\n');
  });
});

describe('pythonUtcTime', () => {
  it("formats like Python's str(datetime): microseconds, dropped when zero", () => {
    expect(pythonUtcTime(Date.UTC(2026, 0, 12, 5, 17, 31, 634))).toBe('2026-01-12 05:17:31.634000');
    expect(pythonUtcTime(Date.UTC(2026, 0, 12, 5, 17, 31, 0))).toBe('2026-01-12 05:17:31');
    expect(pythonUtcTime(Date.UTC(2026, 0, 12, 5, 17, 31, 5))).toBe('2026-01-12 05:17:31.005000');
  });
});

describe('inputExampleFiles', () => {
  const rows = [
    { hour: 8, temperature: 21.5, holiday: 0 },
    { hour: 9, temperature: 19, holiday: 1 },
  ];

  it('writes input_example.json and serving_input_example.json as MLflow does for a DataFrame (float column whole values as 19.0)', async () => {
    const { files, info } = inputExampleFiles(rows);
    expect(files['input_example.json']).toBe(await golden('input_example.json'));
    expect(files['serving_input_example.json']).toBe(await golden('serving_input_example.json'));
    expect(info).toEqual({ artifact_path: 'input_example.json', type: 'dataframe', pandas_orient: 'split', serving_input_path: 'serving_input_example.json' });
    expect(inputExampleJson(rows)).toBe(files['input_example.json']);
  });

  it('unions columns in first-seen order and writes gaps as null (pandas NaN), making a numeric column with a gap float', () => {
    const text = inputExampleJson([{ a: 1, s: 'x' }, { b: true }, { a: 3, s: 'é' }]);
    expect(text).toBe('{"columns": ["a", "s", "b"], "data": [[1.0, "x", null], [null, null, true], [3.0, "\\u00e9", null]]}');
  });

  it('refuses no rows, a row that is not an object, and cells that are not scalars, naming where', () => {
    expect(() => inputExampleFiles([])).toThrow(ValidationError);
    expect(() => inputExampleFiles([[1, 2] as unknown as Record<string, unknown>])).toThrow(/inputExample\[0\]: expected an object of column values, got an array/);
    let error: unknown;
    try {
      inputExampleFiles([{ a: 1 }, { a: { nested: true } }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe(ErrorCodes.VALIDATION);
    expect((error as ValidationError).message).toMatch(/inputExample\[1\]\.a: object values cannot go in a table example/);
  });
});

describe('pyyamlDump against PyYAML', () => {
  it('matches safe_dump byte for byte on strings PyYAML treats specially (golden/tricky-strings.*)', async () => {
    const data = JSON.parse(await golden('tricky-strings.json')) as Record<string, unknown>;
    expect(pyyamlDump(data)).toBe(await golden('tricky-strings.yaml'));
  });
});
