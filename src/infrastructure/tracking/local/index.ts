export { LocalTracker, type LocalTrackerOptions } from './local-tracker';
export { LocalModelRegistry, type LocalModelRegistryOptions } from './local-registry';
export { StoreLayout } from './local-layout';
