/**
 * `mlops-kit/local`: the embedded local store, in MLflow's own file layout (what `mlflow server
 * --backend-store-uri ./mlruns` reads).
 *
 * @example
 * import { LocalTracker } from 'mlops-kit/local';
 * const tracker = new LocalTracker({ root: './mlruns', experimentName: 'churn' });
 *
 * @packageDocumentation
 */
export type { RunDefaults } from '../infrastructure/tracking/client/tracking-client-options';
export { LocalTracker, type LocalTrackerOptions } from '../infrastructure/tracking/local/local-tracker';
export { LocalModelRegistry, type LocalModelRegistryOptions } from '../infrastructure/tracking/local/local-registry';
