/** The one tracking client and the one registry client, and the store interfaces they sit on. */
export { TrackingClient, type TrackingClientOptions } from './tracking-client';
export { RegistryClient, type RegistryClientOptions } from './registry-client';
export type { TrackingStore, StoreTraits, NewRun } from './tracking-store';
export type { RegistryStore } from './registry-store';
export type { LoggedModelStore, NewLoggedModel } from './logged-model-store';
