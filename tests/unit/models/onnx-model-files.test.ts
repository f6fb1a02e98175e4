import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { inputExampleFiles } from '../../../src/infrastructure/tracking/models/input-example';
import { mlmodelYaml, parseMlmodel, pythonEnvFiles, ONNX_PIP_REQUIREMENTS, onnxFlavors } from '../../../src/infrastructure/tracking/models';

// golden/make-golden.py writes these with PyYAML and the calls MLflow's onnx flavor makes
// (Model.to_yaml, _PythonEnv.to_yaml, _mlflow_conda_env, "\n".join for requirements.txt)
const golden = (name: string) => fs.readFile(join(__dirname, 'golden', name), 'utf8');

describe('an ONNX model’s MLmodel', () => {
  it('is byte for byte what Model.to_yaml writes for mlflow.onnx.log_model’s flavors, beside mlops_kit', async () => {
    const modelId = 'm-5e8555c074c741e58dc80f4044ef1f9f';
    const text = mlmodelYaml({
      artifactPath: `mlflow-artifacts:/35/models/${modelId}/artifacts`,
      modelId,
      runId: '63e3d042450e445ea3ed32b9e5a0d8b7',
      modelUuid: modelId,
      createdAt: Date.UTC(2026, 11, 8, 1, 39, 21, 784),
      flavors: { ...onnxFlavors(), mlops_kit: { loader: 'linear-regression', mlops_kit_version: '0.1.0', data: 'model.json' } },
      signature: { inputs: [{ name: 'hour', type: 'long' }, { name: 'temperature', type: 'double' }], outputs: [{ type: 'double' }] },
      inputExample: inputExampleFiles([{ hour: 8, temperature: 1.5 }]).info,
      sizeBytes: 1090,
    });
    expect(text).toBe(await golden('MLmodel.onnx'));
  });

  it('declares python_function as MLflow’s pyfunc loader reads it: loader_module mlflow.onnx, the data file, the env files', () => {
    const model = parseMlmodel(mlmodelYaml({ modelUuid: 'u', createdAt: 0, flavors: onnxFlavors() }), 'MLmodel');
    expect(model.flavors.python_function).toEqual({
      loader_module: 'mlflow.onnx',
      data: 'model.onnx',
      env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' },
      python_version: '3.11.7',
    });
    expect(model.flavors.onnx).toEqual({ code: null, data: 'model.onnx', onnx_session_options: null, onnx_version: '1.10.2', providers: ['CUDAExecutionProvider', 'CPUExecutionProvider'] });
  });
});

describe('pythonEnvFiles', () => {
  it.each(['requirements.txt', 'python_env.yaml', 'conda.yaml'])('writes %s byte for byte as MLflow lays it out', async (file) => {
    expect(pythonEnvFiles(ONNX_PIP_REQUIREMENTS)[file]).toBe(await golden(file));
  });

  it('pins minimums MLflow’s mismatch warning accepts for any newer release, and the same pins in conda.yaml', () => {
    const files = pythonEnvFiles(ONNX_PIP_REQUIREMENTS);
    const requirements = files['requirements.txt']!.split('\n');
    expect(requirements.map((r) => r.split(/[<>=]/)[0])).toEqual(['mlflow', 'numpy', 'onnx', 'onnxruntime']);
    expect(requirements.every((r) => !r.includes('=='))).toBe(true);
    const conda = parse(files['conda.yaml']!) as { dependencies: (string | { pip: string[] })[] };
    expect(conda.dependencies.at(-1)).toEqual({ pip: requirements });
  });
});
