export { createArtifactStore, type ArtifactStore, type ArtifactStoreDeps } from './artifact-store';
export { FileArtifactStore } from './file-artifact-store';
export { ProxyArtifactStore, type ProxyArtifactStoreOptions } from './proxy-artifact-store';
export { S3ArtifactStore } from './s3-artifact-store';
export { DEFAULT_S3_REGION, type S3Settings } from './s3-settings';
export { normalizeArtifactPath } from './artifact-paths';
