import { resolve } from 'node:path';
import { MlflowTags } from '../../../domain/model/run';
import { readGitInfo, stripCredentials, type GitInfo } from './git-info';

/**
 * MLflow's `SourceType` names (mlflow/entities/source_type.py), the value of `mlflow.source.type`.
 * A plain process is `LOCAL`, as MLflow's default run context says.
 *
 * @example const type: RunSourceType = process.env.CI ? 'JOB' : 'LOCAL';
 */
export type RunSourceType = 'NOTEBOOK' | 'JOB' | 'PROJECT' | 'LOCAL' | 'RECIPE' | 'UNKNOWN';

/**
 * What a run was started from: `sourceName` is what MLflow shows as the source (the job's config file,
 * or the app's entry), `cwd` where to look for a git work tree.
 *
 * @example const options: RunSourceOptions = { cwd: process.cwd(), sourceName: 'conf/training.yaml' };
 */
export interface RunSourceOptions {
  cwd: string;
  sourceName: string;
  /** Default `LOCAL`. */
  sourceType?: RunSourceType;
}

const gitByDir = new Map<string, Promise<GitInfo | undefined>>();

/**
 * The `mlflow.source.*` tags for a run: name and type always, and `mlflow.source.git.commit`, `.branch`
 * and `.repoURL` when `cwd` is inside a git work tree (read from the repository files; see
 * {@link readGitInfo}). The git state is read once per process for each directory and reused: a
 * long-lived service runs thousands of jobs from one checkout, and the checkout does not change under it.
 * No value carries a credential: URLs lose their user and password.
 *
 * @example
 * const tags = await detectRunSource({ cwd: process.cwd(), sourceName: 'conf/training.yaml' });
 * // { 'mlflow.source.name': 'conf/training.yaml', 'mlflow.source.type': 'LOCAL', 'mlflow.source.git.commit': '9fceb02…', … }
 */
export async function detectRunSource(options: RunSourceOptions): Promise<Record<string, string>> {
  const tags: Record<string, string> = {
    [MlflowTags.SOURCE_NAME]: stripCredentials(options.sourceName),
    [MlflowTags.SOURCE_TYPE]: options.sourceType ?? 'LOCAL',
  };
  const dir = resolve(options.cwd);
  let git = gitByDir.get(dir);
  if (!git) {
    git = readGitInfo(dir);
    gitByDir.set(dir, git);
  }
  const info = await git;
  if (info) {
    tags[MlflowTags.GIT_COMMIT] = info.commit;
    if (info.branch) tags[MlflowTags.GIT_BRANCH] = info.branch;
    if (info.repoUrl) tags[MlflowTags.GIT_REPO_URL] = info.repoUrl;
  }
  return tags;
}
