import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, NotFoundError, StoreCorruptError } from '../../../domain/errors';
import type { Experiment } from '../../../domain/model/experiment';
import { createFileOnce, ensureDir, replaceFile } from './atomic-write';
import { withFileLock } from './file-lock';
import { DEFAULT_EXPERIMENT_ID, NOT_EXPERIMENTS, type StoreLayout, listValueFiles, newExperimentId, readValue } from './local-layout';
import { corrupt, dumpMeta, field, optionalField, readMetaFile } from './meta-yaml';

/**
 * Experiments in the local store: `<root>/<id>/meta.yaml` plus `tags/`. Ids are 18 random digits like
 * MLflow's file store makes, "0" is "Default". `getOrCreate` holds a lock file in the root (a file, which
 * MLflow's store ignores: it only lists directories) so two processes cannot create one name twice.
 *
 * @example const id = await new LocalExperiments(layout, Date.now).getOrCreate('churn');
 */
export class LocalExperiments {
  constructor(private readonly layout: StoreLayout, private readonly clock: () => number) {}

  /** Creates the root, `.trash` and experiment "0" ("Default") if missing, as MLflow does on first use. */
  async ensureStore(): Promise<void> {
    const stat = await fs.stat(this.layout.root).catch(() => undefined);
    if (stat && !stat.isDirectory()) {
      throw new StoreCorruptError(`The local MLflow store root ${this.layout.root} is not a directory. Point tracking.uri at a directory.`, {
        details: { file: this.layout.root },
      });
    }
    await ensureDir(this.layout.trash);
    const dir = this.layout.experimentDir(DEFAULT_EXPERIMENT_ID);
    await ensureDir(dir);
    await createFileOnce(this.layout.experimentMeta(DEFAULT_EXPERIMENT_ID), this.metaText(DEFAULT_EXPERIMENT_ID, 'Default'));
  }

  async get(experimentId: string): Promise<Experiment> {
    const dir = this.layout.experimentDir(experimentId);
    if (!(await isDirectory(dir))) throw notFound(experimentId, this.layout.root);
    return this.read(experimentId);
  }

  async exists(experimentId: string): Promise<boolean> {
    return isDirectory(this.layout.experimentDir(experimentId));
  }

  /** Every readable experiment; directories still being created (no meta.yaml yet) are skipped. */
  async list(): Promise<Experiment[]> {
    const entries = await fs.readdir(this.layout.root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const experiments: Experiment[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || NOT_EXPERIMENTS.has(entry.name)) continue;
      try {
        experiments.push(await this.read(entry.name));
      } catch (error) {
        if (error instanceof NotFoundError) continue;
        throw error;
      }
    }
    return experiments;
  }

  async byName(name: string): Promise<Experiment | undefined> {
    return (await this.list()).find((e) => e.name === name && e.lifecycleStage === 'active');
  }

  async getOrCreate(name: string, tags: Record<string, string> = {}): Promise<string> {
    // name and tags were checked by the client
    const checked = Object.entries(tags);
    const existing = await this.byName(name);
    if (existing) return existing.experimentId;
    const lock = path.join(this.layout.root, `.experiment-${createHash('sha256').update(name).digest('hex').slice(0, 16)}.lock`);
    return withFileLock(lock, async () => {
      const created = await this.byName(name);
      if (created) return created.experimentId;
      const id = await this.allocateId();
      for (const [key, value] of checked) {
        const file = path.join(this.layout.experimentDir(id), 'tags', ...key.split('/'));
        await ensureDir(path.dirname(file));
        await replaceFile(file, value, this.layout.experimentDir(id));
      }
      // meta.yaml last: until it exists, readers skip the directory, so nobody sees a half-made experiment
      await replaceFile(this.layout.experimentMeta(id), this.metaText(id, name));
      return id;
    });
  }

  private async allocateId(): Promise<string> {
    for (;;) {
      const id = newExperimentId();
      try {
        await fs.mkdir(this.layout.experimentDir(id));
        return id;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }

  private metaText(experimentId: string, name: string): string {
    const now = this.clock();
    return dumpMeta({
      artifact_location: this.layout.experimentArtifactLocation(experimentId),
      creation_time: now,
      experiment_id: experimentId,
      last_update_time: now,
      lifecycle_stage: 'active',
      name,
    });
  }

  private async read(experimentId: string): Promise<Experiment> {
    const file = this.layout.experimentMeta(experimentId);
    const meta = await readMetaFile(file, ErrorCodes.EXPERIMENT_NOT_FOUND, `experiment ${experimentId}`);
    const stage = meta.lifecycle_stage ?? 'active';
    if (stage !== 'active' && stage !== 'deleted') throw corrupt(file, `lifecycle_stage is ${JSON.stringify(stage)}`);
    const tagsDir = path.join(this.layout.experimentDir(experimentId), 'tags');
    const tags: Record<string, string> = {};
    for (const key of await listValueFiles(tagsDir)) tags[key] = (await readValue(path.join(tagsDir, ...key.split('/')))) ?? '';
    return {
      experimentId,
      name: field(meta, 'name', 'string', file),
      artifactLocation: field(meta, 'artifact_location', 'string', file),
      lifecycleStage: stage,
      tags,
      creationTime: optionalField(meta, 'creation_time', 'number', file),
      lastUpdateTime: optionalField(meta, 'last_update_time', 'number', file),
    };
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await fs.stat(dir).catch(() => undefined))?.isDirectory() ?? false;
}

function notFound(experimentId: string, root: string): NotFoundError {
  return new NotFoundError(
    `Experiment with id ${JSON.stringify(experimentId)} not found in the local store ${root}.`,
    ErrorCodes.EXPERIMENT_NOT_FOUND,
    { details: { experimentId, root } },
  );
}

