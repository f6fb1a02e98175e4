import type { AxiosInstance } from 'axios';
import { ConfigError, ErrorCodes } from '../../../domain/errors';
import type { ArtifactStore } from '../shared/artifact-store';
import { FileArtifactStore } from '../shared/file-artifact-store';
import { ProxyArtifactStore } from './proxy-artifact-store';
import { S3ArtifactStore } from './s3-artifact-store';
import type { S3Settings } from './s3-settings';

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
