import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, NotFoundError } from '../../../domain/errors';
import { keyConflictError } from '../../../domain/model/naming-rules';
import type { Metric, Run, RunInfo, RunStatus } from '../../../domain/model/run';
import { assertParamUnchanged, isLaterMetric } from '../shared/run-values';
import { appendText, createFileOnce, ensureDir, replaceFile, settleAppends } from './atomic-write';
import { BufferedWrites } from './buffered-writes';
import { KeyedQueue } from './keyed-queue';
import { NOT_EXPERIMENTS, STATUS_CODES, type StoreLayout, listValueFiles, readValue, statusFromCode, type RunFolder } from './local-layout';
import { corrupt, dumpMeta, field, optionalField, readMetaFile, type MetaRecord } from './meta-yaml';
import { formatMetricLines, parseMetricLines } from './metric-lines';

/**
 * Runs in the local store: `<exp>/<run>/meta.yaml` (the same keys MLflow writes, status as an integer),
 * `metrics/<key>` (appended lines), `params/<key>` (write-once, created with link so one writer wins),
 * `tags/<key>` (replaced atomically). Reads go to disk every time, so another process's writes are seen.
 *
 * @example const run = await new LocalRuns(layout).read(runId);
 */
export class LocalRuns {
  /** run id → experiment id; runs never move, so a hit stays valid. */
  private readonly locations = new Map<string, string>();
  private readonly metaQueue = new KeyedQueue();

  constructor(private readonly layout: StoreLayout) {}

