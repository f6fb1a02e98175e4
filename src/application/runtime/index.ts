export { JobRuntime, type JobRuntimeOptions, type RunJobOptions, type CloseOptions, type RunInput } from './job-runtime';
export type { ServiceProviders } from './service-providers';
export { GuardedAlerter, DEFAULT_ALERT_TIMEOUT_MS } from './guarded-alerter';
export { GuardedLogger } from './guarded-logger';
