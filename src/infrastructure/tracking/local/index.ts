export { LocalTracker, type LocalTrackerOptions } from './local-tracker';
export { LocalModelRegistry, type LocalModelRegistryOptions } from './local-registry';
export { LocalTrackingStore } from './local-tracking-store';
export { LocalRegistryStore } from './local-registry-store';
export { StoreLayout } from './local-layout';
