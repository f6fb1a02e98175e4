export { SpillingTracker, type SpillingTrackerOptions } from './spilling-tracker';
export { SpillingModelRegistry, type SpillingModelRegistryOptions } from './spilling-registry';
export { SpillLedger, SPILL_REMOTE_RUN_TAG } from './spill-ledger';
