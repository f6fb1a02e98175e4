/**
 * An MLflow experiment: a named group of runs with its own artifact location. Runs go to the tracker's
 * default experiment unless a RunConfig names another.
 *
 * @example const experiment = await tracker.getExperimentByName('bike-demand'); // Experiment | undefined
 */
export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: 'active' | 'deleted';
  tags: Record<string, string>;
  /** Milliseconds since epoch, when the store records it. */
  creationTime?: number;
  /** Milliseconds since epoch, when the store records it. */
  lastUpdateTime?: number;
}
