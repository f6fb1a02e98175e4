import path from 'node:path';
import { ConfigError, ErrorCodes } from '../../domain/errors';
import { assertValidExperimentName } from '../../domain/model/naming-rules';
import { selectTrackingBackend } from '../container/tracking-backend';
import type { EnvMap } from './env';
import { maskUri } from './mask';
import { realPathOf, statOrUndefined, writablePathProblem } from './path-checks';
import type { AppConfig } from './schema';
import type { KeyPath } from './tree';

export interface PreflightOptions {
  /** Relative paths resolve against this directory (the loader's cwd). */
  cwd: string;
  /** Values the container falls back to (MLFLOW_TRACKING_URI …) when the config leaves them unset. */
  env: EnvMap;
  /** Names the file a key came from. */
  originOf: (path: KeyPath) => string;
}

/**
 * Everything about a validated config that needs the file system or a URL parser, decided before any
 * service starts, so a wrong path or URL is one line naming the file and key instead of a failure
 * after an experiment was created: tracking/registry URIs parse (scheme, brackets, port), input files
 * (job.dataPath, job.inputPath, job.gate.dataPath) exist and are files, the log sink is not a directory, nothing is created under /proc or /sys, and an
 * InferenceJob's output is neither its input nor a directory. Throws ConfigError (exit 2).
 *
 * @example preflightConfig(config, { cwd: process.cwd(), env: process.env, originOf: () => 'app.yaml' });
 */
export function preflightConfig(config: AppConfig, options: PreflightOptions): void {
  const { cwd, env, originOf } = options;
  const fail = (keyPath: string[], problem: string, fix: string, source?: string): never => {
    const file = source ?? originOf(keyPath);
    const key = keyPath.join('.');
    throw new ConfigError(`${file}: ${key}: ${problem}.${fix ? ` ${fix}` : ''}`, ErrorCodes.CONFIG_BAD_PATH, { details: { file, keyPath: key } });
  };
  const refuseVirtual = (keyPath: string[], target: string, source?: string): void => {
    const problem = writablePathProblem(target, cwd);
    if (problem) fail(keyPath, `${JSON.stringify(target)} ${problem}`, 'Choose a directory on a real disk.', source);
  };

  const { logging, tracking, job } = config;
  if (logging.sink !== 'stderr' && logging.sink !== 'stdout') {
    refuseVirtual(['logging', 'sink'], logging.sink);
    if (statOrUndefined(path.resolve(cwd, logging.sink))?.isDirectory()) {
      fail(['logging', 'sink'], `${JSON.stringify(logging.sink)} is a directory`, 'Name a file inside it, e.g. logging.sink: logs/mlops-kit.log, or use stderr.');
    }
  }

  const uris: Array<[keyPath: string[], value: string | undefined, envName: string]> = [
    [['tracking', 'uri'], tracking.uri, 'MLFLOW_TRACKING_URI'],
    [['tracking', 'registryUri'], tracking.registryUri, 'MLFLOW_REGISTRY_URI'],
  ];
  for (const [keyPath, fromConfig, envName] of uris) {
    const value = fromConfig ?? env[envName];
    if (value === undefined || value.trim() === '') continue;
    const source = fromConfig === undefined ? `${envName} (environment)` : undefined;
    checkUri(keyPath, value, source);
  }
  refuseVirtual(['tracking', 'spillDir'], tracking.spillDir);
  // the config's own experimentName was validated by the schema; the environment's fallback is checked here
  const envExperiment = env.MLFLOW_EXPERIMENT_NAME;
  if (tracking.experimentName === undefined && envExperiment !== undefined && envExperiment !== '') {
    try {
      assertValidExperimentName(envExperiment);
    } catch (error) {
      fail(['tracking', 'experimentName'], error instanceof Error ? error.message.replace(/\.$/, '') : String(error), 'Shorten MLFLOW_EXPERIMENT_NAME or set tracking.experimentName.', 'MLFLOW_EXPERIMENT_NAME (environment)');
    }
  }

  function checkUri(keyPath: string[], value: string, source: string | undefined): void {
    let backend;
    try {
      backend = selectTrackingBackend(value, cwd, keyPath.join('.'));
    } catch (error) {
      const message = error instanceof Error ? error.message.replace(/^[\w.]+: /, '') : String(error);
      return fail(keyPath, message.replace(/\.$/, ''), '', source);
    }
    if (backend.kind === 'local') refuseVirtual(keyPath, backend.root, source);
    if (backend.kind !== 'mlflow') return;
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      return fail(keyPath, `${JSON.stringify(maskUri(value))} is not a valid URL`, 'Check the brackets of an IPv6 host ([::1]) and that the port is 1-65535, e.g. http://127.0.0.1:5000.', source);
    }
    if (url.hostname === '') fail(keyPath, `${JSON.stringify(maskUri(value))} has no host`, 'Write http(s)://<host>[:port].', source);
  }

  // the built-in kinds' file fields (validated strings by now); an app's own kinds check their own files
  if (job?.KIND === 'TrainingJob' && typeof job.dataPath === 'string') checkInputFile(['job', 'dataPath'], job.dataPath);
  const gate = job?.KIND === 'PromotionJob' ? (job.gate as { dataPath?: unknown } | undefined) : undefined;
  if (typeof gate?.dataPath === 'string') checkInputFile(['job', 'gate', 'dataPath'], gate.dataPath);
  if (job?.KIND === 'InferenceJob' && typeof job.inputPath === 'string' && typeof job.outputPath === 'string') {
    const input = checkInputFile(['job', 'inputPath'], job.inputPath);
    const outputKey = ['job', 'outputPath'];
    refuseVirtual(outputKey, job.outputPath);
    const output = realPathOf(job.outputPath, cwd);
    if (statOrUndefined(output)?.isDirectory()) {
      fail(outputKey, `${JSON.stringify(job.outputPath)} is a directory`, 'Name the predictions file, e.g. out/predictions.csv.');
    }
    if (output === input) {
      fail(outputKey, `${JSON.stringify(job.outputPath)} is the input file (job.inputPath)`, 'Write the predictions to another file; the input would be overwritten.');
    }
  }

  /** The real path of an input file that must exist and be a regular file. */
  function checkInputFile(keyPath: string[], target: string): string {
    const real = realPathOf(target, cwd);
    const stat = statOrUndefined(real);
    if (stat === undefined) fail(keyPath, `file ${JSON.stringify(target)} not found (looked in ${path.resolve(cwd, target)})`, 'Check the path; relative paths start at the working directory.');
    else if (!stat.isFile()) fail(keyPath, `${JSON.stringify(target)} is not a file`, 'Point it at a CSV file.');
    return real;
  }
}
