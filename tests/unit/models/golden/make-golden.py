"""Writes the golden MLmodel and input-example files the unit tests compare against.

It builds the dict MLflow 3's `Model.to_dict()` returns (mlflow/models/model.py: the non-underscore
attributes run_id, artifact_path, utc_time_created, flavors, model_uuid, mlflow_version (popped when None),
prompts, model_id; then signature.to_dict() + is_signature_from_type_hint + type_hint_from_example,
saved_input_example_info, metadata, model_size_bytes) and serialises it with the same calls MLflow makes:
`yaml.safe_dump(d, default_flow_style=False)` (Model.to_yaml), `json.dumps([colspec.to_dict() ...])`
(Schema.to_json, ColSpec keys type/name/required), and for the input example `json.dumps(split)` and
`json.dumps({"dataframe_split": split}, indent=2)` (mlflow/models/utils.py `_Example`); for an ONNX model
also its MLmodel and the environment files mlflow.onnx.save_model writes (mlflow/utils/environment.py).
MLflow itself is not needed: only PyYAML and the json module, which are what MLflow uses.
Run: python3 make-golden.py
"""
import json
import os

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


def colspecs(cols):
    return json.dumps([{"type": t, "name": n, "required": True} if n else {"type": t, "required": True} for n, t in cols])


features = [
    ("hour", "long"), ("temperature", "double"), ("humidity", "double"), ("windspeed", "double"),
    ("workingday", "long"), ("holiday", "long"), ("rush_hour", "long"),
]

# MLflow 3 logged model (Model.log: artifact_path=model.artifact_location, model_uuid=model_id, model_id=model_id)
model_id = "m-7d6c5b4a39281706f5e4d3c2b1a09f8e"
logged = {
    "run_id": "4f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "artifact_path": "mlflow-artifacts:/1/models/" + model_id + "/artifacts",
    "utc_time_created": "2026-01-12 05:17:31.634000",
    "flavors": {"mlops_kit": {"loader": "linear-regression", "mlops_kit_version": "0.1.0", "data": "model.json"}},
    "model_uuid": model_id,
    "prompts": None,
    "model_id": model_id,
    "signature": {"inputs": colspecs(features), "outputs": colspecs([(None, "double")]), "params": None},
    "is_signature_from_type_hint": False,
    "type_hint_from_example": False,
    "saved_input_example_info": {
        "artifact_path": "input_example.json", "serving_input_path": "serving_input_example.json",
        "type": "dataframe", "pandas_orient": "split",
    },
    "model_size_bytes": 2048,
}

# A model saved as run artifacts on a 2.x server: no model id, artifact path = the name, no signature,
# a whole-second creation time (str(datetime) drops the fraction)
run_artifacts = {
    "run_id": "0123456789abcdef0123456789abcdef",
    "artifact_path": "model",
    "utc_time_created": "2026-03-01 00:00:00",
    "flavors": {"mlops_kit": {"loader": "ridge-regression", "mlops_kit_version": "0.1.0"}},
    "model_uuid": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    "prompts": None,
    "model_id": None,
}

# pandas DataFrame([{"hour": 8, "temperature": 21.5, "holiday": 0}, {"hour": 9, "temperature": 19, "holiday": 1}])
# -> hour int64, temperature float64 (19 -> 19.0), holiday int64; to_dict(orient="split") without "index"
split = {"columns": ["hour", "temperature", "holiday"], "data": [[8, 21.5, 0], [9, 19.0, 1]]}

# Model.get_tags_dict(): run_id, artifact_path, utc_time_created, model_uuid in to_dict order, then flavors
# without "config"; json.dumps of it is the model_json of runs/log-model and an entry of the
# mlflow.log-model.history tag on 2.x servers
tags_dict = {k: run_artifacts[k] for k in ["run_id", "artifact_path", "utc_time_created", "model_uuid"]}
tags_dict["flavors"] = {"mlops_kit": {"loader": "ridge-regression", "mlops_kit_version": "0.1.0"}}
with open(os.path.join(HERE, "log-model.json"), "w") as f:
    f.write(json.dumps(tags_dict))

