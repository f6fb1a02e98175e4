/** TrackingStore decorators: batching (the spill layer lives in ../spill). */
export { BatchingStore, type BatchingStoreOptions } from './batching-store';