  /**
   * Atomic: the run is built in a hidden staging directory (`<exp>/.<run>.creating`, skipped by every
   * reader) and renamed into place whole, so a process killed mid-create never leaves a run with tags
   * and no meta.yaml.
   */
  async create(info: RunInfo, tags: Map<string, string>): Promise<void> {
    const dir = this.layout.runDir(info.experimentId, info.runId);
    const staging = path.join(path.dirname(dir), `.${path.basename(dir)}.creating`);
    try {
      await fs.mkdir(staging);
      for (const folder of ['metrics', 'params', 'artifacts', 'tags']) await ensureDir(path.join(staging, folder));
      for (const [key, value] of tags) {
        const file = path.join(staging, 'tags', ...key.split('/'));
        await ensureDir(path.dirname(file));
        await fs.writeFile(file, value);
      }
      await fs.writeFile(path.join(staging, path.basename(this.layout.runMeta(info.experimentId, info.runId))), dumpMeta({ ...persisted(info), deleted_time: null }));
      await fs.rename(staging, dir);
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
    this.locations.set(info.runId, info.experimentId);
  }

  /** Reads the run's info from meta.yaml; RUN_NOT_FOUND if no experiment holds it. */
  async info(runId: string): Promise<RunInfo> {
    const experimentId = await this.locate(runId);
    const file = this.layout.runMeta(experimentId, runId);
    return toRunInfo(await readMetaFile(file, ErrorCodes.RUN_NOT_FOUND, `run ${runId}`), runId, file);
  }

  /** Rewrites status/end time (and run name) in meta.yaml atomically; serialised per run in this process. */
  async update(runId: string, change: { status?: RunStatus; endTime?: number; runName?: string }): Promise<void> {
    await this.metaQueue.run(runId, async () => {
      const info = { ...(await this.info(runId)), ...definedOnly(change) };
      await replaceFile(this.layout.runMeta(info.experimentId, runId), dumpMeta(persisted(info)));
    });
  }

  private readonly knownDirs = new Set<string>();
  /** Metric files checked by prepare(): a key's first line always goes through it (the key-conflict check). */
  private readonly knownFiles = new Set<string>();
  /** Lines for a metric file whose run folder or directory is still being found/created, in call order. */
  private readonly preparing = new Map<string, { lines: string[]; done: Promise<void> }>();
  readonly bufferedWrites = new BufferedWrites();

  /**
   * Appends one metric line. The hot path (run folder and metric directory known) hands the line to
   * appendText without waiting for the disk (see BufferedWrites). Otherwise the line waits, with any
   * others for the same file, until the folder is found and the directory made; they are then appended
   * in one write in the same tick the directory becomes known, so a later call can never overtake them.
   */
  appendMetric(runId: string, metric: Metric): Promise<void> {
    const line = formatMetricLines([metric]);
    const experimentId = this.locations.get(runId);
    if (experimentId !== undefined) {
      const file = this.layout.runValueFile(experimentId, runId, 'metrics', metric.key);
      if (this.knownFiles.has(file)) return this.bufferedWrites.track(appendText(file, line));
    }
    const slot = `${runId}\0${metric.key}`;
    const waiting = this.preparing.get(slot);
    if (waiting) {
      waiting.lines.push(line);
      return this.bufferedWrites.track(waiting.done);
    }
    const group = { lines: [line], done: Promise.resolve() };
    this.preparing.set(slot, group);
    group.done = this.prepare(runId, metric.key).then(
      (file) => {
        this.preparing.delete(slot);
        return appendText(file, group.lines.join(''));
      },
      (error: unknown) => {
        this.preparing.delete(slot);
        throw error;
      },
    );
    return this.bufferedWrites.track(group.done);
  }

  /** Resolves when every metric line handed over so far is on disk (waiting ones included). */
  async settleWrites(): Promise<void> {
    await Promise.allSettled([...this.preparing.values()].map((group) => group.done));
    await settleAppends();
  }

  async appendMetrics(runId: string, metrics: Metric[]): Promise<void> {
    await Promise.all(metrics.map((metric) => this.appendMetric(runId, metric)));
  }

  /** Finds the run's folder and makes the metric's directory; returns the metric file. */
  private async prepare(runId: string, key: string): Promise<string> {
    const experimentId = await this.locate(runId);
    const file = this.layout.runValueFile(experimentId, runId, 'metrics', key);
    const dir = path.dirname(file);
    if (!this.knownDirs.has(dir)) await ensureDir(dir).catch(asKeyConflict('metric', key));
    this.knownDirs.add(dir);
    // "a/b" logged before "a": the file would be a directory
    if ((await fs.stat(file).catch(() => undefined))?.isDirectory()) throw keyConflictError('metric', key);
    this.knownFiles.add(file);
    return file;
  }

  async writeParams(runId: string, params: (readonly [string, string])[]): Promise<void> {
    const experimentId = await this.locate(runId);
    for (const [key, value] of params) {
      const file = this.layout.runValueFile(experimentId, runId, 'params', key);
      assertParamUnchanged(runId, key, await readValue(file).catch(asKeyConflict('param', key)), value);
    }
    for (const [key, value] of params) {
      const file = this.layout.runValueFile(experimentId, runId, 'params', key);
      await ensureDir(path.dirname(file)).catch(asKeyConflict('param', key));
      if (!(await createFileOnce(file, value, this.layout.runDir(experimentId, runId)).catch(asKeyConflict('param', key)))) {
        assertParamUnchanged(runId, key, await readValue(file), value); // another writer got there first
      }
    }
  }

  async writeTags(runId: string, tags: (readonly [string, string])[]): Promise<void> {
    const experimentId = await this.locate(runId);
    for (const [key, value] of tags) {
      const file = this.layout.runValueFile(experimentId, runId, 'tags', key);
      await ensureDir(path.dirname(file)).catch(asKeyConflict('tag', key));
      await replaceFile(file, value, this.layout.runDir(experimentId, runId)).catch(asKeyConflict('tag', key));
    }
  }

  async history(runId: string, key: string): Promise<Metric[]> {
    const experimentId = await this.locate(runId);
    const file = this.layout.runValueFile(experimentId, runId, 'metrics', key);
    const text = await readValue(file);
    return text === undefined ? [] : parseMetricLines(text, key, file);
  }

  async read(runId: string): Promise<Run> {
    const info = await this.info(runId);
    const metrics: Record<string, Metric> = {};
    for (const key of await this.keys(info, 'metrics')) {
      let latest: Metric | undefined;
      for (const metric of await this.history(runId, key)) if (isLaterMetric(metric, latest)) latest = metric;
      if (latest) metrics[key] = latest;
    }
    return { info, data: { metrics, params: await this.values(info, 'params'), tags: await this.values(info, 'tags') } };
  }

  /** Every complete run of an experiment (directories without meta.yaml are still being created). */
  async inExperiment(experimentId: string): Promise<Run[]> {
    const entries = await fs.readdir(this.layout.experimentDir(experimentId), { withFileTypes: true }).catch(() => []);
    const runs: Run[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || ['tags', 'datasets', 'traces', 'models'].includes(entry.name) || entry.name.startsWith('.')) continue;
      this.locations.set(entry.name, experimentId);
      try {
        runs.push(await this.read(entry.name));
      } catch (error) {
        if (error instanceof NotFoundError) continue;
        throw error;
      }
    }
    return runs;
  }

