/**
 * Type-level promises of the public API, checked by `tsc` (tests/unit/types/type-tests.test.ts runs it):
 * every `@ts-expect-error` line must fail to compile, every other line must compile.
 */
import { z } from 'zod';
import { createContainer, createRuntime, defineJob, Job, TYPES, type ITracker, type JobContext, type PredictionValue, type PredictorError, type PredictorStatus, type PromotionResult, type TrainingResult } from 'mlops-kit';
import { createTestContainer, type InMemoryModelRegistry, InMemoryTracker, testRegistry, testTracker } from 'mlops-kit/testing';
import type { JobRuntime, JobsOf } from 'mlops-kit';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_proof?: T): void => undefined;

// tokens carry their port type
const container = createContainer({ config: { tracking: { uri: 'memory:' } } });
const tracker = container.get(TYPES.Tracker);
assertType<Equal<typeof tracker, ITracker>>(); // exactly ITracker, not any
// @ts-expect-error -- a string is not an ITracker
container.bind(TYPES.Tracker).toConstantValue('not a tracker');
container.bind(TYPES.Tracker).toConstantValue(new InMemoryTracker());

// overrides are typed by token
createContainer({ overrides: { [TYPES.Tracker]: new InMemoryTracker() } });
// @ts-expect-error -- the alerter token takes an IAlerter
createContainer({ overrides: { [TYPES.Alerter]: tracker } });

// inline configs are typed; results are the definition's
async function typedRuns(): Promise<void> {
  const runtime = createRuntime(container);
  const _promoted = await runtime.run({ KIND: 'PromotionJob', model: 'churn', alias: 'Champion' });
  assertType<Equal<typeof _promoted, PromotionResult>>();
  const _trained = await runtime.run({ KIND: 'TrainingJob', epochs: 10 });
  assertType<Equal<typeof _trained, TrainingResult>>();
  // @ts-expect-error -- a typo in a field name does not compile
  await runtime.run({ KIND: 'PromotionJob', modle: 'churn' });
  // @ts-expect-error -- a field of the wrong type does not compile
  await runtime.run({ KIND: 'TrainingJob', rows: 'many' });
  // @ts-expect-error -- an unknown kind does not compile
  await runtime.run({ KIND: 'PromotoinJob' });
  // @ts-expect-error -- the config file shape is checked in code too
  createContainer({ config: { tracking: { urii: 'memory:' } } });
}

// an app's own kind: config and result inferred from its definition
const HelloSchema = z.strictObject({ KIND: z.literal('HelloJob'), name: z.string().default('world') });
class HelloJob extends Job<{ greeted: string }> {
  readonly kind = 'HelloJob';
  constructor(context: JobContext, private readonly config: z.output<typeof HelloSchema>) {
    super(context);
  }
  protected async run() {
    return { greeted: this.config.name };
  }
}
const HelloJobDefinition = defineJob({ kind: 'HelloJob', description: 'Says hello.', schema: HelloSchema, uses: [], create: (c, config) => new HelloJob(c, config) });

async function customKind(): Promise<void> {
  const runtime = createRuntime(createContainer({ jobs: [HelloJobDefinition] }));
  const _hello = await runtime.run({ KIND: 'HelloJob' });
  assertType<Equal<typeof _hello, { greeted: string }>>();
  await runtime.run({ KIND: 'PromotionJob', model: 'churn' }); // the built-ins are still there
  // @ts-expect-error -- HelloJob has no `nam` field
  await runtime.run({ KIND: 'HelloJob', nam: 'x' });
  // @ts-expect-error -- a container built without HelloJob does not run it
  await createRuntime(container).run({ KIND: 'HelloJob' });
}

// @ts-expect-error -- the schema's KIND must match the definition's kind
defineJob({ kind: 'Other', description: 'x', schema: HelloSchema, uses: [], create: (c, config) => new HelloJob(c, config) });

// a bare JobRuntime (what a constructor parameter names) is typed with the built-in kinds, not `any`
async function bareRuntime(runtime: JobRuntime): Promise<void> {
  const _trained = await runtime.run({ KIND: 'TrainingJob', epochs: 3 });
  assertType<Equal<typeof _trained, TrainingResult>>();
  // @ts-expect-error -- epochs is a number
  await runtime.run({ KIND: 'TrainingJob', epochs: 'x' });
  // @ts-expect-error -- TrainingJob has no `bogus` field
  await runtime.run({ KIND: 'TrainingJob', bogus: true });
  // @ts-expect-error -- the result is TrainingResult, not any
  void (await runtime.run({ KIND: 'TrainingJob' })).whatever;
  // @ts-expect-error -- an app's kind is not in a bare runtime
  await runtime.run({ KIND: 'HelloJob' });
}

