import type { ArtifactInfo } from '../../../domain/model/artifact';

/**
 * Where one run's files live. Every store follows MLflow's artifact-repository semantics, so a run
 * looks the same whichever store wrote it:
 * - `upload(file, dir)` puts the file at `dir/<basename>`; `upload(directory, dir)` copies the directory's
 *   CONTENTS (recursively) under `dir` (MLflow's `log_artifacts`). `dir` defaults to the artifact root.
 * - `list(dir)` returns the direct children of `dir`, paths relative to the artifact root, sorted; a
 *   missing directory lists as `[]`.
 * - `download(path, destDir)` writes to `destDir/<path>` (the relative path is kept, as MLflow does) and
 *   returns that local path; `path` may be a file or a directory ('' = everything).
 *
 * @example
 * const store = createArtifactStore(run.info.artifactUri, { trackingUri: 'http://mlflow:5000', http });
 * await store.upload('./out/model', 'model');
 * const files = await store.list('model');
 */
export interface ArtifactStore {
  upload(localPath: string, artifactPath?: string): Promise<void>;
  list(path?: string): Promise<ArtifactInfo[]>;
  download(path: string, destDir: string): Promise<string>;
}
