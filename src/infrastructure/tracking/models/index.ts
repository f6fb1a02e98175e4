// MLflow model files: the MLmodel (write and read), the input example files, saving a model directory.
export { INPUT_EXAMPLE_FILE, SERVING_INPUT_EXAMPLE_FILE, inputExampleFiles, inputExampleJson, type InputExampleFiles, type SavedInputExampleInfo } from './input-example';
export { MLMODEL_FILE, MLOPS_KIT_FLAVOR, logModelJson, mlmodelYaml, pythonUtcTime, type MlmodelFields, type MlopsKitFlavor } from './mlmodel-file';
export { mlopsKitFlavorOf, parseMlmodel, readMlmodel, type ParsedMlmodel } from './mlmodel-read';
export { PYYAML_SCHEMA, pyyamlDump } from './pyyaml-dump';
export { saveMlmodel, totalFileSize, type SaveMlmodelOptions } from './save-mlmodel';
export { ONNX_MODEL_FILE, onnxFlavors, writeOnnxEnvFiles } from './onnx-model-files';
export { MODEL_PYTHON_VERSION, ONNX_PIP_REQUIREMENTS, PYTHON_ENV_FILES, pythonEnvFiles } from './python-env';