  /** Finds which experiment directory holds the run (cached). */
  async locate(runId: string): Promise<string> {
    const known = this.locations.get(runId);
    if (known !== undefined) return known;
    this.layout.runDir('0', runId); // validates the id as a path segment
    const entries = await fs.readdir(this.layout.root, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || NOT_EXPERIMENTS.has(entry.name)) continue;
      if (await fs.stat(this.layout.runDir(entry.name, runId)).then((s) => s.isDirectory(), () => false)) {
        this.locations.set(runId, entry.name);
        return entry.name;
      }
    }
    throw new NotFoundError(`Run ${JSON.stringify(runId)} not found in the local store ${this.layout.root}.`, ErrorCodes.RUN_NOT_FOUND, {
      details: { runId, root: this.layout.root },
    });
  }

  private async keys(info: RunInfo, folder: RunFolder): Promise<string[]> {
    return listValueFiles(path.join(this.layout.runDir(info.experimentId, info.runId), folder));
  }

  private async values(info: RunInfo, folder: RunFolder): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const key of await this.keys(info, folder)) {
      out[key] = (await readValue(this.layout.runValueFile(info.experimentId, info.runId, folder, key))) ?? '';
    }
    return out;
  }
}

/** The run meta.yaml MLflow's FileStore writes (`_make_persisted_run_info_dict`), keys sorted on dump. */
function persisted(info: RunInfo): MetaRecord {
  return {
    artifact_uri: info.artifactUri,
    end_time: info.endTime ?? null,
    entry_point_name: '',
    experiment_id: info.experimentId,
    lifecycle_stage: info.lifecycleStage,
    run_id: info.runId,
    run_name: info.runName,
    // MLflow 2.x's RunInfo requires run_uuid when it reads meta.yaml; it always equals run_id
    run_uuid: info.runId,
    source_name: '',
    source_type: 4,
    source_version: '',
    start_time: info.startTime,
    status: STATUS_CODES[info.status],
    tags: [],
    user_id: info.userId ?? 'unknown',
  };
}

function toRunInfo(meta: MetaRecord, runId: string, file: string): RunInfo {
  const status = statusFromCode(meta.status ?? STATUS_CODES.RUNNING);
  if (!status) throw corrupt(file, `status ${JSON.stringify(meta.status)} is not one of 1 (RUNNING) … 5 (KILLED)`);
  const stage = meta.lifecycle_stage ?? 'active';
  if (stage !== 'active' && stage !== 'deleted') throw corrupt(file, `lifecycle_stage is ${JSON.stringify(stage)}`);
  const recorded = optionalField(meta, 'run_id', 'string', file) ?? optionalField(meta, 'run_uuid', 'string', file);
  if (recorded !== undefined && recorded !== runId) throw corrupt(file, `it records run id ${recorded} but lives in the directory of run ${runId}`);
  return {
    runId,
    experimentId: field(meta, 'experiment_id', 'string', file),
    runName: optionalField(meta, 'run_name', 'string', file) ?? '',
    status,
    startTime: field(meta, 'start_time', 'number', file),
    endTime: optionalField(meta, 'end_time', 'number', file),
    artifactUri: field(meta, 'artifact_uri', 'string', file),
    lifecycleStage: stage,
    userId: optionalField(meta, 'user_id', 'string', file),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** File-system errors that mean "a and a/b": one key wants a file where the other needs a directory. */
const KEY_CONFLICT_CODES = new Set(['EEXIST', 'ENOTDIR', 'EISDIR']);

/** A catch handler turning those errors into the typed KEY_CONFLICT error; anything else passes through. */
function asKeyConflict(kind: 'metric' | 'param' | 'tag', key: string) {
  return (error: unknown): never => {
    if (KEY_CONFLICT_CODES.has((error as NodeJS.ErrnoException).code ?? '')) throw keyConflictError(kind, key);
    throw error;
  };
}
