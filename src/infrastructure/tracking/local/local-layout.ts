import { randomInt } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ErrorCodes, ValidationError } from '../../../domain/errors';
import type { RunStatus } from '../../../domain/model/run';

/**
 * Where everything lives in MLflow's file store (see docs/mlflow-rest.md, "The local store"):
 *
 *   <root>/<exp_id>/meta.yaml, tags/<key>
 *   <root>/<exp_id>/<run_id>/meta.yaml, metrics/<key>, params/<key>, tags/<key>, artifacts/
 *   <root>/models/<name>/meta.yaml, tags/<key>, aliases/<alias>, version-<N>/meta.yaml, version-<N>/tags/<key>
 *   <root>/.trash/                 (deleted experiments; created like MLflow does, never written here)
 *
 * Keys containing `/` are nested directories.
 *
 * @example new StoreLayout('file:///tmp/mlruns').runValueFile('0', runId, 'metrics', 'eval/loss') // …/0/<run>/metrics/eval/loss
 */
export class StoreLayout {
  /** Absolute store root. */
  readonly root: string;

  constructor(rootPathOrUri: string = DEFAULT_ROOT) {
    this.root = resolveStoreRoot(rootPathOrUri);
  }

  get trash(): string {
    return path.join(this.root, '.trash');
  }

  experimentDir(experimentId: string): string {
    return path.join(this.root, safeSegment(experimentId, 'experiment id'));
  }

  experimentMeta(experimentId: string): string {
    return path.join(this.experimentDir(experimentId), META);
  }

  /** `file:///abs/root/<id>`, percent-encoded as Python's `Path.as_uri()` does. */
  experimentArtifactLocation(experimentId: string): string {
    return pathToFileURL(this.experimentDir(experimentId)).href;
  }

  runDir(experimentId: string, runId: string): string {
    return path.join(this.experimentDir(experimentId), safeSegment(runId, 'run id'));
  }

  runMeta(experimentId: string, runId: string): string {
    return path.join(this.runDir(experimentId, runId), META);
  }

  /** `<run>/<folder>/<key>` with `/` in the key as nested directories. */
  runValueFile(experimentId: string, runId: string, folder: RunFolder, key: string): string {
    return path.join(this.runDir(experimentId, runId), folder, ...key.split('/'));
  }

  get modelsDir(): string {
    return path.join(this.root, 'models');
  }

  modelDir(name: string): string {
    return path.join(this.modelsDir, name);
  }

  versionDir(name: string, version: number): string {
    return path.join(this.modelDir(name), `version-${version}`);
  }

  aliasFile(name: string, alias: string): string {
    return path.join(this.modelDir(name), 'aliases', alias);
  }
}

export type RunFolder = 'metrics' | 'params' | 'tags';

export const META = 'meta.yaml';
export const DEFAULT_ROOT = './mlruns';
export const DEFAULT_EXPERIMENT_ID = '0';
/** Root entries that are not experiments (MLflow skips `.trash` and `models`; dot-entries are ours or hidden). */
export const NOT_EXPERIMENTS = new Set(['.trash', 'models']);

/** Accepts a path or a `file:` URI (`file:///abs`, `file:relative`), as MLflow does; default ./mlruns. */
export function resolveStoreRoot(rootPathOrUri: string): string {
  const value = rootPathOrUri.trim() || DEFAULT_ROOT;
  if (value.startsWith('file://')) return path.resolve(fileURLToPath(value));
  if (value.startsWith('file:')) return path.resolve(value.slice('file:'.length));
  return path.resolve(value);
}

/** RunStatus ⇄ the integers meta.yaml stores (RUNNING=1 … KILLED=5). */
export const STATUS_CODES: Record<RunStatus, number> = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 };
export function statusFromCode(code: unknown): RunStatus | undefined {
  return (Object.keys(STATUS_CODES) as RunStatus[]).find((s) => STATUS_CODES[s] === code);
}

/** A new experiment id as MLflow's file store makes them: 18 random digits, no leading zero. */
export function newExperimentId(): string {
  let id = String(randomInt(1, 10));
  for (let i = 1; i < 18; i++) id += String(randomInt(0, 10));
  return id;
}

/**
 * Reads every value under a `params/`, `tags/` or `metrics/`-style folder, keyed by its `/`-joined relative
 * path (MLflow's `os.walk`). Temp files of in-flight writes (dot-prefixed, `.tmp`) are skipped; a missing
 * folder is empty.
 */
export async function listValueFiles(dir: string): Promise<string[]> {
  const keys: string[] = [];
  const walk = async (absolute: string, relative: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(absolute, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const key = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(absolute, entry.name), key);
      else if (entry.isFile() && !isTempFile(entry.name)) keys.push(key);
    }
  };
  await walk(dir, '');
  return keys.sort();
}

export function isTempFile(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/** Reads a raw value file (params, tags, aliases); undefined when it does not exist. */
export async function readValue(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Path segments that come from callers must not climb out of the store. */
function safeSegment(value: string, what: string): string {
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..' || /[\\/\0]/.test(value)) {
    throw new ValidationError(`Invalid ${what} ${JSON.stringify(value)} for the local store.`, ErrorCodes.VALIDATION, {
      details: { [what]: value },
    });
  }
  return value;
}
