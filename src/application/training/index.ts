export { mulberry32, gaussian, shuffled } from './prng';
export { generateBikeDemand, summarizeDataset, BIKE_DEMAND_FEATURES, BIKE_DEMAND_TARGET, type Dataset } from './dataset';
export { numericColumns, readCsvDataset } from './csv';
export { trainTestSplit, fitScaler, standardize, type Scaler } from './preprocessing';
export { fitRidge, type RidgeOptions, type RidgeFit } from './ridge-regression';
export { rmse, r2 } from './metrics';
export {
  createLinearModel,
  predict,
  serializeModel,
  parseModel,
  LINEAR_MODEL_FORMAT,
  LINEAR_MODEL_FORMAT_VERSION,
  type LinearModel,
} from './linear-model';
export { trainModel, hyperparamsFrom, assertHyperparams, DEFAULT_HYPERPARAMS, type Hyperparams, type TrainingOutcome } from './train';
export { CpuSlice, DEFAULT_SLICE_MS } from './cpu-slice';
