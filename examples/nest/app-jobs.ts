import type { MlopsRuntime } from 'mlops-kit/nest';
import { GreetJobDefinition } from '../backend/greet-job';

/** The app's own job kinds, besides the built-in ones: given to the module, and the source of the runtime's type. */
export const APP_JOBS = [GreetJobDefinition] as const;

/** The runtime this app injects: `run()` knows the built-in kinds and GreetJob, each with its config type. */
export type AppRuntime = MlopsRuntime<typeof APP_JOBS>;