for name, data in [("MLmodel.logged-model", logged), ("MLmodel.run-artifacts", run_artifacts)]:
    with open(os.path.join(HERE, name), "w") as f:
        yaml.safe_dump(data, stream=f, default_flow_style=False)
with open(os.path.join(HERE, "input_example.json"), "w") as f:
    f.write(json.dumps(split))
with open(os.path.join(HERE, "serving_input_example.json"), "w") as f:
    f.write(json.dumps({"dataframe_split": split}, indent=2))

# Strings PyYAML quotes, escapes or folds in its own way (YAML 1.1 look-alikes, indicators, non-ASCII,
# long lines): tricky-strings.json is the input, tricky-strings.yaml what safe_dump makes of it.
with open(os.path.join(HERE, "tricky-strings.json")) as f:
    tricky = json.load(f)
with open(os.path.join(HERE, "tricky-strings.yaml"), "w") as f:
    yaml.safe_dump(tricky, stream=f, default_flow_style=False)

# An ONNX model as mlflow.onnx.log_model leaves it on MLflow 3 (shared/docs/mlflow-models.md), with the
# mlops_kit flavor TrainingJob adds beside it: onnx (mlflow.onnx.save_model's add_flavor: code None,
# session options None, mlflow's default providers), python_function (pyfunc.add_to_model: loader_module,
# python_version, data, env {conda, virtualenv}). mlops-kit writes no mlflow_version and its own pins.
onnx_model_id = "m-5e8555c074c741e58dc80f4044ef1f9f"
python_version = "3.11.7"
requirements = ["mlflow>=2.12", "numpy", "onnx>=1.10", "onnxruntime>=1.10"]
onnx_logged = {
    "run_id": "63e3d042450e445ea3ed32b9e5a0d8b7",
    "artifact_path": "mlflow-artifacts:/35/models/" + onnx_model_id + "/artifacts",
    "utc_time_created": "2026-12-08 01:39:21.784000",
    "flavors": {
        "onnx": {
            "onnx_version": "1.10.2", "data": "model.onnx",
            "providers": ["CUDAExecutionProvider", "CPUExecutionProvider"],
            "onnx_session_options": None, "code": None,
        },
        "python_function": {
            "loader_module": "mlflow.onnx", "python_version": python_version, "data": "model.onnx",
            "env": {"conda": "conda.yaml", "virtualenv": "python_env.yaml"},
        },
        "mlops_kit": {"loader": "linear-regression", "mlops_kit_version": "0.1.0", "data": "model.json"},
    },
    "model_uuid": onnx_model_id,
    "prompts": None,
    "model_id": onnx_model_id,
    "signature": {"inputs": colspecs(features[:2]), "outputs": colspecs([(None, "double")]), "params": None},
    "is_signature_from_type_hint": False,
    "type_hint_from_example": False,
    "saved_input_example_info": {
        "artifact_path": "input_example.json", "serving_input_path": "serving_input_example.json",
        "type": "dataframe", "pandas_orient": "split",
    },
    "model_size_bytes": 1090,
}
with open(os.path.join(HERE, "MLmodel.onnx"), "w") as f:
    yaml.safe_dump(onnx_logged, stream=f, default_flow_style=False)

# The environment files, written as mlflow.onnx.save_model writes them (mlflow/utils/environment.py):
# write_to(requirements.txt, "\n".join(reqs)); _PythonEnv.to_yaml (safe_dump, sort_keys=False, no empty
# values); _mlflow_conda_env with install_mlflow=False and pip's version unknown (a bare "pip").
with open(os.path.join(HERE, "requirements.txt"), "w") as f:
    f.write("\n".join(requirements))
with open(os.path.join(HERE, "python_env.yaml"), "w") as f:
    python_env = {"python": python_version, "build_dependencies": ["pip", "setuptools", "wheel"], "dependencies": ["-r requirements.txt"]}
    yaml.safe_dump(python_env, f, sort_keys=False, default_flow_style=False)
with open(os.path.join(HERE, "conda.yaml"), "w") as f:
    conda_env = yaml.safe_load("name: mlflow-env\nchannels:\n  - conda-forge\n")
    conda_env["dependencies"] = ["python=" + python_version, "pip", {"pip": requirements}]
    yaml.safe_dump(conda_env, stream=f, default_flow_style=False)
