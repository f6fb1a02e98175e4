export { InMemoryTracker, type InMemoryTrackerOptions } from './in-memory-tracker';
export { InMemoryModelRegistry, type InMemoryModelRegistryOptions } from './in-memory-registry';
