/**
 * DI tokens, one Symbol per port, named like the port without its `I`. `Symbol.for` keeps them equal
 * across copies of the package, so an app and a plugin resolve the same binding.
 *
 * @example container.rebind(TYPES.Alerter).to(SlackAlerter);
 */
export const TYPES = {
  Logger: Symbol.for('mlops-kit.Logger'),
  Alerter: Symbol.for('mlops-kit.Alerter'),
  Tracker: Symbol.for('mlops-kit.Tracker'),
  ModelRegistry: Symbol.for('mlops-kit.ModelRegistry'),
  LifecycleLogger: Symbol.for('mlops-kit.LifecycleLogger'),
  /** The validated configuration object (AppConfig). */
  Config: Symbol.for('mlops-kit.Config'),
  /** The `job` section of the configuration. */
  JobConfig: Symbol.for('mlops-kit.JobConfig'),
  /** A clock (`() => number`, ms since epoch) so tests can pin time. */
  Clock: Symbol.for('mlops-kit.Clock'),
} as const;
