import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { dumpMeta } from '../../../src/infrastructure/tracking/local/meta-yaml';

/**
 * Writes the experiment and run meta.yaml files a logged-model test needs, by hand in MLflow's layout,
 * so these tests pin their ids and do not depend on how the tracker creates runs.
 */
export async function writeExperiment(root: string, experimentId: string, name: string): Promise<void> {
  const dir = path.join(root, experimentId);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(
    path.join(dir, 'meta.yaml'),
    dumpMeta({
      artifact_location: pathToFileURL(dir).href, creation_time: 1_700_000_000_000, experiment_id: experimentId,
      last_update_time: 1_700_000_000_000, lifecycle_stage: 'active', name,
    }),
  );
}

export async function writeRun(root: string, experimentId: string, runId: string, lifecycleStage: 'active' | 'deleted' = 'active'): Promise<void> {
  const dir = path.join(root, experimentId, runId);
  for (const folder of ['metrics', 'params', 'artifacts', 'tags']) await fs.mkdir(path.join(dir, folder), { recursive: true });
  await fs.writeFile(
    path.join(dir, 'meta.yaml'),
    dumpMeta({
      artifact_uri: pathToFileURL(path.join(dir, 'artifacts')).href, end_time: null, entry_point_name: '', experiment_id: experimentId,
      lifecycle_stage: lifecycleStage, run_id: runId, run_name: runId.slice(0, 6), run_uuid: runId, source_name: '', source_type: 4,
      source_version: '', start_time: 1_700_000_000_000, status: 1, tags: [], user_id: 'ana', deleted_time: null,
    }),
  );
}
