import { ConfigError, ErrorCodes } from '../../domain/errors';
import { canonicalJson } from '../experiments/config-id';
import type { Config } from '../experiments/config-variants';
import { DEFAULT_HYPERPARAMS, hyperparamsFrom } from '../training/train';
import { TRAINING_DEFAULTS } from './schemas/training';

/** Keys a branch config may set: the training hyperparameters plus where the data comes from. */
export const BRANCH_KEYS = ['seed', 'rows', 'epochs', 'learningRate', 'l2', 'testFraction', 'dataPath'] as const;

/** A branch's `rows` (a number, or a numeric string from `--set`), default 500. */
export function branchRows(config: Config): number {
  const value = config.rows;
  if (value === undefined) return TRAINING_DEFAULTS.rows;
  const rows = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 2) {
    throw new Error(`rows must be a whole number >= 2, got ${JSON.stringify(value)}.`);
  }
  return rows;
}

/** Unknown keys and bad values in a branch config are ConfigErrors that name the branch. */
export function checkBranchConfig(config: Config, index: number): void {
  const unknown = Object.keys(config).filter((key) => !(BRANCH_KEYS as readonly string[]).includes(key));
  const where = `job (branch ${index}: ${canonicalJson(config)})`;
  if (unknown.length > 0) {
    const message = `${where}: unknown training parameter(s) ${unknown.join(', ')}; known: ${BRANCH_KEYS.join(', ')}.`;
    throw new ConfigError(message, ErrorCodes.CONFIG_INVALID, { details: { branch: index, unknown } });
  }
  try {
    hyperparamsFrom(config, DEFAULT_HYPERPARAMS);
    branchRows(config);
    if (config.dataPath !== undefined && typeof config.dataPath !== 'string') throw new Error('dataPath must be a string.');
  } catch (error) {
    throw new ConfigError(`${where}: ${(error as Error).message}`, ErrorCodes.CONFIG_INVALID, { details: { branch: index }, cause: error });
  }
}
