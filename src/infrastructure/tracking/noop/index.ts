export { NoOpTracker } from './noop-tracker';
export { NoOpModelRegistry } from './noop-registry';
