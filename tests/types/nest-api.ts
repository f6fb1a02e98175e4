/**
 * Type-level promises of `mlops-kit/nest`, checked by `tsc` (tests/unit/types/type-tests.test.ts runs it):
 * the runtime type an app names from its job list checks every `run()`, and the module's options are the
 * container's, typed by token.
 */
import { TYPES, createContainer, type JobRuntime, type JobsOf } from 'mlops-kit';
import { MlopsModule, type MlopsRuntime, type MlopsTestOptions } from 'mlops-kit/nest';
import { InMemoryTracker } from 'mlops-kit/testing';
import { GreetJobDefinition } from '../../examples/backend/greet-job';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_proof?: T): void => undefined;

const APP_JOBS = [GreetJobDefinition] as const;
type AppRuntime = MlopsRuntime<typeof APP_JOBS>;

// the same type as a runtime made from a container built with those jobs
const _container = createContainer({ jobs: APP_JOBS });
assertType<Equal<AppRuntime, JobRuntime<JobsOf<typeof _container>>>>();

async function typedRuns(runtime: AppRuntime): Promise<void> {
  const _greeted = await runtime.run({ KIND: 'GreetJob', name: 'Ada' });
  assertType<Equal<typeof _greeted, { greeting: string }>>();
  await runtime.run({ KIND: 'PromotionJob', model: 'churn' });
  // @ts-expect-error -- a field the app's kind does not have
  await runtime.run({ KIND: 'GreetJob', name: 'Ada', bogus: true });
  // @ts-expect-error -- a built-in kind's field of the wrong type
  await runtime.run({ KIND: 'TrainingJob', model: 'churn', epochs: 'x' });
  // @ts-expect-error -- a kind the app does not have
  await runtime.run({ KIND: 'FarewellJob' });
}

// the module's options are createContainer's, plus its own
MlopsModule.forRoot({ jobs: APP_JOBS, overrides: { [TYPES.Tracker]: new InMemoryTracker() }, startServices: ['registry'], shutdown: { deadlineMs: 10_000 } });
// @ts-expect-error -- an override of the wrong type for its token
MlopsModule.forRoot({ overrides: { [TYPES.Alerter]: new InMemoryTracker() } });
// @ts-expect-error -- a service that does not exist
MlopsModule.forRoot({ startServices: ['database'] });
// @ts-expect-error -- forTest is the test profile, no other
MlopsModule.forTest({ profile: 'production' });
const _changes: MlopsTestOptions = { profile: 'test', overrides: { [TYPES.Tracker]: new InMemoryTracker() } };
// @ts-expect-error -- a test's overrides are typed by token too
const _wrong: MlopsTestOptions = { overrides: { [TYPES.Tracker]: 'memory' } };

void typedRuns;
