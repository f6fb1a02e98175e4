/**
 * Type-level promises of the public API, checked by `tsc` (tests/unit/types/type-tests.test.ts runs it):
 * every `@ts-expect-error` line must fail to compile, every other line must compile.
 */
import { z } from 'zod';
import { createContainer, createRuntime, defineJob, Job, TYPES, type ITracker, type JobContext, type PromotionResult, type TrainingResult } from 'mlops-kit';
import { InMemoryTracker } from 'mlops-kit/testing';

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

export { typedRuns, customKind };

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
