import type { BindToFluentSyntax, Container, GetOptions, OptionalGetOptions, ServiceIdentifier } from 'inversify';
import type { BuiltinJobDefinition } from '../../application/jobs/builtin-jobs';
import type { AnyJobDefinition } from '../../application/jobs/job-definition';
import type { Token, TokenTypes } from '../../domain/tokens';

declare const JOB_KINDS: unique symbol;

/**
 * An Inversify container that knows the type behind each mlops-kit token: `get(TYPES.Tracker)` is an
 * `ITracker`, and `bind(TYPES.Tracker).toConstantValue('x')` does not compile. It also carries (in its
 * type only) the job definitions it was built with, so `createRuntime(container).run(…)` is typed.
 *
 * @example
 * const container = createContainer({ config });
 * const tracker = container.get(TYPES.Tracker); // ITracker
 */
export interface MlopsContainer<D extends AnyJobDefinition = BuiltinJobDefinition> extends Container {
  /** Type-level only: the job kinds this container runs. */
  readonly [JOB_KINDS]?: D;
  get<K extends Token>(token: K): TokenTypes[K];
  get<T>(serviceIdentifier: ServiceIdentifier<T>, options: OptionalGetOptions): T | undefined;
  get<T>(serviceIdentifier: ServiceIdentifier<T>, options?: GetOptions): T;
  bind<K extends Token>(token: K): BindToFluentSyntax<TokenTypes[K]>;
  bind<T>(serviceIdentifier: ServiceIdentifier<T>): BindToFluentSyntax<T>;
}

/**
 * The job definitions a container was built with.
 *
 * @example type AppJobs = JobsOf<typeof container>; // BuiltinJobDefinition | typeof HelloJobDefinition
 */
export type JobsOf<C> = C extends MlopsContainer<infer D> ? D : never;
