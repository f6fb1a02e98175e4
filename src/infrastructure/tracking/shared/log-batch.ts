import type { Metric } from '../../../domain/model/run';

/**
 * One `runs/log-batch` request's worth of values for one run, within MLflow's limits (the batcher cuts
 * them; log-batch-json.ts writes the body). Its own file: the batcher, its failure handling, the API and
 * the spill layer all speak it, and none of them should import another to get it.
 *
 * @example const batch: LogBatch = { metrics: [{ key: 'loss', value: 0.3, timestamp: Date.now(), step: 1 }], params: [], tags: [] };
 */
export interface LogBatch {
  metrics: Metric[];
  params: { key: string; value: string }[];
  tags: { key: string; value: string }[];
}
