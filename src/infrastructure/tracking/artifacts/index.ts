/** Artifact stores for remote runs (the MLflow server's proxy, S3) and the factory that picks one by a run's artifact URI. */
export { createArtifactStore, type ArtifactStoreDeps } from './create-artifact-store';
export type { ArtifactStore } from '../shared/artifact-store';
export { FileArtifactStore } from '../shared/file-artifact-store';
export { ProxyArtifactStore, type ProxyArtifactStoreOptions } from './proxy-artifact-store';
export { S3ArtifactStore } from './s3-artifact-store';
export { DEFAULT_S3_REGION, type S3Settings } from './s3-settings';
export { normalizeArtifactPath } from '../shared/artifact-paths';
