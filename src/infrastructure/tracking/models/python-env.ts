import { pyyamlDump } from './pyyaml-dump';

/**
 * The Python a model's `python_function` flavor names (`python_version`) and its `python_env.yaml` and
 * `conda.yaml` ask for. mlops-kit writes models from Node, so there is no "current" Python to record as
 * MLflow does: 3.11 is one every MLflow release mlops-kit supports (2.12 to 3.x) and current onnxruntime
 * wheels run on, and 3.11.7 is the interpreter of the checked MLflow 3.11.1 + onnx + onnxruntime setup
 * (shared/docs/mlflow-models.md). `mlflow models serve --env-manager uv|virtualenv` installs it; a loader on
 * another 3.x only warns.
 *
 * @example pyfuncFlavor.python_version = MODEL_PYTHON_VERSION; // '3.11.7'
 */
export const MODEL_PYTHON_VERSION = '3.11.7';

/**
 * The pip requirements of an ONNX model mlops-kit logs, in the order MLflow writes them (sorted, mlflow
 * first): the same packages `mlflow.onnx.log_model` lists, each with a MINIMUM, not an exact pin.
 *
 * Why minimums: MLflow pins the versions installed where the model was saved; a model saved from Node
 * has no such environment, so an exact pin would be a guess presented as a fact, and MLflow's loader warns
 * whenever the installed version differs from a pin (`warn_dependency_requirement_mismatches`). A minimum
 * is what we actually know: the oldest release that reads what we write. `mlflow>=2.12`: the oldest MLflow
 * mlops-kit supports; `onnx>=1.10` and `onnxruntime>=1.10`: the first to read IR version 8, which
 * ONNX files from mlops-kit carry; `numpy`: listed as MLflow lists it (its onnx
 * wrapper imports it), with no bound of our own. `mlflow models serve` then installs current releases.
 *
 * @example ONNX_PIP_REQUIREMENTS.join('\n'); // the text of requirements.txt
 */
export const ONNX_PIP_REQUIREMENTS: readonly string[] = ['mlflow>=2.12', 'numpy', 'onnx>=1.10', 'onnxruntime>=1.10'];

/**
 * The environment files MLflow writes beside a model, by file name, and what the `python_function`
 * flavor's `env` names them.
 *
 * @example const condaFile = join(modelDir, PYTHON_ENV_FILES.conda); // <model>/conda.yaml
 */
export const PYTHON_ENV_FILES = { conda: 'conda.yaml', virtualenv: 'python_env.yaml', requirements: 'requirements.txt' } as const;

/**
 * `requirements.txt`, `python_env.yaml` and `conda.yaml` laid out byte for byte as MLflow's `save_model`
 * writes them (mlflow/utils/environment.py): the requirements joined by `\n` with no final newline;
 * `_PythonEnv.to_yaml` (`safe_dump(sort_keys=False)`: python, build_dependencies, dependencies
 * `-r requirements.txt`); `_mlflow_conda_env` (`safe_dump`, keys sorted: channels conda-forge, dependencies
 * `python=<version>`, pip, then the requirements under `pip:`, name mlflow-env). The build tools carry no
 * version, as MLflow writes them when it cannot find the installed one.
 *
 * @example pythonEnvFiles(['mlflow>=2.12'])['requirements.txt']; // 'mlflow>=2.12'
 */
export function pythonEnvFiles(requirements: readonly string[], python = MODEL_PYTHON_VERSION): Record<string, string> {
  return {
    [PYTHON_ENV_FILES.requirements]: requirements.join('\n'),
    [PYTHON_ENV_FILES.virtualenv]: pyyamlDump(
      { python, build_dependencies: ['pip', 'setuptools', 'wheel'], dependencies: [`-r ${PYTHON_ENV_FILES.requirements}`] },
      { sortKeys: false },
    ),
    [PYTHON_ENV_FILES.conda]: pyyamlDump({ name: 'mlflow-env', channels: ['conda-forge'], dependencies: [`python=${python}`, 'pip', { pip: [...requirements] }] }),
  };
}
