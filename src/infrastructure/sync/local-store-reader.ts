import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../domain/errors';
import { MlflowTags, type Metric } from '../../domain/model/run';
import { listLocalFiles } from '../tracking/shared/local-files';
import { META, listValueFiles, readValue, resolveStoreRoot } from '../tracking/local/local-layout';
import { parseMetricLines } from '../tracking/local/metric-lines';
import { checkKey, isDirectory, listDirs, readMetaIfPresent, readValueFolder } from './store-files';
import { parseExperimentMeta, parseRunMeta } from './store-metadata';
import { readModels } from './store-models-reader';
import type { StoreIndex, StoredExperiment, StoredRun, StoredRunData } from './store-types';

/** Directories inside an experiment that are not runs (newer MLflow versions add the last three). */
const NOT_RUNS = new Set(['tags', 'datasets', 'traces', 'models']);

/**
 * Reads a local store (MLflow's file-store layout; the spill store has the same one) straight from the
 * files, independently of LocalTracker, validating as it goes: a malformed meta.yaml, metric line,
 * alias or key is a StoreCorruptError naming the file. Deleted experiments and runs, and directories
 * without meta.yaml (a run still being created, or one whose creation died), are listed in
 * `index.warnings` and left out.
 *
 * @example
 * const reader = new LocalStoreReader('./mlruns');
 * const index = await reader.open();               // metadata of everything, validated
 * for (const run of index.runs) {
 *   const { params, metrics, artifacts } = await reader.readRun(run);   // one run's bulk at a time
 * }
 */
export class LocalStoreReader {
  /** Absolute store root. */
  readonly root: string;

  constructor(store: string) {
    this.root = resolveStoreRoot(store);
  }

  async open(): Promise<StoreIndex> {
    await this.checkRoot();
    const warnings: string[] = [];
    const experiments: StoredExperiment[] = [];
    const runs: StoredRun[] = [];
    for (const name of await listDirs(this.root)) {
      if (name === 'models') continue;
      const dir = path.join(this.root, name);
      const file = path.join(dir, META);
      const meta = await readMetaIfPresent(file);
      if (!meta) {
        warnings.push(`${dir}: no ${META}, not an experiment (or one still being created); left out`);
        continue;
      }
      const parsed = parseExperimentMeta(meta, name, file);
      if (parsed.deleted) {
        warnings.push(`experiment ${name} "${parsed.name}" is deleted in the store; left out`);
        continue;
      }
      const experiment: StoredExperiment = { ...parsed, tags: await readValueFolder(path.join(dir, 'tags'), 'tag'), dir };
      experiments.push(experiment);
      runs.push(...(await this.readRuns(experiment, warnings)));
    }
    const hasModels = await isDirectory(path.join(this.root, 'models'));
    const models = hasModels ? await readModels(path.join(this.root, 'models'), warnings) : [];
    if (experiments.length === 0 && !hasModels && (await fs.readdir(this.root)).length > 0) {
      throw new UsageError(
        `${this.root} does not look like a local MLflow store: it holds no <experiment_id>/${META} and no models/ directory. ` +
          'Pass the store directory itself (e.g. ./mlruns, or the spill directory ./mlruns-spill).',
        { details: { path: this.root } },
      );
    }
    return { root: this.root, experiments, runs: parentsFirst(runs), models, warnings };
  }

  /** Params, full metric histories and the artifact list of one run. */
  async readRun(run: StoredRun): Promise<StoredRunData> {
    const params = await readValueFolder(path.join(run.dir, 'params'), 'param');
    const metrics = new Map<string, Metric[]>();
    const metricsDir = path.join(run.dir, 'metrics');
    for (const key of await listValueFiles(metricsDir)) {
      const file = path.join(metricsDir, ...key.split('/'));
      checkKey('metric', key, file);
      metrics.set(key, parseMetricLines((await readValue(file)) ?? '', key, file));
    }
    const artifacts = run.artifactsDir ? await listLocalFiles(run.artifactsDir) : [];
    return { params, metrics, artifacts };
  }

  private async checkRoot(): Promise<void> {
    let stats;
    try {
      stats = await fs.stat(this.root);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const missing = code === 'ENOENT' || code === 'ENOTDIR';
      throw new UsageError(
        missing
          ? `Local store ${this.root} does not exist. Pass the directory of an MLflow file store (e.g. ./mlruns, or the spill directory ./mlruns-spill).`
          : `Local store ${this.root} cannot be read (${code ?? String(error)}). Check its permissions.`,
        { details: { path: this.root }, cause: error },
      );
    }
    if (!stats.isDirectory()) {
      throw new UsageError(`Local store ${this.root} is a file, not a directory. Pass the store directory (e.g. ./mlruns).`, { details: { path: this.root } });
    }
  }

  private async readRuns(experiment: StoredExperiment, warnings: string[]): Promise<StoredRun[]> {
    const runs: StoredRun[] = [];
    for (const runId of await listDirs(experiment.dir)) {
      if (NOT_RUNS.has(runId)) continue;
      const dir = path.join(experiment.dir, runId);
      const file = path.join(dir, META);
      const meta = await readMetaIfPresent(file);
      if (!meta) {
        warnings.push(`${dir}: no ${META} (a run whose creation did not finish); left out`);
        continue;
      }
      const parsed = parseRunMeta(meta, runId, file);
      if (parsed.deleted) {
        warnings.push(`run ${runId} in experiment "${experiment.name}" is deleted in the store; left out`);
        continue;
      }
      const { deleted: _deleted, ...info } = parsed;
      const artifactsDir = await findArtifactsDir(dir, info.artifactUri);
      if (!artifactsDir && info.artifactUri && !/^file:/i.test(info.artifactUri) && /^[a-z][a-z0-9+.-]+:/i.test(info.artifactUri)) {
        warnings.push(`run ${runId}: its artifacts live at ${info.artifactUri}, not in the store, and are not copied`);
      }
      const tags = await readValueFolder(path.join(dir, 'tags'), 'tag');
      runs.push({ ...info, runId, experimentId: experiment.experimentId, experimentName: experiment.name, tags, dir, artifactsDir });
    }
    return runs;
  }
}

/** `<run>/artifacts` when present (it survives moving the store); else meta.yaml's artifact_uri if local and present. */
async function findArtifactsDir(runDir: string, artifactUri: string): Promise<string | undefined> {
  const inStore = path.join(runDir, 'artifacts');
  if (await isDirectory(inStore)) return inStore;
  if (artifactUri === '' || (!/^file:/i.test(artifactUri) && /^[a-z][a-z0-9+.-]+:/i.test(artifactUri))) return undefined;
  const local = resolveStoreRoot(artifactUri);
  return (await isDirectory(local)) ? local : undefined;
}

/** Nested runs after their parent (so the parent's new id is known), otherwise by start time. */
function parentsFirst(runs: StoredRun[]): StoredRun[] {
  const byId = new Map(runs.map((run) => [run.runId, run]));
  const sorted = [...runs].sort((a, b) => a.startTime - b.startTime || (a.runId < b.runId ? -1 : 1));
  const out: StoredRun[] = [];
  const placed = new Set<string>();
  const place = (run: StoredRun, visiting: Set<string>): void => {
    if (placed.has(run.runId) || visiting.has(run.runId)) return; // a parent cycle is broken where it closes
    visiting.add(run.runId);
    const parent = byId.get(run.tags[MlflowTags.PARENT_RUN_ID] ?? '');
    if (parent) place(parent, visiting);
    placed.add(run.runId);
    out.push(run);
  };
  for (const run of sorted) place(run, new Set());
  return out;
}
