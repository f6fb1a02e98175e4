import type { z } from 'zod';
import type { Job, JobContext, JobResult } from './job';

/**
 * The shared services a job may use besides the logger and alerter, which every job has. `models` (the
 * model loader) downloads through the tracker and resolves through the registry, so it starts both.
 *
 * @example const ports: JobPort[] = ['tracker', 'registry']; await runtime.start({ services: ports }); // fail fast on a bad URI
 */
export type JobPort = 'tracker' | 'registry' | 'models';

/**
 * The ports a job kind uses: a fixed list, or a function of its validated config when some options need
 * more (a PromotionJob with a `gate` scores models and tracks the evaluation; without one it touches
 * only the registry).
 *
 * @example const uses: JobUses<{ gate?: object }> = (config) => (config.gate ? ['registry', 'tracker', 'models'] : ['registry']);
 */
export type JobUses<C> = readonly JobPort[] | ((config: C) => readonly JobPort[]);

/**
 * A zod object schema for a `job:` section whose `KIND` is the literal `K`.
 *
 * @example const HelloJobSchema = z.strictObject({ KIND: z.literal('HelloJob'), name: z.string().default('world') }) satisfies JobSchema<'HelloJob'>;
 */
export type JobSchema<K extends string = string> = z.ZodObject<{ KIND: z.ZodLiteral<K> } & z.ZodRawShape>;

/**
 * One job kind, completely: its KIND, the line `mlops-kit jobs` prints, the zod schema of its `job:`
 * section (its config type is inferred from it; defaults live in the schema), the ports it uses (only
 * those are started for it) and the factory that builds it from started services and a validated config.
 * `defineJob` makes one; `createContainer({ jobs })` adds it to the built-in kinds.
 *
 * @example
 * const HelloJobDefinition = defineJob({ kind: 'HelloJob', description: 'Says hello.', schema: HelloJobSchema, uses: [], create: (context, config) => new HelloJob(context, config) });
 * // typeof HelloJobDefinition: JobDefinition<'HelloJob', typeof HelloJobSchema, { greeted: string }>
 */
export interface JobDefinition<K extends string = string, S extends JobSchema<K> = JobSchema<K>, R extends JobResult = JobResult> {
  readonly kind: K;
  readonly description: string;
  readonly schema: S;
  readonly uses: JobUses<z.output<S>>;
  create(context: JobContext, config: z.output<S>): Job<R>;
}

/**
 * Any job definition, whatever its kind, schema and result.
 *
 * @example const describe = (definition: AnyJobDefinition) => `${definition.kind}: ${definition.description}`;
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: a definition of any result is a definition
export type AnyJobDefinition = JobDefinition<string, any, any>;

/**
 * The config a definition accepts, as written (fields with defaults optional).
 *
 * @example const input: JobInput<typeof HelloJobDefinition> = { KIND: 'HelloJob' }; // name has a default
 */
export type JobInput<D extends AnyJobDefinition> = D extends AnyJobDefinition ? z.input<D['schema']> : never;
/**
 * The result type a definition's job returns.
 *
 * @example type HelloResult = JobResultOf<typeof HelloJobDefinition>; // { greeted: string }
 */
export type JobResultOf<D extends AnyJobDefinition> = ReturnType<D['create']> extends Job<infer R> ? R : never;
/**
 * The kinds a set of definitions knows.
 *
 * @example type Kind = JobKindOf<JobsOf<typeof container>>; // 'ExampleJob' | … | 'HelloJob'
 */
export type JobKindOf<D extends AnyJobDefinition> = D['kind'];
/**
 * The definition of kind `K` in the union `D`.
 *
 * @example type PromotionInput = JobInput<DefinitionOf<BuiltinJobDefinition, 'PromotionJob'>>;
 */
export type DefinitionOf<D extends AnyJobDefinition, K extends string> = Extract<D, { kind: K }>;

/**
 * Declares a job kind. The config type is inferred from `schema`, the result type from the job `create`
 * returns, so `runtime.run({ KIND: 'HelloJob', … })` is typed end to end. Write the schema with the `z`
 * of `mlops-kit/zod` (the zod mlops-kit is built with) or with the app's own zod ^4; zod 3 schemas do not fit.
 *
 * @example
 * // import { z } from 'mlops-kit/zod';
 * const HelloJobSchema = z.strictObject({ KIND: z.literal('HelloJob'), name: z.string().default('world') });
 * export const HelloJobDefinition = defineJob({
 *   kind: 'HelloJob',
 *   description: 'Says hello.',
 *   schema: HelloJobSchema,
 *   uses: [],
 *   create: (context, config) => new HelloJob(context, config),
 * });
 */
export function defineJob<const K extends string, S extends JobSchema<K>, R extends JobResult>(definition: {
  kind: K;
  description: string;
  schema: S;
  uses: JobUses<z.output<S>>;
  create(context: JobContext, config: z.output<S>): Job<R>;
}): JobDefinition<K, S, R> {
  if (definition.schema.shape.KIND.value !== definition.kind) {
    throw new Error(`defineJob: the schema's KIND literal "${String(definition.schema.shape.KIND.value)}" differs from kind "${definition.kind}".`);
  }
  const uses = definition.uses;
  return Object.freeze({ ...definition, uses: typeof uses === 'function' ? uses : Object.freeze([...uses]) });
}

/**
 * The ports one job of `definition` uses with `config` (validated): only those are started for it.
 *
 * @example if (portsOf(definition, config).includes('tracker')) container.get(TYPES.Tracker);
 */
export function portsOf(definition: AnyJobDefinition, config: unknown): readonly JobPort[] {
  return typeof definition.uses === 'function' ? definition.uses(config) : definition.uses;
}
