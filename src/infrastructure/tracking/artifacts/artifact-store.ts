import type { AxiosInstance } from 'axios';
import { ConfigError, ErrorCodes } from '../../../domain/errors';
import type { ArtifactInfo } from '../../../domain/model/artifact';
import { FileArtifactStore } from './file-artifact-store';
import { ProxyArtifactStore } from './proxy-artifact-store';
import { S3ArtifactStore } from './s3-artifact-store';
import type { S3Settings } from './s3-settings';

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

export interface ArtifactStoreDeps {
  trackingUri: string;
  /** Authenticated, retrying client; baseURL = tracking URI. Without it a plain axios client is used. */
  http?: AxiosInstance;
  s3?: S3Settings;
  /** Secret values (password, token) to scrub from error messages the proxy's server may echo. */
  secrets?: readonly string[];
}

/**
 * Picks the store for a run's `artifact_uri`: `file:` or a plain path → local copy, `mlflow-artifacts:` →
 * the tracking server's artifact proxy, `s3://` → S3 (or an S3-compatible server) written directly.
 */
export function createArtifactStore(artifactUri: string, deps: ArtifactStoreDeps): ArtifactStore {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(artifactUri)?.[1]?.toLowerCase();
  // no scheme, or a Windows drive letter: a local path
  if (scheme === undefined || scheme === 'file' || /^[a-z]:[\\/]/i.test(artifactUri)) return new FileArtifactStore(artifactUri);
  if (scheme === 'mlflow-artifacts') return new ProxyArtifactStore(artifactUri, deps.trackingUri, deps.http, { secrets: deps.secrets });
  if (scheme === 's3') return new S3ArtifactStore(artifactUri, deps.s3);
  throw new ConfigError(
    `Artifact URI ${JSON.stringify(artifactUri)} uses the unsupported scheme "${scheme}:". mlops-kit writes artifacts to ` +
      'file: paths, to an MLflow server started with --serve-artifacts (mlflow-artifacts:), or to s3://. ' +
      'Create the experiment with an artifact location of one of those kinds.',
    ErrorCodes.ADAPTER_NOT_AVAILABLE,
    { details: { artifactUri, scheme } },
  );
}
