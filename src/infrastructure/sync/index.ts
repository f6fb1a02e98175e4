/** Replaying a local store (MLflow's file-store layout, also the spill store's) into a tracking server. */
export { LocalStoreReader } from './local-store-reader';
export { StoreReplayer, type StoreReplayerOptions } from './store-replayer';
export { ModelReplayer } from './model-replayer';
export { MirrorReplayer, mirroredRunId } from './mirror-replayer';
export { SyncRecorder, emptySummary, formatSummary, type SyncReport, type SyncSummary } from './sync-report';
export { TtyProgress, progressFor, silentProgress, type ProgressStream, type SyncProgress, type SyncProgressState } from './sync-progress';
export { SyncTags, isSyncTag, mirrorMarker, originFilter } from './sync-tags';
export { undelivered } from './metric-delta';
export { planVersionSource, pathInsideRun, type SourcePlan, type TargetRun } from './version-source';
export type { StoreIndex, StoredExperiment, StoredModel, StoredRun, StoredRunData, StoredVersion } from './store-types';
export { SyncLock, SYNC_LOCK_FILE, type SyncLockHolder } from './sync-lock';