// naming the runtime type for an app's own kinds: from its container, or from its definitions
const appContainer = createContainer({ jobs: [HelloJobDefinition] });
type AppRuntime = JobRuntime<JobsOf<typeof appContainer>>;
async function namedRuntime(runtime: AppRuntime): Promise<void> {
  const _hello = await runtime.run({ KIND: 'HelloJob', name: 'Ada' });
  assertType<Equal<typeof _hello, { greeted: string }>>();
  await runtime.run({ KIND: 'PromotionJob', model: 'churn' });
  // @ts-expect-error -- HelloJob's name is text
  await runtime.run({ KIND: 'HelloJob', name: 3 });
}
const _named: AppRuntime = createRuntime(appContainer);

// typed test getters: what was logged is read back without a cast
function typedTestGetters(): void {
  const testContainer = createTestContainer({ jobs: [HelloJobDefinition] });
  const memoryTracker = testTracker(testContainer);
  assertType<Equal<typeof memoryTracker, InMemoryTracker>>();
  memoryTracker.runs();
  const memoryRegistry = testRegistry(testContainer);
  assertType<Equal<typeof memoryRegistry, InMemoryModelRegistry>>();
  memoryRegistry.versions('churn');
}

export { typedRuns, customKind, bareRuntime, namedRuntime, typedTestGetters, _named };

// models and lineage (#12): a model URI parses into a discriminated reference; logModel needs a name and a path
async function typedModels(): Promise<void> {
  const { parseModelUri } = await import('mlops-kit');
  const reference = parseModelUri('models:/m-0123456789abcdef0123456789abcdef');
  if (reference.kind === 'logged-model') assertType<Equal<typeof reference.modelId, string>>();
  // @ts-expect-error -- only a registered reference has a name; narrow on kind first
  void reference.name;
  const _logged = await tracker.logModel('run', { name: 'model', path: './out/model', signature: { inputs: [{ name: 'hour', type: 'long' }] } });
  assertType<Equal<typeof _logged.modelId, string | undefined>>();
  // @ts-expect-error -- a logged model needs the directory of its files
  await tracker.logModel('run', { name: 'model' });
  // @ts-expect-error -- column types are MLflow's DataType names
  await tracker.logModel('run', { name: 'model', path: '.', signature: { inputs: [{ name: 'hour', type: 'int64' }] } });
  const _scored = await createRuntime(container).run({ KIND: 'InferenceJob', modelUri: 'runs:/0123456789abcdef0123456789abcdef/model', inputPath: 'in.csv', outputPath: 'out.csv' });
  assertType<Equal<typeof _scored.version, number | undefined>>();
}
void typedModels;

// serving (#17): a predictor is typed by the app's row type and its prediction type; defaults take any rows
async function typedPredictors(): Promise<void> {
  const runtime = createRuntime(container);
  type BikeRow = { hour: number; temperature: number };
  interface BikeRequest {
    hour: number;
    temperature: number;
  }
  const bikes = runtime.predictor<BikeRow, number>('models:/bike-demand@Champion', { refreshMs: 10_000 });
  const _byRows = await bikes.predict([{ hour: 8, temperature: 21.5 }]);
  assertType<Equal<typeof _byRows.predictions, number[]>>();
  assertType<Equal<typeof _byRows.version, number | undefined>>();
  await bikes.predict({ hour: [8, 9], temperature: [21.5, 22] });
  // @ts-expect-error -- a cell of the wrong type does not compile
  await bikes.predict([{ hour: 'eight', temperature: 21.5 }]);
  // @ts-expect-error -- a column the row type requires cannot be left out
  await bikes.predict([{ hour: 8 }]);
  // @ts-expect-error -- columns are arrays of the row type's cells
  await bikes.predict({ hour: ['8'], temperature: [21.5] });
  // @ts-expect-error -- a column the row type does not have does not compile
  await bikes.predict([{ hour: 8, temperature: 21.5, humidity: 0.4 }]);
  // an interface works as the row type too (no index signature needed)
  const _fromInterface = await runtime.predictor<BikeRequest>('models:/bike-demand/3').predict([{ hour: 8, temperature: 21.5 }]);
  assertType<Equal<typeof _fromInterface.predictions, PredictionValue[]>>();
  // the defaults take whatever a request body holds; the model's signature checks it at run time
  const body: unknown = JSON.parse('[]');
  const _untyped = await runtime.predictor('models:/bike-demand@Champion').predict(body as Record<string, unknown>[]);
  assertType<Equal<typeof _untyped.predictions, PredictionValue[]>>();
  const _status: PredictorStatus = bikes.status();
  assertType<Equal<typeof _status.lastError, PredictorError | undefined>>();
  // @ts-expect-error -- refreshMs is a number of milliseconds
  runtime.predictor('models:/bike-demand@Champion', { refreshMs: '30s' });
  // @ts-expect-error -- the runtime owns a predictor's life: apps do not close one another's
  await bikes.close();
}
void typedPredictors;
