export { SpillingStore, type SpillingStoreOptions } from './spilling-store';
export { SpillingRegistryStore, type SpillingRegistryStoreOptions } from './spilling-registry-store';
export { SpillLedger, SPILL_REMOTE_RUN_TAG } from './spill-ledger';
