export { createContainer, createTestContainer, resolveJob, type ContainerOverrides, type CreateContainerOptions } from './create-container';
export { JOB_CATALOG, findJobEntry, type JobEntry } from './job-catalog';
export { PROFILES, isProfile, type Profile } from './profiles';
export { selectTrackingBackend, type TrackingBackend } from './tracking-backend';
export { JOB_SERVICES } from './modules';
