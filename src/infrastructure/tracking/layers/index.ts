/** TrackingStore decorators: batching (the spill layer lives in ../spill). */
export { BatchingStore, type Batcher, type BatcherFactory } from './batching-store';
