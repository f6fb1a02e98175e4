export { createContainer, createTestContainer, type ContainerOverrides, type CreateContainerOptions } from './create-container';
export { createRuntime } from './create-runtime';
export type { MlopsContainer, JobsOf } from './mlops-container';
export { PROFILES, isProfile, type Profile } from './profiles';
export { selectTrackingBackend, type TrackingBackend } from './tracking-backend';
